// SPDX-License-Identifier: Apache-2.0
/**
 * @module The instance's receipt-signing keys and receipt verification against them. The
 * Ed25519 private key is kept wrapped by the keyring's {@link KeyWrapper} (context
 * `consent:receipt-key:<kid>`), never in clear at rest; public keys stay readable so receipts
 * remain verifiable for as long as they are kept (PIPL art. 56: ≥ 3 years).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { KeyWrapper } from '../../kernel/shared/key-wrapper.js';
import type { Random } from '../../kernel/shared/random.js';
import type { Clock } from '../../kernel/shared/clock.js';
import { ReceiptInvalidError } from './errors.js';
import * as ledgerRepo from './ledger-repository.js';
import {
  signingKeyFromSeed,
  verifyReceiptToken,
  type ConsentReceipt,
  type ReceiptSigningKey,
  type ReceiptVerifyKey,
} from './receipt-format.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function context(kid: string): string {
  return `consent:receipt-key:${kid}`;
}

const signingCache = new WeakMap<Kysely<Database>, ReceiptSigningKey>();

/** The newest receipt-signing key, created (and wrapped) on first use. */
export async function receiptSigningKey(deps: {
  db: Kysely<Database>;
  keys: KeyWrapper;
  random: Random;
  clock: Clock;
}): Promise<ReceiptSigningKey> {
  const cached = deps.db.isTransaction ? undefined : signingCache.get(deps.db);
  if (cached !== undefined) {
    return cached;
  }
  const rows = (await ledgerRepo.selectReceiptKeys(deps.db)).filter((r) => r.retired_at === null);
  const newest = rows[rows.length - 1];
  let key: ReceiptSigningKey;
  if (newest === undefined) {
    const seed = deps.random.bytes(32);
    key = signingKeyFromSeed(seed);
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    const wrapped = await deps.keys.wrap(der, context(key.kid));
    der.fill(0);
    seed.fill(0);
    await ledgerRepo.insertReceiptKey(deps.db, {
      kid: key.kid,
      public_key: key.publicKeyRaw,
      wrapped_private: wrapped,
      created_at: deps.clock.now().getTime(),
      retired_at: null,
    });
  } else {
    const der = await deps.keys.unwrap(newest.wrapped_private, context(newest.kid));
    let privateKey: KeyObject;
    try {
      if (der.length !== PKCS8_PREFIX.length + 32 || !der.subarray(0, 16).equals(PKCS8_PREFIX)) {
        throw new ReceiptInvalidError('stored receipt key is not an Ed25519 PKCS#8 key');
      }
      privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
    key = { kid: newest.kid, privateKey, publicKeyRaw: Buffer.from(newest.public_key) };
  }
  if (!deps.db.isTransaction) {
    signingCache.set(deps.db, key);
  }
  return key;
}

/** Every public key this instance has signed receipts with. */
export async function receiptVerifyKeys(db: Kysely<Database>): Promise<ReceiptVerifyKey[]> {
  return (await ledgerRepo.selectReceiptKeys(db)).map((r) => ({
    kid: r.kid,
    publicKeyRaw: new Uint8Array(r.public_key),
  }));
}

/** What a presented receipt proves. */
export interface ReceiptCheck {
  readonly receipt: ConsentReceipt;
  /** The ledger holds this very receipt (same id, same bytes). */
  readonly recorded: boolean;
}

/**
 * Verifies a receipt a citizen presents back: signature by one of this instance's keys, and
 * whether the ledger recorded it. A forged or altered receipt throws `ERR_CONSENT_RECEIPT_INVALID`.
 */
export async function verifyReceipt(db: Kysely<Database>, token: string): Promise<ReceiptCheck> {
  const receipt = verifyReceiptToken(token, await receiptVerifyKeys(db));
  const row = await ledgerRepo.selectReceipt(db, receipt.consentReceiptID);
  return { receipt, recorded: row !== undefined && row.token === token.trim() };
}
