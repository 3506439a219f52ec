// SPDX-License-Identifier: Apache-2.0
/**
 * @module Key derivation and keyed hashing from node:crypto: HKDF-SHA-256 (RFC 5869) to derive
 * purpose-bound keys from a master secret, and HMAC-SHA-256 (RFC 2104) for blind indexes and key
 * check values.
 */
import { createHmac, hkdfSync } from 'node:crypto';

/**
 * HKDF-SHA-256 (RFC 5869 §2): `length` bytes bound to `info`, so keys for different uses are
 * independent even though they come from one secret.
 *
 * @example
 * const wrapKey = hkdfSha256(master, 'healthcode/v1', 'kek-wrap', 32);
 */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: string | Uint8Array,
  info: string | Uint8Array,
  length = 32,
): Buffer {
  if (!(ikm instanceof Uint8Array) || ikm.length === 0) {
    throw new RangeError('"ikm" expected a non-empty Uint8Array');
  }
  const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
  return Buffer.from(hkdfSync('sha256', ikm, bytes(salt), bytes(info), length));
}

/**
 * HMAC-SHA-256 (RFC 2104) of `message` under `key`.
 *
 * @example
 * hmacSha256(lookupKey, 'citizen\x00110105194912310021');
 */
export function hmacSha256(key: Uint8Array, message: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(message).digest();
}
