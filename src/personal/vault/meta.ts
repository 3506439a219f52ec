// SPDX-License-Identifier: Apache-2.0
/**
 * @module Reading a subject's audit id from its meta without the keyring: open the `subject`
 * data key under its KEK, then the meta under that key (AES-256-GCM, NIST SP 800-38D). Pure, so it
 * runs wherever the KEKs are at hand (bulk erasure reads thousands of audit ids at once).
 */
import { open } from '../../kernel/crypto/aead.js';
import { cryptoErrors } from '../../kernel/crypto/index.js';
import { dekAad } from '../../platform/keys/index.js';
import { SUBJECT_SCOPE, subjectAad } from './model.js';

/** [subjectId, gen, kekVersion, wrapped DEK, kind, meta ciphertext] */
export type MetaItem = [string, number, number, Uint8Array, string, Uint8Array];

/** Opens one subject's meta; null when it does not open (the erasure proceeds unnamed). */
export function auditIdOf(keks: ReadonlyMap<number, Uint8Array>, item: MetaItem): string | null {
  const [subjectId, gen, kekVersion, wrapped, kind, meta] = item;
  const kek = keks.get(kekVersion);
  if (kek === undefined) {
    return null;
  }
  try {
    const dek = open(kek, wrapped, dekAad(subjectId, SUBJECT_SCOPE, gen, kekVersion));
    const plain = open(dek, meta, subjectAad(subjectId, kind, gen));
    dek.fill(0);
    return (JSON.parse(plain.toString('utf8')) as { a: string }).a;
  } catch (err) {
    // A key or meta that does not open (or holds no JSON) names no one; anything else is a bug.
    if (err instanceof cryptoErrors.IntegrityError || err instanceof SyntaxError) {
      return null;
    }
    throw err;
  }
}
