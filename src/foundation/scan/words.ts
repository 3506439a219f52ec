// SPDX-License-Identifier: Apache-2.0
/**
 * @module The aligned-word filter of the residual scan: an exact multi-literal search that reads
 * each aligned 32-bit word of the data once (a q-gram filter in the sense of Navarro and Raffinot,
 * "Flexible Pattern Matching in Strings", 2002, §3.4, sampled on a fixed grid).
 *
 * Why aligned words: Wu–Manber's skip loop (matcher.ts) has a data-dependent next address, so it
 * is bound by load latency; reading the words at 0, 4, 8, … instead is a fixed-stride loop that
 * the CPU and the WebAssembly kernel (kernel.ts) run at memory-copy speed, and it still cannot
 * miss a needle of 7 bytes or more:
 *
 * Claim: every occurrence of an indexed needle is reported exactly once.
 * Proof. Let the needle n (length L ≥ 7) occur at start s, and a = s mod 4. Its candidate offsets
 * for class a are o ≡ (4 − a) mod 4 (mod 4), o + 4 ≤ L; the smallest is ≤ 3 and 3 + 4 ≤ 7 ≤ L, so
 * at least one exists, and s + o is a multiple of 4 for each. The index stores for (n, a) exactly
 * one entry (n, o_a, word n[o_a, o_a+4), and for a pair entry also n[o_a+4, o_a+8)). The scan
 * visits the aligned position p = s + o_a, whose word equals the entry's word (and the next word
 * its second word), so the bitmaps pass it and the verifier, looking up that word, finds the entry
 * and checks n at p − o_a = s: found. Uniqueness: an entry (n, o) yields the start p − o, whose
 * class is (−o) mod 4 = a because p ≡ 0, so the four entries of n never yield the same start, and
 * the entry of class a yields s only at p = s + o_a, visited once. ∎
 *
 * Pairs: where o_a + 8 ≤ L (every class once L ≥ 11), the entry holds a PAIR of consecutive
 * aligned words. The kernel tests the first word in map A and, only on a hit, the pair's hash in
 * bitmap P (single-word entries: bitmap S), so a digit word of a log line that happens to start
 * an ID number reaches JavaScript only if the next 4 bytes match too.
 *
 * Choice of the indexed word: a word already indexed adds no new map-A hits, so it is preferred
 * (up to 50 entries a word); among new words, all-digit and one-byte-repeated ones cost ten times
 * more, because JSON logs and SQLite pages are full of them. With the bench's 1,000 canaries
 * (31,988 entries) this leaves 5,392 distinct first words; with map A at 2^19 entries, 2.4 % of
 * the words of JSON log lines pass it (1.0 % of random data), and bitmaps P and S (hashes
 * independent of A's) leave about 1,400 candidates per 64 MB of JSON for the verifier (1,900 for
 * random data), against 485,000 real word hits per 64 MB of JSON in the first prototype (the
 * least-shared word, digits or not, and no pairs).
 *
 * The grid is that of the scanned array (`data[0]` is aligned): the proof holds for any grid, so
 * chunks, carried overlaps and ranges need no alignment of their own.
 */
import { A_BYTES, BITMAP_BYTES, P_BASE, S_BASE, hashA, hashP, hashS } from './kernel.js';

