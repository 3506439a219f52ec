// SPDX-License-Identifier: Apache-2.0
/**
 * @module The AEAD envelope every stored secret and personal-data record uses: AES-256-GCM
 * (NIST SP 800-38D) from node:crypto, nothing hand-made. An envelope is
 * `version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The associated data names where the
 * ciphertext belongs (table, group or category, subject, record), so a ciphertext copied to any
 * other place fails to open with an {@link IntegrityError} instead of decrypting to the wrong
 * person's data (DESIGN.md §3).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { IntegrityError } from './errors.js';
import { NONCE_LENGTH, type NonceSource } from './nonce.js';

/** AES-256 key length in bytes. */
export const KEY_LENGTH = 32;
/** GCM tag length in bytes (the full 128 bits, SP 800-38D §5.2.1.2). */
export const TAG_LENGTH = 16;
/** Envelope format version 1: AES-256-GCM, 96-bit random nonce, 128-bit tag. */
export const ENVELOPE_V1 = 0x01;
/** Bytes an envelope adds to its plaintext. */
export const ENVELOPE_OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

function assertKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new RangeError(`"key" expected ${KEY_LENGTH} bytes`);
  }
}

/**
 * Encrypts `plaintext` under `key`, binding `aad`. Returns a fresh envelope buffer.
 *
 * @example
 * const env = seal(key, Buffer.from('{"t":36.6}'), associatedData('vault_record', 'health', id), nonces);
 */
export function seal(
  key: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
  nonces: NonceSource,
): Buffer {
  assertKey(key);
  const out = Buffer.allocUnsafe(ENVELOPE_OVERHEAD + plaintext.length);
  out[0] = ENVELOPE_V1;
  nonces.writeNonce(out, 1);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(1, 1 + NONCE_LENGTH), {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const tail = cipher.final();
  body.copy(out, 1 + NONCE_LENGTH);
  tail.copy(out, 1 + NONCE_LENGTH + body.length);
  cipher.getAuthTag().copy(out, out.length - TAG_LENGTH);
  return out;
}

/**
 * Decrypts an envelope made by {@link seal}. Any failure — wrong key, other associated data,
 * damaged or truncated bytes, unknown version — throws {@link IntegrityError}; no partial
 * plaintext is ever returned.
 */
export function open(key: Uint8Array, envelope: Uint8Array, aad: Uint8Array): Buffer {
  assertKey(key);
  if (
    !(envelope instanceof Uint8Array) ||
    envelope.length < ENVELOPE_OVERHEAD ||
    envelope[0] !== ENVELOPE_V1
  ) {
    throw new IntegrityError('ciphertext is truncated or of an unknown format');
  }
  const nonce = envelope.subarray(1, 1 + NONCE_LENGTH);
  const tag = envelope.subarray(envelope.length - TAG_LENGTH);
  const body = envelope.subarray(1 + NONCE_LENGTH, envelope.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch (cause) {
    throw new IntegrityError(undefined, { cause });
  }
}

/**
 * Encodes the associated data of a ciphertext unambiguously: each part as a 2-byte big-endian
 * length then its UTF-8 bytes, so `('ab','c')` and `('a','bc')` never collide.
 *
 * @example
 * associatedData('vault_record', 'health', 'temperature', subjectId, recordId, 1);
 */
export function associatedData(...parts: readonly (string | number)[]): Buffer {
  const encoded = parts.map((p) => Buffer.from(String(p), 'utf8'));
  let size = 0;
  for (const e of encoded) {
    if (e.length > 0xffff) {
      throw new RangeError('associated-data part longer than 65535 bytes');
    }
    size += 2 + e.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of encoded) {
    out.writeUInt16BE(e.length, at);
    e.copy(out, at + 2);
    at += 2 + e.length;
  }
  return out;
}
