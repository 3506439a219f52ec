// SPDX-License-Identifier: Apache-2.0
/**
 * @module Additive secret sharing over the ring Z_2^64 on `BigUint64Array` (wrap-around on store is
 * the ring reduction). A vector x is split into N shares s_1..s_N with Σ s_j = x mod 2^64; any N−1
 * of them are uniformly random and independent of x. Shares may be PRG-compressed: N−1 shares are
 * the ChaCha20 keystream (RFC 8439 §2.4, via node:crypto) of a fresh 32-byte seed, so only the seed
 * and one full vector cross the wire. Everything works chunk by chunk, so memory stays bounded.
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import type { Random } from '../../kernel/shared/index.js';
import { assertBytes, assertInteger } from '../../kernel/shared/index.js';

/**
 * Cells per streamed chunk by default: 128 Ki cells = 1 MiB frames — big enough that per-frame
 * costs (a promise, a header, a keystream call) vanish, small enough to pipeline a histogram.
 */
export const DEFAULT_CHUNK_CELLS = 131_072;

/**
 * The two little-endian 32-bit halves of a ring vector. Arithmetic runs on these with JIT-friendly
 * number operations (a carry or borrow from the low word), never a BigInt per element: reading a
 * `BigUint64Array` element allocates a BigInt, which made aggregation allocation-bound.
 */
function words(v: BigUint64Array): Uint32Array {
  return new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
}

function sameLength(acc: BigUint64Array, x: BigUint64Array): void {
  if (acc.length !== x.length) {
    throw new RangeError('"x" must have the length of "acc"');
  }
}

/** acc[i] ← acc[i] + x[i] mod 2^64. */
export function addInto(acc: BigUint64Array, x: BigUint64Array): void {
  sameLength(acc, x);
  addWords(words(acc), words(x));
}

/** acc[i] ← acc[i] − x[i] mod 2^64. */
export function subInto(acc: BigUint64Array, x: BigUint64Array): void {
  sameLength(acc, x);
  subWords(words(acc), words(x));
}

/** Word-pair addition; Uint32Array stores reduce mod 2^32, so only the carry is explicit. */
export function addWords(a: Uint32Array, b: Uint32Array): void {
  const n = a.length;
  for (let i = 0; i < n; i += 2) {
    const lo = a[i] + b[i];
    a[i] = lo;
    a[i + 1] = a[i + 1] + b[i + 1] + (lo > 0xffffffff ? 1 : 0);
  }
}

/** Word-pair subtraction with an explicit borrow. */
export function subWords(a: Uint32Array, b: Uint32Array): void {
  const n = a.length;
  for (let i = 0; i < n; i += 2) {
    const lo = a[i] - b[i];
    a[i] = lo;
    a[i + 1] = a[i + 1] - b[i + 1] - (lo < 0 ? 1 : 0);
  }
}

/** Adds a signed integer vector (e.g. a noise share, |x| < 2^31) into a ring vector; negatives wrap. */
export function addSignedInto(acc: BigUint64Array, x: Int32Array | readonly number[]): void {
  if (acc.length !== x.length) {
    throw new RangeError('"x" must have the length of "acc"');
  }
  const a = words(acc);
  for (let i = 0, j = 0; i < x.length; i++, j += 2) {
    const v = x[i];
    const lo = a[j] + (v >>> 0);
    a[j] = lo;
    // The high word of a sign-extended v is 0xffffffff (i.e. −1) when v < 0.
    a[j + 1] = a[j + 1] + (v < 0 ? 0xffffffff : 0) + (lo > 0xffffffff ? 1 : 0);
  }
}

/**
 * Reads a ring element as a signed integer in [−2^63, 2^63) — how a noised count that came out
 * slightly negative is seen after reconstruction.
 */
