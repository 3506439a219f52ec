// SPDX-License-Identifier: Apache-2.0
/**
 * @module A revocation list that reveals nobody, after the EU DCC 2022 design (Decision (EU)
 * 2022/483; gateway `RevocationHashTypeDto` SIGNATURE): a token is named by the SHA-256 of its
 * signature — for ES256 only of `r`, since `(r, n−s)` is a second valid signature and would dodge a
 * hash over both halves — and the published list holds only the first 128 bits of
 * SHA-256(salt ‖ token hash), under a salt drawn anew for every publication. An entry says nothing
 * about a person; a verifier can only test a token it holds; two publications cannot be joined.
 */
import { createHash, hash } from 'node:crypto';
import type { AlgName } from './algorithms.js';

/** The issuer-side name of a token: SHA-256 over its signature (ES256: over `r`), hex. */
export function tokenHashOfSignature(alg: AlgName, signature: Uint8Array): string {
  const signed = alg === 'ES256' ? signature.subarray(0, 32) : signature;
  return hash('sha256', signed, 'hex');
}

/** The published form of a token hash under a list's salt: 16 bytes, base64. */
export function saltedEntry(salt: Uint8Array, tokenHashHex: string): string {
  return createHash('sha256')
    .update(salt)
    .update(Buffer.from(tokenHashHex, 'hex'))
    .digest()
    .subarray(0, 16)
    .toString('base64');
}

/** What verifiers hold. */
export interface RevocationList {
  readonly salt: Uint8Array;
  /** Salted, truncated token hashes ({@link saltedEntry}). */
  readonly tokens: ReadonlySet<string>;
  /** Revoked signing-key ids (hex); key ids name issuers' keys, not people. */
  readonly keys: ReadonlySet<string>;
}

export const EMPTY_REVOCATIONS: RevocationList = Object.freeze({
  salt: new Uint8Array(16),
  tokens: new Set<string>(),
  keys: new Set<string>(),
});

/** Builds a published list from token hashes and key ids with a fresh salt. */
export function publishRevocations(
  salt: Uint8Array,
  tokenHashes: readonly string[],
  keyIds: readonly string[],
): RevocationList {
  if (salt.length < 16) {
    throw new RangeError('"salt" expected at least 16 bytes');
  }
  return {
    salt,
    tokens: new Set(tokenHashes.map((h) => saltedEntry(salt, h))),
    keys: new Set(keyIds),
  };
}

/** True when the list names this token (its hash, computed only if needed) or its signing key. */
export function isRevoked(
  list: RevocationList,
  kid: string,
  tokenHashHex: string | (() => string),
): boolean {
  if (list.keys.has(kid)) {
    return true;
  }
  if (list.tokens.size === 0) {
    return false;
  }
  const h = typeof tokenHashHex === 'string' ? tokenHashHex : tokenHashHex();
  return list.tokens.has(saltedEntry(list.salt, h));
}
