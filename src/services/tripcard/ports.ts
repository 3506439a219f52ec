// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the trip card needs from capabilities it does not own, handed in by the
 * composition root (DESIGN.md §2): the instance vault (audit log and consent guard wired in) and
 * identity by one-time code — the same code login the rights workflow uses, so the card never
 * imports the layer above it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { OtpDeps } from '../../foundation/outbox/index.js';
import type { OpenInstanceVault } from '../../personal/vault/index.js';

/** Proves a phone by a code sent to it; the subject it belongs to, or undefined. */
export interface CodeIdentity {
  sendCode(db: Kysely<Database>, phone: string, purpose: string): Promise<void>;
  confirm(
    db: Kysely<Database>,
    phone: string,
    purpose: string,
    code: string,
  ): Promise<{ subjectId: string } | undefined>;
}

/** Which subject a (normalised) phone belongs to (the vault's blind-index lookup). */
export interface PhoneLookup {
  subjectByPhone(db: Kysely<Database>, phone: string): Promise<string | undefined>;
}

export interface TripcardPorts {
  readonly openInstanceVault: OpenInstanceVault;
  /** Identity by one-time code over the card's own outbox codes and phone lookup. */
  readonly codeIdentity: (otp: OtpDeps, lookup: PhoneLookup) => Promise<CodeIdentity>;
}
