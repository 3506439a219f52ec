// SPDX-License-Identifier: Apache-2.0
/**
 * @module The key-wrapping port: how the audit log (period keys, checkpoint key) and the code
 * issuer (signing keys) keep their secrets at rest under the instance's key-encryption key. The
 * keyring (src/platform/keys) implements it; rotating the KEK re-wraps everything wrapped through it.
 */

/** Wraps and unwraps small secrets under the current key-encryption key. */
export interface KeyWrapper {
  /** Encrypts `secret`, binding `context` (e.g. `audit:period:2026-11`) as associated data. */
  wrap(secret: Uint8Array, context: string): Promise<Buffer>;
  /** Reverses {@link wrap}; throws a typed integrity error on a wrong context or damaged input. */
  unwrap(wrapped: Uint8Array, context: string): Promise<Buffer>;
}
