// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { isAdult, residentProfile } from './identity.js';
import { CANARY_CHARS, FEMALE_CHARS, MALE_CHARS } from './names.js';

const END = new Date('2026-03-10T12:00:00+08:00');

describe('residentProfile', () => {
  it('keeps ID numbers and phone numbers unique at scale without remembering any', () => {
    const ctx = createContext({ people: 30_000, days: 1, seed: 99, end: END });
    const ids = new Set<string>();
    const phones = new Set<string>();
    let sims = 0;
    for (let seq = 0; seq < 30_000; seq++) {
      const { resident } = residentProfile(ctx, seq);
      ids.add(resident.idNumber);
      phones.add(resident.phone);
      sims++;
      if (resident.secondPhone) {
        phones.add(resident.secondPhone.phone);
        sims++;
      }
    }
    expect(ids.size).toBe(30_000);
    expect(phones.size).toBe(sims);
  });

  it('rebuilds the same resident alone (a guardian, a canary) as in the stream', () => {
    const ctx = createContext({ people: 500, days: 1, seed: 5, end: END });
    expect(residentProfile(ctx, 321)).toEqual(residentProfile(ctx, 321));
    expect(isAdult(ctx, 0)).toBe(true);
  });

  it('plants canaries with four-character names no ordinary resident can have', () => {
    const ctx = createContext({ people: 2000, days: 1, seed: 5, end: END, canaries: 8 });
    const canaries = [...ctx.canaryAt.keys()].map((s) => residentProfile(ctx, s).resident);
    expect(canaries).toHaveLength(8);
    expect(new Set(canaries.map((c) => c.name)).size).toBe(8);
    for (const c of canaries) {
      expect(c.canary).toBe(true);
      expect([...c.name]).toHaveLength(4);
      expect([...c.name.slice(2)].every((ch) => CANARY_CHARS.includes(ch))).toBe(true);
      expect(c.guardianSeq).toBeUndefined();
    }
    const ordinary = new Set([...MALE_CHARS, ...FEMALE_CHARS]);
    expect(CANARY_CHARS.some((ch) => ordinary.has(ch))).toBe(false);
  });
});
