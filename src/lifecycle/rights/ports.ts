// SPDX-License-Identifier: Apache-2.0
/**
 * @module The narrow ports the rights workflow needs from other capabilities: a
 * {@link RightsExecutor} per request type (export, erase, port, correct, explain — the vault and
 * codes provide them; the lead wires them), and an {@link IdentityPort} that checks a requester
 * by a one-time code sent to their phone (vault blind-index lookup + outbox).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { RightsRequest } from './model.js';

/** What an execution returns: a non-personal summary, and a file when one was written. */
export interface ExecutionResult {
  readonly summary: Readonly<Record<string, string | number | boolean | null>>;
  /** Written where the requester said (`--out`), never into the data dir. */
  readonly artefact?: { readonly path: string; readonly sha256: string; readonly bytes: number };
}

/** Carries out one verified request for its subject. */
export interface RightsExecutor {
  execute(
    db: Kysely<Database>,
    request: RightsRequest & { subjectId: string },
    options: {
      readonly outPath?: string;
      /** A value the request carries, read from a file (e.g. the corrected value). */
      readonly input?: unknown;
    },
  ): Promise<ExecutionResult>;
}

/**
 * Identity verification by a one-time code (a 6-digit string) sent to the phone through the
 * outbox (PIPL art. 50; issue 6). `purpose` ties a code to what it unlocks, e.g. `rights-access`.
 */
export interface IdentityPort {
  /** Sends a code when the phone belongs to a subject; behaves the same either way. */
  sendCode(db: Kysely<Database>, phone: string, purpose: string): Promise<void>;
  /** Checks (and uses up) the code; the subject it proves, or undefined (wrong, expired, replayed). */
  confirm(
    db: Kysely<Database>,
    phone: string,
    purpose: string,
    code: string,
  ): Promise<{ subjectId: string } | undefined>;
}
