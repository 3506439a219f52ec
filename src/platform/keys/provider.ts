// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `KeyProvider` port: who holds the root of the key hierarchy and wraps the
 * key-encryption keys (KEKs) with it. The local provider derives its wrapping key from the master
 * secret (HKDF-SHA-256, RFC 5869); an external KMS or HSM implements the same four calls and the
 * master secret never enters this process (docs/key-providers.md says how one plugs in).
 *
 * Hierarchy: root (provider) → KEK v1, v2, … (random, wrapped by the root, in the key store) →
 * per-subject, per-group DEKs and instance keys (random, wrapped by the current KEK).
 */
import {
  constantTimeEqual,
  hkdfSha256,
  hmacSha256,
  NoncePool,
  open,
  seal,
  zeroize,
  cryptoErrors,
} from '../../kernel/crypto/index.js';
import type { Random } from '../../kernel/shared/random.js';
import { KeyUnwrapError } from './errors.js';
import { kekAad, MASTER_SALT, SECRET_LENGTH } from './model.js';

/** The root of trust: wraps and unwraps KEKs, and proves which root it is. */
export interface KeyProvider {
  /** Stored with each KEK so a store knows which provider wrapped it (`local`, `kms:…`). */
  readonly id: string;
  /**
   * A non-secret value that identifies the root key (hex). Recorded when a data dir is set up;
   * a different value at start-up means the wrong key, and nothing is touched.
   */
  checkValue(): Promise<string>;
  /** Wraps a 32-byte KEK, binding its version. */
  wrapKek(kek: Uint8Array, version: number): Promise<Buffer>;
  /** Unwraps a KEK; throws {@link KeyUnwrapError} if it does not authenticate. */
  unwrapKek(wrapped: Uint8Array, version: number): Promise<Buffer>;
  /** Forgets any key material held in memory. */
  dispose(): void;
}

/** Computes the key check value of a master secret (HMAC-SHA-256 under a derived key, 128 bits). */
export function masterCheckValue(master: Uint8Array): string {
  const k = hkdfSha256(master, MASTER_SALT, 'key-check-value');
  try {
    return hmacSha256(k, 'healthcode master key check value v1').subarray(0, 16).toString('hex');
  } finally {
    zeroize(k);
  }
}

/** True when two check values are equal (constant time). */
export function sameCheckValue(a: string, b: string): boolean {
  return constantTimeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The provider backed by a master secret from `HEALTHCODE_MASTER_KEY` or `DIR/master.key`.
 *
 * @example
 * const provider = new LocalKeyProvider(randomBytes(32), 'env');
 * const wrapped = await provider.wrapKek(kek, 1);
 */
export class LocalKeyProvider implements KeyProvider {
  readonly id = 'local';
  /** Where the secret came from (`env`, `file`, `created`, `shares`), for status output. */
  readonly source: string;
  readonly #master: Buffer;
  readonly #wrapKey: Buffer;
  readonly #nonces: NoncePool;

  constructor(master: Uint8Array, source: string, random?: Random) {
    if (!(master instanceof Uint8Array) || master.length !== SECRET_LENGTH) {
      throw new RangeError(`"master" expected ${SECRET_LENGTH} bytes`);
    }
    this.source = source;
    this.#master = Buffer.from(master);
    this.#wrapKey = hkdfSha256(this.#master, MASTER_SALT, 'kek-wrap');
    this.#nonces = new NoncePool(random, 64);
  }

  checkValue(): Promise<string> {
    return Promise.resolve(masterCheckValue(this.#master));
  }

  wrapKek(kek: Uint8Array, version: number): Promise<Buffer> {
    return Promise.resolve(seal(this.#wrapKey, kek, kekAad(version), this.#nonces));
  }

  unwrapKek(wrapped: Uint8Array, version: number): Promise<Buffer> {
    try {
      return Promise.resolve(open(this.#wrapKey, wrapped, kekAad(version)));
    } catch (err) {
      if (err instanceof cryptoErrors.IntegrityError) {
        throw new KeyUnwrapError(`KEK version ${version} does not unwrap under this master key`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * A copy of the master secret, for Shamir custody export only (`keys export`). The caller
   * zeroes it.
   */
  exportMasterSecret(): Buffer {
    return Buffer.from(this.#master);
  }

  dispose(): void {
    zeroize(this.#master, this.#wrapKey);
  }
}
