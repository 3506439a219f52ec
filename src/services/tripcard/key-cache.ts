// SPDX-License-Identifier: Apache-2.0
/**
 * @module A bounded cache of unwrapped subscriber data keys for the itinerary read (issue 8:
 * the query must cost at most 3× reading the phone's rows raw, and unwrapping dominated). It is a
 * memo of `unwrap(wrapped row)`, never a source of truth: each read fetches the rows together
 * with their wrapped key rows (repository `eventsWithKeys`), and a cached key is used only when
 * the live row read in that same statement carries the very same wrapped bytes under the same
 * KEK version. A key destroyed by a crypto-erasure (PIPL art. 47; the vault nulls `wrapped` in
 * the key store) — in this process or any other — therefore reads as destroyed at once, and its
 * cache entry is zeroised then. Entries idle longer than the idle limit, the least recently used
 * beyond the capacity, and all of them on `clear()` are zeroised too (NIST SP 800-57 Pt. 1 §8.3.4:
 * keys leave memory when no longer needed).
 */
import type { Clock } from '../../kernel/shared/index.js';
import { zeroize } from '../../kernel/crypto/index.js';

/** A live data-key row as the key store holds it. */
export interface WrappedKeyRow {
  readonly subjectId: string;
  readonly scope: string;
  readonly gen: number;
  readonly kekVersion: number;
  readonly wrapped: Buffer;
}

interface Entry {
  readonly kekVersion: number;
  readonly wrapped: Buffer;
  readonly key: Buffer;
  usedAt: number;
}

/** Default capacity: 4,096 keys (about 400 KiB with their wrapped rows). */
export const KEY_CACHE_CAPACITY = 4096;
/** Default idle limit: a key unused for 10 minutes is zeroised. */
export const KEY_CACHE_IDLE_MS = 10 * 60_000;

const slot = (subjectId: string, scope: string, gen: number) =>
  `${subjectId}\u0000${scope}\u0000${gen}`;

export class DataKeyCache {
  readonly capacity: number;
  readonly idleMs: number;
  readonly #clock: Clock;
  /** Map order is recency: the first entry is the least recently used. */
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Clock, options: { capacity?: number; idleMs?: number } = {}) {
    const capacity = options.capacity ?? KEY_CACHE_CAPACITY;
    const idleMs = options.idleMs ?? KEY_CACHE_IDLE_MS;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('"capacity" expected a positive integer');
    }
    if (!(idleMs > 0)) {
      throw new RangeError('"idleMs" expected a positive number');
    }
    this.capacity = capacity;
    this.idleMs = idleMs;
    this.#clock = clock;
  }

  /** Keys held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether a key of this slot is held (tests: an erased subject's key must not be). */
  has(subjectId: string, scope: string, gen: number): boolean {
    return this.#entries.has(slot(subjectId, scope, gen));
  }

  /**
   * The unwrapped key of a live row: the cached one when it was unwrapped from these very bytes,
   * else `unwrap(row)`'s (then cached). Returns a copy the caller owns and zeroises when done:
   * the cached buffer may be zeroised by an eviction at any `await`, so it never leaves the cache.
   */
  async keyFor(
    row: WrappedKeyRow,
    unwrap: (row: WrappedKeyRow) => Promise<Buffer>,
  ): Promise<Buffer> {
    const now = this.#clock.now().getTime();
    this.#expire(now);
    const k = slot(row.subjectId, row.scope, row.gen);
    const hit = this.#entries.get(k);
    if (hit !== undefined) {
      this.#entries.delete(k);
      if (hit.kekVersion === row.kekVersion && hit.wrapped.equals(row.wrapped)) {
        hit.usedAt = now;
        this.#entries.set(k, hit);
        return Buffer.from(hit.key);
      }
      zeroize(hit.key); // re-wrapped by a rotation (or replaced): unwrap the current row
    }
    const key = await unwrap(row);
    // Another read may have filled the slot while we unwrapped: keep ours, zeroise the other.
    this.#drop(k);
    this.#entries.set(k, {
      kekVersion: row.kekVersion,
      wrapped: Buffer.from(row.wrapped),
      key,
      usedAt: now,
    });
    while (this.#entries.size > this.capacity) {
      this.#drop(this.#entries.keys().next().value!);
    }
    return Buffer.from(key);
  }

  /** Zeroises and forgets a slot's key (its row came back destroyed or missing). */
  forget(subjectId: string, scope: string, gen: number): void {
    this.#drop(slot(subjectId, scope, gen));
  }

  /** Zeroises and forgets every key of a subject (an erasure made in this process). */
  forgetSubject(subjectId: string): void {
    const prefix = `${subjectId}\u0000`;
    for (const k of [...this.#entries.keys()]) {
      if (k.startsWith(prefix)) {
        this.#drop(k);
      }
    }
  }

  /** Zeroises and forgets every key (the service's `close()`). */
  clear(): void {
    for (const e of this.#entries.values()) {
      zeroize(e.key);
    }
    this.#entries.clear();
  }

  #drop(k: string): void {
    const e = this.#entries.get(k);
    if (e !== undefined) {
      zeroize(e.key);
      this.#entries.delete(k);
    }
  }

  /** Drops keys idle longer than the limit (the oldest-used come first in map order). */
  #expire(now: number): void {
    for (const [k, e] of this.#entries) {
      if (now - e.usedAt <= this.idleMs) {
        return;
      }
      zeroize(e.key);
      this.#entries.delete(k);
    }
  }
}
