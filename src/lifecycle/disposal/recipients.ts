// SPDX-License-Identifier: Apache-2.0
/**
 * @module Entrusted processors and third-party recipients that hold copies (PIPL arts. 21, 23;
 * DOMAIN.md req. 16; GB/T 35273 §8.3 "tell recipients to delete too"): declared in the
 * `disposal_recipients` table, each sent a deletion notice by a run and each returning a signed
 * acknowledgment (Ed25519 over the canonical receipt) that `disposal ack` checks and records.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { isDataCategory, type DataCategory } from '../../kernel/domain/index.js';
import { canonicalJson } from './canonical.js';
import { AckInvalidError, RecipientInvalidError } from './errors.js';
import * as repo from './repository.js';

export interface RecipientRow {
  readonly id: string;
  readonly name: string;
  readonly kind: 'processor' | 'recipient';
  readonly contact: string;
  readonly categories: readonly DataCategory[];
  /** SPKI DER base64 of the party's Ed25519 key; acknowledgments are checked against it. */
  readonly publicKey: string | null;
}

const ID = /^[a-z][a-z0-9-]{1,47}$/;

/** Normalises a PEM or base64 SPKI Ed25519 public key to SPKI DER base64. */
export function normalisePublicKey(text: string): string {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new RecipientInvalidError('a recipient key must be an Ed25519 public key');
    }
    return key.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch (err) {
    if (err instanceof RecipientInvalidError) {
      throw err;
    }
    throw new RecipientInvalidError('the recipient key is not a PEM or base64 SPKI public key', {
      cause: err,
    });
  }
}

export async function addRecipient(
  db: Kysely<Database>,
  r: RecipientRow,
  nowMs: number,
): Promise<RecipientRow> {
  if (!ID.test(r.id)) {
    throw new RecipientInvalidError(
      'recipient ids are 2–48 characters: a lower-case letter, then letters, digits, -',
    );
  }
  if (r.kind !== 'processor' && r.kind !== 'recipient') {
    throw new RecipientInvalidError('recipient kind is processor or recipient');
  }
  if (!r.name.trim() || !r.contact.trim()) {
    throw new RecipientInvalidError('a recipient needs a name and a contact');
  }
  for (const c of r.categories) {
    if (!isDataCategory(c)) {
      throw new RecipientInvalidError(`unknown data category ${String(c)}`);
    }
  }
  if (await repo.getRecipient(db, r.id)) {
    throw new RecipientInvalidError(`a recipient named ${r.id} exists`);
  }
  await repo.insertRecipient(db, {
    id: r.id,
    name: r.name,
    kind: r.kind,
    contact: r.contact,
    categories: r.categories.join(','),
    public_key: r.publicKey === null ? null : normalisePublicKey(r.publicKey),
    created_at: nowMs,
  });
  return r;
}

export async function listRecipientRows(db: Kysely<Database>): Promise<RecipientRow[]> {
  return (await repo.listRecipients(db)).map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind === 'processor' ? 'processor' : 'recipient',
    contact: r.contact,
    categories: r.categories === '' ? [] : (r.categories.split(',') as DataCategory[]),
    publicKey: r.public_key,
  }));
}

/** The deletion notice a run sends each recipient (written under reports/, sent by the operator). */
export interface DeletionNotice {
  readonly kind: 'healthcode/deletion-notice';
  readonly noticeId: string;
  readonly planId: string;
  readonly planSha256: string;
  readonly party: string;
  readonly responsibleParty: { readonly name: string; readonly contact: string };
  readonly categories: readonly DataCategory[];
  readonly instruction: string;
  readonly issuedAt: string;
}

/** What a recipient signs back. */
export interface DeletionAck {
  readonly kind: 'healthcode/deletion-ack';
  readonly noticeId: string;
  readonly planId: string;
  readonly party: string;
  readonly deletedAt: string;
  /** Ed25519 over the canonical JSON of the other fields, base64. */
  readonly signature: string;
}

/** The bytes a recipient signs. */
export function ackSigningBytes(ack: Omit<DeletionAck, 'signature'>): Buffer {
  const { kind, noticeId, planId, party, deletedAt } = ack;
  return Buffer.from(canonicalJson({ kind, noticeId, planId, party, deletedAt }), 'utf8');
}

/** Parses and checks an acknowledgment against the notice and the party's registered key. */
export function checkAck(
  text: string,
  expect: { planId: string; party: string; noticeId: string; publicKey: string | null },
): DeletionAck {
  let ack: DeletionAck;
  try {
    ack = JSON.parse(text) as DeletionAck;
  } catch (cause) {
    throw new AckInvalidError('the receipt is not JSON', { cause });
  }
  if (ack.kind !== 'healthcode/deletion-ack') {
    throw new AckInvalidError('the receipt is not a healthcode/deletion-ack');
  }
  if (
    ack.planId !== expect.planId ||
    ack.party !== expect.party ||
    ack.noticeId !== expect.noticeId
  ) {
    throw new AckInvalidError('the receipt is for another plan, party or notice');
  }
  if (typeof ack.deletedAt !== 'string' || Number.isNaN(new Date(ack.deletedAt).getTime())) {
    throw new AckInvalidError('the receipt has no valid deletedAt');
  }
  if (expect.publicKey === null) {
    throw new AckInvalidError(
      'the recipient has no registered key: register it with `disposal recipient add --public-key`',
    );
  }
  let ok: boolean;
  try {
    const key = createPublicKey({
      key: Buffer.from(expect.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    ok = verify(null, ackSigningBytes(ack), key, Buffer.from(String(ack.signature), 'base64'));
  } catch {
    // A key or signature that does not even parse is a receipt that does not verify.
    ok = false;
  }
  if (!ok) {
    throw new AckInvalidError(
      'the receipt signature does not verify with the recipient’s registered key',
    );
  }
  return ack;
}
