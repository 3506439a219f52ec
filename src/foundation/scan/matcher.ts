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
 *
 * Each shift depends on a table lookup of the bytes the previous shift chose, so one cursor is
 * bound by load latency, not by work; the scan therefore runs four cursors over four quarters of
 * the data in one loop (see {@link scanInterleaved}), about twice as fast on the bench machine.
 *
 * The scan now runs this matcher only over needles shorter than 7 bytes (a 6-byte canary's
 * UTF-8): the aligned-word filter (words.ts, kernel.ts) covers every longer needle at 2–3 times
 * this loop's speed, but its proof needs 7 bytes.
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
   * twice). `onMatch(needleIndex, start)` is called in increasing order of start (ties by needle).
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
    // Matches arrive out of order from the interleaved cursors; they are rare, so collect them
    // as (start, needle) pairs and sort once.
    const found: number[] = [];
    const verify = (key: number, start: number) =>
      this.#verify(key, data, start, end, reportAfter, found);
    if (shift4 === undefined) {
      scanSmall(data, m - 1, end, m, this.#shift2, verify);
    } else {
      scanInterleaved(data, end, m, this.#shift2, shift4, verify);
    }
    if (found.length > 2) {
      const order = Array.from({ length: found.length / 2 }, (_, k) => k);
      order.sort((a, b) => found[2 * a] - found[2 * b] || found[2 * a + 1] - found[2 * b + 1]);
      for (const k of order) {
        onMatch(found[2 * k + 1], found[2 * k]);
      }
    } else if (found.length === 2) {
      onMatch(found[1], found[0]);
    }
  }

  #verify(
    key: number,
    data: Uint8Array,
    start: number,
    end: number,
    reportAfter: number,
    found: number[],
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
        found.push(start, id);
      }
    }
  }
}

/** Below this many window positions the four cursors are not worth their set-up. */
const INTERLEAVE_MIN = 64;

/**
 * The hot loop with both shift tables (needles of 4 bytes or more), run as four independent
 * cursors over four quarters of the window-end positions. Why: each Wu–Manber step's next load
 * address depends on the previous table lookup, so a single cursor is bound by memory latency
 * (~5 ns a step on the bench machine, where a plain byte loop takes under 1 ns a byte); four
 * independent dependency chains let the CPU overlap them, which doubles throughput. Wu–Manber
 * may start at any window position, so the quarters need no overlap: each cursor examines every
 * candidate window end in its own range.
 */
function scanInterleaved(
  data: Uint8Array,
  end: number,
  m: number,
  shift2: Uint8Array,
  shift4: Uint8Array,
  verify: (key: number, start: number) => void,
): void {
  const first = m - 1;
  const span = end - first;
  if (span < INTERLEAVE_MIN) {
    scanHybrid(data, first, end, m, shift2, shift4, verify);
    return;
  }
  const q = Math.ceil(span / 4);
  const ea = first + q;
  const eb = ea + q;
  const ec = eb + q;
  let a = first;
  let b = ea;
  let c = eb;
  let d = ec;
  // The slow path (2-gram table says 0) is written out per cursor, not called through a closure:
  // in digit-heavy text it runs at every third step.
  while (a < ea && b < eb && c < ec && d < end) {
    let sa = shift2[(data[a - 1] << 8) | data[a]];
    let sb = shift2[(data[b - 1] << 8) | data[b]];
    let sc = shift2[(data[c - 1] << 8) | data[c]];
    let sd = shift2[(data[d - 1] << 8) | data[d]];
    if (sa === 0 && (sa = shift4[hash4(data, a)]) === 0) {
      verify(hash4(data, a), a - m + 1);
      sa = 1;
    }
    if (sb === 0 && (sb = shift4[hash4(data, b)]) === 0) {
      verify(hash4(data, b), b - m + 1);
      sb = 1;
    }
    if (sc === 0 && (sc = shift4[hash4(data, c)]) === 0) {
      verify(hash4(data, c), c - m + 1);
      sc = 1;
    }
    if (sd === 0 && (sd = shift4[hash4(data, d)]) === 0) {
      verify(hash4(data, d), d - m + 1);
      sd = 1;
    }
    a += sa;
    b += sb;
    c += sc;
    d += sd;
  }
  scanHybrid(data, a, ea, m, shift2, shift4, verify);
  scanHybrid(data, b, eb, m, shift2, shift4, verify);
  scanHybrid(data, c, ec, m, shift2, shift4, verify);
  scanHybrid(data, d, end, m, shift2, shift4, verify);
}

/** One cursor with both shift tables over the window ends [from, to). */
function scanHybrid(
  data: Uint8Array,
  from: number,
  to: number,
  m: number,
  shift2: Uint8Array,
  shift4: Uint8Array,
  verify: (key: number, start: number) => void,
): void {
  let i = from;
  while (i < to) {
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
  from: number,
  end: number,
  m: number,
  shift2: Uint8Array,
  verify: (key: number, start: number) => void,
): void {
  let i = from;
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
