// SPDX-License-Identifier: Apache-2.0
/**
 * @module Release rules for private aggregates: contribution bounding at the input parties (each
 * person counts at most once per cell and in at most c cells per query), small-cell suppression
 * (noised counts below k, default 5, are withheld; DOMAIN.md §6 req. 23) and the pre-release
 * linkage test (req. 24, after GB/T 42460's re-identification assessment). Pure functions.
 */
import { RandomBits } from './random-bits.js';

/** Default suppression threshold (DOMAIN.md req. 23). */
export const DEFAULT_K = 5;

/** Statistics of a locally built, bounded histogram (kept at the holder; not released). */
export interface BoundingStats {
  readonly persons: number;
  /** Person-cell contributions dropped by the bound c. */
  readonly dropped: number;
  /** Contributions outside the query's public domain. */
  readonly outOfDomain: number;
}

/**
 * Builds a counting histogram over a fixed public domain, one person at a time, enforcing the
 * contribution bound: a person's distinct cells beyond `c` are dropped by a uniform random choice
 * (not "the first c", which would bias towards early hours).
 */
export class BoundedHistogram {
  readonly counts: BigUint64Array;
  readonly c: number;
  readonly #bits: RandomBits;
  #persons = 0;
  #dropped = 0;
  #outOfDomain = 0;
  constructor(length: number, c: number, bits: RandomBits = new RandomBits()) {
    if (!(Number.isInteger(length) && length >= 1)) {
      throw new RangeError('"length" must be a positive integer');
    }
    if (!(Number.isInteger(c) && c >= 1)) {
      throw new RangeError('"c" must be a positive integer');
    }
    this.counts = new BigUint64Array(length);
    this.c = c;
    this.#bits = bits;
  }

  /** Adds one person's cells (indices; −1 or out-of-range = outside the domain; duplicates ignored). */
  addPerson(cells: Iterable<number>): number[] {
    const distinct = new Set<number>();
    for (const i of cells) {
      if (Number.isInteger(i) && i >= 0 && i < this.counts.length) {
        distinct.add(i);
      } else {
        this.#outOfDomain++;
      }
    }
    if (distinct.size === 0) {
      return [];
    }
    this.#persons++;
    let kept = [...distinct];
    if (kept.length > this.c) {
      // Partial Fisher–Yates: a uniform c-subset.
      for (let j = 0; j < this.c; j++) {
        const r = j + this.#bits.uniform(kept.length - j);
        [kept[j], kept[r]] = [kept[r], kept[j]];
      }
      this.#dropped += kept.length - this.c;
      kept = kept.slice(0, this.c);
    }
    for (const i of kept) {
      this.counts[i] += 1n;
    }
    return kept;
  }

  get stats(): BoundingStats {
    return { persons: this.#persons, dropped: this.#dropped, outOfDomain: this.#outOfDomain };
  }
}

/** One released cell: the noised count, or null when suppressed. */
export type ReleasedValue = number | null;

/** Applies small-cell suppression to noised counts. */
export function suppressSmallCells(
  noised: readonly (number | bigint)[] | BigInt64Array,
  k: number = DEFAULT_K,
): { values: ReleasedValue[]; suppressed: number } {
  if (!(Number.isInteger(k) && k >= 1)) {
    throw new RangeError('"k" must be a positive integer');
  }
  let suppressed = 0;
  const values: ReleasedValue[] = [];
  for (const v of noised) {
    const n = Number(v);
    if (n < k) {
      suppressed++;
      values.push(null);
    } else {
      values.push(n);
    }
  }
  return { values, suppressed };
}

/** A holder's raw record as the linkage test sees it: a person and the cells they fall in. */
export interface LinkageRecord {
  readonly cells: readonly number[];
}

/** What a linkage test reports (stored with the release; counts only, no personal data). */
export interface LinkageResult {
  readonly method: 'prosecutor-singling-out/v1';
  readonly records: number;
  /** Records a holder could single out using its own raw table and the release. */
  readonly singledOut: number;
  /** Released cells that hold exactly one of this holder's records (informational). */
  readonly uniqueMatches: number;
  /** Released cells whose index lies outside the public domain (malformed release). */
  readonly malformed: number;
  readonly pass: boolean;
}

/**
 * The pre-release linkage test at one holder (DOMAIN.md req. 24). The attacker holds this raw
 * table and the release and joins them on the release key (the cell). A record is singled out
 * when it lies in a released cell whose value, read with a 95 % margin of the noise
 * (1.96·σ, σ² the total noise variance), proves that fewer than k people are in that cell — then
 * the holder knows the cell is a tiny group containing that record. A released cell outside the
 * public domain also fails the test. Run at every input party; the raw table never leaves it.
 */
export function linkageTest(
  records: Iterable<LinkageRecord>,
  release: {
    readonly values: readonly ReleasedValue[];
    readonly noiseVariance: number;
    readonly k: number;
  },
): LinkageResult {
  const margin = 1.96 * Math.sqrt(Math.max(0, release.noiseVariance));
  const local = new Map<number, number>();
  let count = 0;
  let singledOut = 0;
  let malformed = 0;
  for (const r of records) {
    count++;
    let out = false;
    for (const cell of r.cells) {
      if (!(cell >= 0 && cell < release.values.length)) {
        malformed++;
        continue;
      }
      const v = release.values[cell];
      if (v === null || v === undefined) {
        continue;
      }
      local.set(cell, (local.get(cell) ?? 0) + 1);
      if (v + margin < release.k) {
        out = true;
      }
    }
    if (out) {
      singledOut++;
    }
  }
  let uniqueMatches = 0;
  for (const n of local.values()) {
    if (n === 1) {
      uniqueMatches++;
    }
  }
  return {
    method: 'prosecutor-singling-out/v1',
    records: count,
    singledOut,
    uniqueMatches,
    malformed,
    pass: singledOut === 0 && malformed === 0,
  };
}

/** Combines the holders' linkage results; the release passes only if every holder's passes. */
export function combineLinkage(results: readonly LinkageResult[]): LinkageResult {
  const sum = (f: (r: LinkageResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    method: 'prosecutor-singling-out/v1',
    records: sum((r) => r.records),
    singledOut: sum((r) => r.singledOut),
    uniqueMatches: sum((r) => r.uniqueMatches),
    malformed: sum((r) => r.malformed),
    pass: results.length > 0 && results.every((r) => r.pass),
  };
}
