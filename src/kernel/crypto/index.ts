// SPDX-License-Identifier: Apache-2.0
/**
 * @module The crypto layer (DESIGN.md §2, STYLE.md §15): thin wrappers over node:crypto — the
 * AES-256-GCM envelope (NIST SP 800-38D), bulk-drawn nonces, HKDF and HMAC (RFC 5869, RFC 2104),
 * constant-time comparison and zeroing.
 */
export {
  seal,
  open,
  associatedData,
  KEY_LENGTH,
  TAG_LENGTH,
  ENVELOPE_V1,
  ENVELOPE_OVERHEAD,
} from './aead.js';
export { NoncePool, NONCE_LENGTH } from './nonce.js';
export type { NonceSource } from './nonce.js';
export { hkdfSha256, hmacSha256 } from './kdf.js';
export { constantTimeEqual, zeroize, toBase64Url, fromBase64Url } from './bytes.js';
export * as cryptoErrors from './errors.js';
