// SPDX-License-Identifier: Apache-2.0
/**
 * @module The randomness port (STYLE.md §9). Production uses the OS CSPRNG; tests may inject a
 * deterministic source. Bytes are drawn in bulk where many are needed (anchors/baselines.md:
 * `randomBytes(12)` costs ~5.5 µs per call, so per-call draws dominate small records).
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** A source of random bytes. */
export interface Random {
  bytes(n: number): Buffer;
}

/** The OS CSPRNG through node:crypto. */
export const systemRandom: Random = { bytes: (n) => randomBytes(n) };

/** A random RFC 4122 v4 id from the CSPRNG. */
export function randomId(): string {
  return randomUUID();
}

/**
 * Hands out random bytes from a pool refilled in large draws; the pool's bytes are never reused.
 */
export class PooledRandom implements Random {
  readonly #source: Random;
  readonly #poolSize: number;
  #pool: Buffer = Buffer.alloc(0);
  #offset = 0;
  constructor(source: Random = systemRandom, poolSize = 64 * 1024) {
    this.#source = source;
    this.#poolSize = poolSize;
  }
  bytes(n: number): Buffer {
    if (n > this.#poolSize / 4) {
      return this.#source.bytes(n);
    }
    if (this.#offset + n > this.#pool.length) {
      this.#pool = this.#source.bytes(this.#poolSize);
      this.#offset = 0;
    }
    const out = Buffer.from(this.#pool.subarray(this.#offset, this.#offset + n));
    this.#pool.fill(0, this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }
}