export function toSigned(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/**
 * A deterministic keystream generator: ChaCha20 under a 32-byte seed with a zero nonce and counter.
 * Each seed is used for one vector of one job only, so the (key, nonce) pair never repeats.
 */
export class Prg {
  readonly #cipher: Cipher;
  #zeros: Buffer = Buffer.alloc(0);
  constructor(seed: Uint8Array) {
    assertBytes(seed, 'seed', 32);
    this.#cipher = createCipheriv('chacha20', seed, Buffer.alloc(16));
  }
  /** Fills `out` with the next keystream words. */
  fill(out: BigUint64Array): void {
    const bytes = out.length * 8;
    if (this.#zeros.length < bytes) {
      this.#zeros = Buffer.alloc(bytes);
    }
    const ks = this.#cipher.update(this.#zeros.subarray(0, bytes));
    new Uint8Array(out.buffer, out.byteOffset, bytes).set(ks);
  }
  /**
   * The next `n` keystream words in a fresh vector backed by the cipher's own output (no copy):
   * for callers that only read it once, such as adding a PRG share into an accumulator.
   */
  take(n: number): BigUint64Array {
    const bytes = n * 8;
    if (this.#zeros.length < bytes) {
      this.#zeros = Buffer.alloc(bytes);
    }
    return bytesToVector(this.#cipher.update(this.#zeros.subarray(0, bytes)));
  }
  /** The next `n` keystream words as a new vector. */
  next(n: number): BigUint64Array {
    const out = new BigUint64Array(n);
    this.fill(out);
    return out;
  }
}

/**
 * Splits `values` into `n` fresh shares (none compressed). Use for small vectors and tests; the
 * streaming protocol uses {@link ShareSplitter}.
 */
export function splitShares(values: BigUint64Array, n: number, random: Random): BigUint64Array[] {
  assertInteger(n, 'n', 2, 1024);
  const shares: BigUint64Array[] = [];
  const last = values.slice();
  for (let j = 0; j < n - 1; j++) {
    const s = randomVector(values.length, random);
    subInto(last, s);
    shares.push(s);
  }
  shares.push(last);
  return shares;
}

/** Σ shares mod 2^64. */
export function reconstruct(shares: readonly BigUint64Array[]): BigUint64Array {
  const first = shares[0];
  if (first === undefined) {
    throw new RangeError('"shares" must not be empty');
  }
  const out = first.slice();
  for (let j = 1; j < shares.length; j++) {
    addInto(out, shares[j]);
  }
  return out;
}

/** A vector of uniformly random ring elements from the randomness port. */
export function randomVector(n: number, random: Random): BigUint64Array {
  const b = random.bytes(n * 8);
  const out = new BigUint64Array(n);
  new Uint8Array(out.buffer).set(b);
  b.fill(0);
  return out;
}

/**
 * Streams an input party's vector into N shares with N−1 of them PRG-compressed: the holders of
 * `seeds[j]` expand their share themselves ({@link Prg}); the last compute party receives, chunk by
 * chunk, x − Σ_j PRG(seed_j). Chunks must be fed in order.
 */
export class ShareSplitter {
  readonly seeds: readonly Uint8Array[];
  readonly #prgs: Prg[];
  constructor(parties: number, random: Random) {
    assertInteger(parties, 'parties', 2, 64);
    const seeds: Uint8Array[] = [];
    for (let j = 0; j < parties - 1; j++) {
      seeds.push(new Uint8Array(random.bytes(32)));
    }
    this.seeds = seeds;
    this.#prgs = seeds.map((s) => new Prg(s));
  }
  /** The last party's share of the next chunk: `chunk − Σ PRG_j`, written into `out`. */
  maskChunk(chunk: BigUint64Array, out: BigUint64Array): void {
    if (out.length !== chunk.length) {
      throw new RangeError('"out" must have the length of "chunk"');
    }
    out.set(chunk);
    for (const prg of this.#prgs) {
      subInto(out, prg.take(chunk.length));
    }
  }
  /** Zeroes the seeds once they have been sent (they are key material). */
  destroy(): void {
    for (const s of this.seeds) {
      s.fill(0);
    }
  }
}

/** Views `bytes` (length a multiple of 8, little-endian) as ring elements, copying when unaligned. */
export function bytesToVector(bytes: Uint8Array): BigUint64Array {
  if (bytes.length % 8 !== 0) {
    throw new RangeError('"bytes" length must be a multiple of 8');
  }
  if (bytes.byteOffset % 8 === 0) {
    return new BigUint64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  }
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new BigUint64Array(copy.buffer);
}

/** The little-endian bytes of a vector (a view, no copy). */
export function vectorToBytes(v: BigUint64Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
