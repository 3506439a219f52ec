// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ageBand,
  generaliseRegion,
  isKAnonymous,
  isoWeek,
  kAnonymousTable,
  type GeneralisedRecord,
} from './anonymise.js';

const rec = (subjectKey: string, prefecture: string, value: string): GeneralisedRecord => ({
  subjectKey,
  prefecture,
  week: '2022-W49',
  sex: '1',
  ageBand: '30-39',
  value,
});

describe('k-anonymous aggregates', () => {
  it('suppresses cells under k and counts subjects, not records', () => {
    const records = [
      ...Array.from({ length: 5 }, (_, i) => rec(`s${i}`, '4401', 'negative')),
      ...Array.from({ length: 10 }, () => rec('s0', '4403', 'positive')), // one subject, many rows
    ];
    const t = kAnonymousTable('test-results', records, ['prefecture', 'week'], 5);
    expect(t.cells).toEqual([
      { key: { prefecture: '4401', week: '2022-W49' }, value: 'negative', subjects: 5 },
    ]);
    expect(t.suppressedCells).toBe(1);
    expect(JSON.stringify(t)).not.toContain('s0');
  });

  it('every released cell has at least k subjects (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            s: fc.integer({ min: 0, max: 30 }),
            p: fc.constantFrom('4401', '4403', '3101'),
            v: fc.constantFrom('a', 'b'),
          }),
        ),
        fc.integer({ min: 2, max: 8 }),
        (rows, k) =>
          isKAnonymous(
            kAnonymousTable(
              'symptoms',
              rows.map((r) => rec(`s${r.s}`, r.p, r.v)),
              ['prefecture'],
              k,
            ),
          ),
      ),
    );
  });

  it('generalises regions to prefecture, days to ISO week, ages to ten-year bands', () => {
    expect(generaliseRegion('440524')).toBe('4405');
    expect(generaliseRegion('44')).toBe('unknown');
    expect(isoWeek('2022-12-13')).toBe('2022-W50');
    expect(isoWeek('2021-01-01')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(ageBand('1980-06-15', '2022-06-14')).toBe('40-49');
    expect(ageBand('1980-06-15', '2020-06-14')).toBe('30-39');
  });
});
