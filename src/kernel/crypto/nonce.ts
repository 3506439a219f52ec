// SPDX-License-Identifier: Apache-2.0
/**
 * @module Nonces for AES-256-GCM, drawn from the CSPRNG in bulk (anchors/baselines.md: one
 * `randomBytes(12)` call costs ~5.5 µs, as much as the encryption it serves).
 *
 * Why a nonce never repeats under a key: every nonce is 96 fresh random bits (NIST SP 800-38D
 * §8.2.2, "RBG-based construction"), taken from a pool that one `Random.bytes()` call fills and
 * that hands out each byte once and zeroes it as it goes — so bulk drawing changes the cost, not
 * the distribution. No key here sees many messages: a data key (DEK) encrypts the records of one
 * subject and data group (a handful to a few thousand writes over its life; it is replaced when
 * a partial erasure re-keys the group), and a key-encryption key wraps each data key once per
 * rotation. For q messages under one key the chance of any repeat is below q²/2^97; SP 800-38D
 * §8.3 allows random nonces up to q = 2^32, where that bound is 2^-33. We stay far below it:
 * even a KEK that wraps 10^8 data keys has a repeat chance under 2^-43. Counters would avoid even
 * that, but need per-key state that survives crashes and restores — a worse failure mode.
 */
import type { Random } from '../shared/random.js';
import { systemRandom } from '../shared/random.js';

/** Length of an AES-GCM nonce in bytes (SP 800-38D §5.2.1.1 recommends 96 bits). */
export const NONCE_LENGTH = 12;

/** A source of never-reused 96-bit nonces. */
export interface NonceSource {
  /** Writes the next nonce into `out` at `offset`. */
  writeNonce(out: Uint8Array, offset: number): void;
}

/**
 * Hands out random nonces from a buffer refilled by one CSPRNG call per `batch` nonces. Each
 * nonce is copied out and its bytes in the pool are zeroed, so none is handed out twice.
 *
 * @example
 * const nonces = new NoncePool();
 * const out = Buffer.alloc(12);
 * nonces.writeNonce(out, 0);
 */
export class NoncePool implements NonceSource {
  readonly #random: Random;
  readonly #batch: number;
  #pool: Buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(random: Random = systemRandom, batch = 4096) {
    if (!Number.isInteger(batch) || batch < 1 || batch > 1 << 20) {
      throw new RangeError('"batch" expected an integer in [1, 2^20]');
    }
    this.#random = random;
    this.#batch = batch;
  }

  writeNonce(out: Uint8Array, offset: number): void {
    if (this.#offset + NONCE_LENGTH > this.#pool.length) {
      this.#pool = this.#random.bytes(NONCE_LENGTH * this.#batch);
      if (this.#pool.length !== NONCE_LENGTH * this.#batch) {
        throw new RangeError('random source returned the wrong number of bytes');
      }
      this.#offset = 0;
    }
    const end = this.#offset + NONCE_LENGTH;
    this.#pool.copy(out, offset, this.#offset, end);
    this.#pool.fill(0, this.#offset, end);
    this.#offset = end;
  }
}
