// SPDX-License-Identifier: Apache-2.0
/**
 * @module The instance's certificate key and certificate records: an Ed25519 key made on first
 * use, its private half wrapped through the keyring's KeyWrapper; each certificate is signed,
 * stored, and its hash appended to the audit log in the same transaction, so a certificate exists
 * exactly when the log records it.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { canonicalJson } from './canonical.js';
import { certificateHash, signCertificate, type AnyCertificate } from './certificate.js';
import type { CertificateLog } from './ports.js';
import * as repo from './repository.js';

const KEY_ID = 'certificate';
const CONTEXT = 'disposal:certificate-key';

/** The certificate key, created on first use (safe when two processes race). */
export async function certificateKey(
  db: Kysely<Database>,
  wrapper: KeyWrapper,
  nowMs: number,
): Promise<{ privateKey: KeyObject; publicKey: string }> {
  let row = await repo.getKey(db, KEY_ID);
  if (row === undefined) {
    const pair = generateKeyPairSync('ed25519');
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    try {
      await repo.insertKeyIfAbsent(db, {
        id: KEY_ID,
        public_key: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        wrapped_private_key: await wrapper.wrap(pkcs8, CONTEXT),
        created_at: nowMs,
      });
    } finally {
      pkcs8.fill(0);
    }
    row = (await repo.getKey(db, KEY_ID))!;
  }
  const der = await wrapper.unwrap(row.wrapped_private_key, CONTEXT);
  try {
    return {
      privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
      publicKey: row.public_key,
    };
  } finally {
    der.fill(0);
  }
}

/** The published certificate public key, if one was made. */
export async function certificatePublicKey(db: Kysely<Database>): Promise<string | undefined> {
  return (await repo.getKey(db, KEY_ID))?.public_key;
}

/**
 * Signs, stores and logs a certificate in the caller's transaction; returns the signed form.
 */
export async function recordCertificate<T extends AnyCertificate>(
  trx: Kysely<Database>,
  log: CertificateLog,
  key: KeyObject,
  cert: T,
  meta: { planId: string | null; actor: string; at: Date },
): Promise<T> {
  const signed = signCertificate(cert, key);
  const sha256 = certificateHash(signed);
  await repo.insertCertificate(trx, {
    id: signed.id,
    plan_id: meta.planId,
    kind: signed.kind,
    body: canonicalJson(signed),
    sha256,
    leaf_index: null,
    created_at: meta.at.getTime(),
  });
  await log.append(trx, {
    certificateId: signed.id,
    certificateKind: signed.kind,
    sha256,
    planId: meta.planId,
    at: meta.at,
    actor: meta.actor,
  });
  return signed;
}
