// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { DataKeyCache, type WrappedKeyRow } from './key-cache.js';

const row = (subjectId: string, gen = 1, wrappedByte = 1, kekVersion = 1): WrappedKeyRow => ({
  subjectId,
  scope: 'itinerary',
  gen,
  kekVersion,
  wrapped: Buffer.alloc(60, wrappedByte),
});

/** An unwrap that counts calls and hands out distinct keys it remembers (to see zeroising). */
function unwrapper() {
  const handed: Buffer[] = [];
  return {
    handed,
    unwrap: (r: WrappedKeyRow): Promise<Buffer> => {
      const k = Buffer.alloc(32, (handed.length % 250) + 1);
      handed.push(k);
      void r;
      return Promise.resolve(k);
    },
  };
}

describe('the data-key cache', () => {
  it('unwraps once per wrapped row and hands out copies the caller owns', async () => {
    const c = new DataKeyCache(new FixedClock('2026-11-27T12:00:00+08:00'));
    const u = unwrapper();
    const a = await c.keyFor(row('s1'), u.unwrap);
    a.fill(0); // the caller zeroises its copy; the cached key is untouched
    const b = await c.keyFor(row('s1'), u.unwrap);
    expect(u.handed).toHaveLength(1);
    expect(b.equals(Buffer.alloc(32, 1))).toBe(true);
    expect(c.has('s1', 'itinerary', 1)).toBe(true);
  });

  it('unwraps again when the row differs (re-wrapped by a rotation) and zeroises the old key', async () => {
    const c = new DataKeyCache(new FixedClock('2026-11-27T12:00:00+08:00'));
    const u = unwrapper();
    await c.keyFor(row('s1', 1, 1, 1), u.unwrap);
    await c.keyFor(row('s1', 1, 2, 2), u.unwrap);
    expect(u.handed).toHaveLength(2);
    expect(u.handed[0].every((b) => b === 0)).toBe(true);
    await c.keyFor(row('s1', 1, 2, 1), u.unwrap); // same bytes, other KEK version: not the same row
    expect(u.handed).toHaveLength(3);
    expect(c.size).toBe(1);
  });

  it('is bounded: the least recently used key is zeroised first', async () => {
    const c = new DataKeyCache(new FixedClock('2026-11-27T12:00:00+08:00'), { capacity: 2 });
    const u = unwrapper();
    await c.keyFor(row('a'), u.unwrap);
    await c.keyFor(row('b'), u.unwrap);
    await c.keyFor(row('a'), u.unwrap); // a is now the most recent
    await c.keyFor(row('c'), u.unwrap);
    expect(c.size).toBe(2);
    expect(c.has('b', 'itinerary', 1)).toBe(false);
    expect(u.handed[1].every((x) => x === 0)).toBe(true);
    expect(c.has('a', 'itinerary', 1) && c.has('c', 'itinerary', 1)).toBe(true);
  });

  it('zeroises on forget, forgetSubject, idleness and clear', async () => {
    const clock = new FixedClock('2026-11-27T12:00:00+08:00');
    const c = new DataKeyCache(clock, { idleMs: 60_000 });
    const u = unwrapper();
    await c.keyFor(row('a', 1), u.unwrap);
    await c.keyFor(row('a', 2), u.unwrap);
    await c.keyFor(row('b'), u.unwrap);
    c.forget('a', 'itinerary', 1);
    expect(u.handed[0].every((x) => x === 0)).toBe(true);
    c.forgetSubject('a');
    expect(u.handed[1].every((x) => x === 0)).toBe(true);
    expect(c.size).toBe(1);
    clock.advance(60_001);
    await c.keyFor(row('d'), u.unwrap); // any use sweeps idle keys first
    expect(c.has('b', 'itinerary', 1)).toBe(false);
    expect(u.handed[2].every((x) => x === 0)).toBe(true);
    c.clear();
    expect(c.size).toBe(0);
    expect(u.handed[3].every((x) => x === 0)).toBe(true);
  });

  it('refuses a nonsensical bound', () => {
    const clock = new FixedClock('2026-11-27T12:00:00+08:00');
    expect(() => new DataKeyCache(clock, { capacity: 0 })).toThrow(RangeError);
    expect(() => new DataKeyCache(clock, { idleMs: 0 })).toThrow(RangeError);
  });
});