/** Needles shorter than this are not covered by the proof above (matcher.ts handles them). */
export const MIN_WORD_NEEDLE = 7;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian 32-bit word at `i` (the kernel's `i32.load`), as a signed int. */
export function word(d: Uint8Array, i: number): number {
  return d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (d[i + 3] << 24);
}

/** Words that ordinary data is full of: four ASCII digits, or one byte four times. */
function lowEntropy(w: number): boolean {
  let digits = 0;
  for (let k = 0; k < 32; k += 8) {
    const b = (w >>> k) & 0xff;
    if (b >= 0x30 && b <= 0x39) {
      digits++;
    }
  }
  const b0 = w & 0xff;
  return digits === 4 || w === (b0 | (b0 << 8) | (b0 << 16) | (b0 << 24));
}

/**
 * Counts per (word, word) key in typed arrays with linear probing: the index is built from tens
 * of thousands of entries, and a Map keyed by 32-bit words (numbers beyond V8's small integers)
 * allocates a heap number per key.
 */
class WordCounts {
  readonly keyA: Int32Array;
  readonly keyB: Int32Array;
  readonly count: Int32Array;
  readonly shift: number;
  readonly #mask: number;

  constructor(maxKeys: number) {
    let log = 4;
    while (1 << log < 2 * maxKeys) {
      log++;
    }
    this.keyA = new Int32Array(1 << log);
    this.keyB = new Int32Array(1 << log);
    this.count = new Int32Array(1 << log);
    this.shift = 32 - log;
    this.#mask = (1 << log) - 1;
  }

  /** The slot of (a, b): where it is, or the empty slot where it would go. */
  slot(a: number, b: number): number {
    let s = Math.imul(a ^ Math.imul(b, 0x85ebca77), 0x9e3779b1) >>> this.shift;
    while (this.count[s] !== 0 && (this.keyA[s] !== a || this.keyB[s] !== b)) {
      s = (s + 1) & this.#mask;
    }
    return s;
  }

  get(a: number, b: number): number {
    return this.count[this.slot(a, b)];
  }

  add(a: number, b: number): void {
    const s = this.slot(a, b);
    this.keyA[s] = a;
    this.keyB[s] = b;
    this.count[s] = this.count[s] + 1;
  }
}

export class AlignedWordIndex {
  /** Bitmaps A, S and P, laid out as the kernel's memory expects them at address 0. */
  readonly bitmaps: Uint8Array;
  readonly #needles: readonly Uint8Array[];
  readonly #bmA: Uint8Array;
  readonly #bmS: Uint32Array;
  readonly #bmP: Uint32Array;
  /** Open-addressing table: first word → group index + 1 (0 = empty). */
  readonly #slotKey: Int32Array;
  readonly #slotGroup: Int32Array;
  readonly #slotShift: number;
  readonly #groupStart: Int32Array;
  readonly #entNeedle: Int32Array;
  readonly #entOff: Int32Array;
  readonly #entW1: Int32Array;
  readonly #entPair: Uint8Array;

  /** Indexes the needles with index in `ids` (each at least MIN_WORD_NEEDLE bytes long). */
  constructor(needles: readonly Uint8Array[], ids: readonly number[]) {
    this.#needles = needles;
    this.bitmaps = new Uint8Array(BITMAP_BYTES);
    const all = new Uint32Array(this.bitmaps.buffer);
    this.#bmA = this.bitmaps.subarray(0, A_BYTES);
    this.#bmS = all.subarray(S_BASE / 4, P_BASE / 4);
    this.#bmP = all.subarray(P_BASE / 4);
    const entries = ids.length * 4;
    const uses = new WordCounts(entries); // first word → entries under it (its group's size)
    const pairUses = new WordCounts(entries);
    const entW0 = new Int32Array(entries);
    this.#entNeedle = new Int32Array(entries);
    this.#entOff = new Int32Array(entries);
    this.#entW1 = new Int32Array(entries);
    this.#entPair = new Uint8Array(entries);
    let e = 0;
    for (const id of ids) {
      const n = needles[id];
      if (n.length < MIN_WORD_NEEDLE) {
        throw new RangeError('"ids" expected needles of 7 bytes or more');
      }
      for (let a = 0; a < 4; a++) {
        const first = (4 - a) & 3;
        const pair = first + 8 <= n.length;
        const width = pair ? 8 : 4;
        let best = first;
        let bestCost = Infinity;
        for (let o = first; o + width <= n.length; o += 4) {
          const w0 = word(n, o);
          const used = uses.get(w0, 0);
          // A word already indexed adds no bitmap hits; a new one adds its frequency in data.
          const cost =
            (used > 0 ? Math.min(used, 50) : lowEntropy(w0) ? 1000 : 100) +
            (pair ? 4 * pairUses.get(w0, word(n, o + 4)) : 0);
          if (cost < bestCost) {
            bestCost = cost;
            best = o;
          }
        }
        const w0 = word(n, best);
        const w1 = pair ? word(n, best + 4) : 0;
        uses.add(w0, 0);
        if (pair) {
          pairUses.add(w0, w1);
        }
        entW0[e] = w0;
        this.#entNeedle[e] = id;
        this.#entOff[e] = best;
        this.#entW1[e] = w1;
        this.#entPair[e] = pair ? 1 : 0;
        e++;
        const h = hashA(w0);
        this.#bmA[h] = 1;
        if (pair) {
          const hp = hashP(w0, w1);
          this.#bmP[hp >>> 5] |= 1 << (hp & 31);
        } else {
          const hs = hashS(w0);
          this.#bmS[hs >>> 5] |= 1 << (hs & 31);
        }
      }
    }
    // Group the entries by first word (CSR layout, groups in slot order); the lookup table is
    // the counter of first words itself, with each used slot pointing at its group.
    this.#slotKey = uses.keyA;
    this.#slotShift = uses.shift;
    this.#slotGroup = new Int32Array(uses.count.length);
    let groups = 0;
    for (let s = 0; s < uses.count.length; s++) {
      if (uses.count[s] !== 0) {
        this.#slotGroup[s] = ++groups;
      }
    }
    this.#groupStart = new Int32Array(groups + 1);
    for (let s = 0; s < uses.count.length; s++) {
      const g = this.#slotGroup[s];
      if (g !== 0) {
        this.#groupStart[g] = uses.count[s];
      }
    }
    for (let g = 1; g <= groups; g++) {
      this.#groupStart[g] += this.#groupStart[g - 1];
    }
    // Entries in group order, stable within a group (needle order, then class).
    const fill = this.#groupStart.slice(0, groups);
    const order = new Int32Array(e);
    for (let k = 0; k < e; k++) {
      const g = this.#slotGroup[uses.slot(entW0[k], 0)] - 1;
      order[fill[g]++] = k;
    }
    const permute = <T extends Int32Array | Uint8Array>(a: T): T => {
      const copy = a.slice() as T;
      for (let k = 0; k < e; k++) {
        a[k] = copy[order[k]];
      }
      return a;
    };
    permute(this.#entNeedle);
    permute(this.#entOff);
    permute(this.#entW1);
    permute(this.#entPair);
  }

  /**
   * Checks the candidate word at data offset `p` (a multiple of 4) against its entries; pushes
   * (start, needle) for each needle lying in `[0, end)` and ending after `reportAfter`.
   */
  verify(data: Uint8Array, p: number, end: number, reportAfter: number, found: number[]): void {
    if (p < 0 || p + 4 > end) {
      return;
    }
    const w0 = word(data, p);
    const mask = this.#slotKey.length - 1;
    let s = Math.imul(w0, 0x9e3779b1) >>> this.#slotShift;
    let g = this.#slotGroup[s];
    while (g !== 0 && this.#slotKey[s] !== w0) {
      s = (s + 1) & mask;
      g = this.#slotGroup[s];
    }
    if (g === 0) {
      return;
    }
    const w1 = p + 8 <= end ? word(data, p + 4) : 0;
    for (let e = this.#groupStart[g - 1], last = this.#groupStart[g]; e < last; e++) {
      if (this.#entPair[e] === 1 && (p + 8 > end || this.#entW1[e] !== w1)) {
        continue;
      }
      const n = this.#needles[this.#entNeedle[e]];
      const start = p - this.#entOff[e];
      const stop = start + n.length;
      if (start < 0 || stop > end || stop <= reportAfter) {
        continue;
      }
      let j = 0;
      while (j < n.length && data[start + j] === n[j]) {
        j++;
      }
      if (j === n.length) {
        found.push(start, this.#entNeedle[e]);
      }
    }
  }

  /** The kernel's loop in JavaScript: for synchronous callers and before the kernel is loaded. */
  scanJs(data: Uint8Array, end: number, reportAfter: number, found: number[]): void {
    const bmA = this.#bmA;
    const bmS = this.#bmS;
    const bmP = this.#bmP;
    const words =
      LITTLE_ENDIAN && data.byteOffset % 4 === 0
        ? new Int32Array(data.buffer, data.byteOffset, end >>> 2)
        : undefined;
    const last = end - 4;
    for (let p = 0; p <= last; p += 4) {
      const w = words !== undefined ? words[p >>> 2] : word(data, p);
      const h = hashA(w);
      if (bmA[h] === 0) {
        continue;
      }
      const hs = hashS(w);
      let pass = (bmS[hs >>> 5] & (1 << (hs & 31))) !== 0;
      if (!pass && p + 8 <= end) {
        const hp = hashP(w, words !== undefined ? words[(p >>> 2) + 1] : word(data, p + 4));
        pass = (bmP[hp >>> 5] & (1 << (hp & 31))) !== 0;
      }
      if (pass) {
        this.verify(data, p, end, reportAfter, found);
      }
    }
  }
}
