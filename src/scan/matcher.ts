// SPDX-License-Identifier: Apache-2.0
/**
 * @module A multi-pattern byte matcher after Wu and Manber ("A fast algorithm for multi-pattern
 * searching", TR-94-17, 1994): one pass over the data finds every occurrence of every needle.
 *
 * Why not Aho–Corasick: with ~1,000 canaries × 8–11 encodings the trie has ~170,000 states, so a
 * byte-indexed DFA table would take ~170 MB, and either form must look at every byte. Wu–Manber
 * slides an m-byte window (m = shortest needle) and skips up to m − 1 bytes whenever the window's
 * last bytes end no needle prefix.
 *
 * Two shift tables, because the canaries' encodings (digits, hex, base64) share their alphabet
 * with ordinary text: a 64 KiB table on the last 2 bytes decides most positions of binary data at
 * one cached load; when it says 0, a 256 KiB table on a hash of the last 4 bytes refines the shift
 * (a 4-gram ending no prefix still allows a skip; in JSON logs and base64 this turns one
 * verification per few bytes into about one per kilobyte). Only windows that pass both are
 * verified, byte by byte, against the needles in their 4-gram's bucket.
 */

/** Largest window we use; longer needles are filtered on their first WINDOW_CAP bytes. */
const WINDOW_CAP = 64;
const HASH_BITS = 18;
const HASH_SHIFT = 32 - HASH_BITS;
const HASH_MUL = 0x9e3779b1;

/** Hash of the 4 bytes ending at `i` (big-endian word times a golden-ratio constant). */
function hash4(a: Uint8Array, i: number): number {
  return (
    Math.imul((a[i - 3] << 24) | (a[i - 2] << 16) | (a[i - 1] << 8) | a[i], HASH_MUL) >>> HASH_SHIFT
  );
}

export class MultiPatternMatcher {
  /** Shortest needle length, capped: the filter window. */
  readonly window: number;
  /** Longest needle length: the overlap a streaming caller must carry between chunks. */
  readonly maxLength: number;
  readonly #needles: readonly Uint8Array[];
  readonly #shift2: Uint8Array;
  /** Present when every needle has 4 bytes or more. */
  readonly #shift4: Uint8Array | undefined;
  readonly #bucketStart: Uint32Array;
  readonly #bucketIds: Uint32Array;

  constructor(needles: readonly Uint8Array[]) {
    if (needles.length === 0) {
      throw new RangeError('"needles" expected at least one needle');
    }
    let min = Infinity;
    let max = 0;
    for (const n of needles) {
      if (!(n instanceof Uint8Array) || n.length < 2) {
        throw new RangeError('"needles" expected Uint8Arrays of 2 bytes or more');
      }
      min = Math.min(min, n.length);
      max = Math.max(max, n.length);
    }
    const m = Math.min(min, WINDOW_CAP);
    this.window = m;
    this.maxLength = max;
    this.#needles = needles;

    // shift[g] = how far the window may move when its last bytes are g: the smallest distance
    // from an occurrence of g inside some needle's m-byte prefix to that prefix's end.
    const shift2 = new Uint8Array(65536).fill(m - 1);
    const shift4 = m >= 4 ? new Uint8Array(1 << HASH_BITS).fill(m - 3) : undefined;
    for (const n of needles) {
      for (let j = 1; j < m; j++) {
        const g = (n[j - 1] << 8) | n[j];
        if (m - 1 - j < shift2[g]) {
          shift2[g] = m - 1 - j;
        }
      }
      if (shift4 !== undefined) {
        for (let j = 3; j < m; j++) {
          const g = hash4(n, j);
          if (m - 1 - j < shift4[g]) {
            shift4[g] = m - 1 - j;
          }
        }
      }
    }
    // Buckets (CSR layout) of the needles whose m-byte prefix ends in each key: the 4-gram hash
    // when there is a 4-gram table, else the 2-gram.
    const keys = shift4 !== undefined ? 1 << HASH_BITS : 65536;
    const key = (n: Uint8Array) =>
      shift4 !== undefined ? hash4(n, m - 1) : (n[m - 2] << 8) | n[m - 1];
    const starts = new Uint32Array(keys + 1);
    for (const n of needles) {
      const b = key(n) + 1;
      starts[b] = starts[b] + 1;
    }
    for (let g = 1; g <= keys; g++) {
      starts[g] = starts[g] + starts[g - 1];
    }
    const fill = starts.slice(0, keys);
    const ids = new Uint32Array(needles.length);
    needles.forEach((n, id) => {
      const g = key(n);
      ids[fill[g]] = id;
      fill[g] = fill[g] + 1;
    });
    this.#shift2 = shift2;
    this.#shift4 = shift4;
    this.#bucketStart = starts;
    this.#bucketIds = ids;
  }

  /**
   * Reports every needle occurrence that lies entirely within `data[0, end)` and ends after
   * `reportAfter` (so a streaming caller that re-feeds its carried overlap never reports a match
   * twice). `onMatch(needleIndex, start)` is called in increasing order of window start.
   */
  scan(
    data: Uint8Array,
    end: number,
    reportAfter: number,
    onMatch: (needle: number, start: number) => void,
  ): void {
    if (end > data.length) {
      throw new RangeError('"end" lies beyond the data');
    }
    const m = this.window;
    const shift4 = this.#shift4;
    const verify = (key: number, start: number) =>
      this.#verify(key, data, start, end, reportAfter, onMatch);
    if (shift4 === undefined) {
      scanSmall(data, end, m, this.#shift2, verify);
    } else {
      scanHybrid(data, end, m, this.#shift2, shift4, verify);
    }
  }

  #verify(
    key: number,
    data: Uint8Array,
    start: number,
    end: number,
    reportAfter: number,
    onMatch: (needle: number, start: number) => void,
  ): void {
    const ids = this.#bucketIds;
    for (let k = this.#bucketStart[key], last = this.#bucketStart[key + 1]; k < last; k++) {
      const id = ids[k];
      const n = this.#needles[id];
      const len = n.length;
      if (start + len > end || start + len <= reportAfter || data[start] !== n[0]) {
        continue;
      }
      let j = 1;
      while (j < len && data[start + j] === n[j]) {
        j++;
      }
      if (j === len) {
        onMatch(id, start);
      }
    }
  }
}

/** The hot loop with both shift tables (needles of 4 bytes or more). */
function scanHybrid(
  data: Uint8Array,
  end: number,
  m: number,
  shift2: Uint8Array,
  shift4: Uint8Array,
  verify: (key: number, start: number) => void,
): void {
  let i = m - 1;
  while (i < end) {
    const s = shift2[(data[i - 1] << 8) | data[i]];
    if (s !== 0) {
      i += s;
      continue;
    }
    const g =
      Math.imul(
        (data[i - 3] << 24) | (data[i - 2] << 16) | (data[i - 1] << 8) | data[i],
        HASH_MUL,
      ) >>> HASH_SHIFT;
    const s4 = shift4[g];
    if (s4 !== 0) {
      i += s4;
      continue;
    }
    verify(g, i - m + 1);
    i++;
  }
}

/** The loop for needle sets with 2- or 3-byte needles: the 2-gram table alone. */
function scanSmall(
  data: Uint8Array,
  end: number,
  m: number,
  shift2: Uint8Array,
  verify: (key: number, start: number) => void,
): void {
  let i = m - 1;
  while (i < end) {
    const g = (data[i - 1] << 8) | data[i];
    const s = shift2[g];
    if (s !== 0) {
      i += s;
      continue;
    }
    verify(g, i - m + 1);
    i++;
  }
}
