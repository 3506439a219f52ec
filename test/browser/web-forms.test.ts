// SPDX-License-Identifier: Apache-2.0
/**
 * @module The web UI's form rules in Node (the same modules the page runs, no browser needed):
 * the health declaration (web/src/lib/declaration.ts → `POST /api/citizen/declarations`) and the
 * risk-area editor (web/src/lib/risk-areas.ts ↔ `GET`/`PUT /api/operator/risk-areas`). Property
 * tests use fast-check with fixed seeds, so every run checks the same cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SYMPTOMS,
  checkDeclaration,
  isCalendarDate,
  parseTemperature,
  toggleSymptom,
  type Symptom,
} from '../../web/src/lib/declaration.js';
import {
  NEW_AREA,
  endOfLocalDay,
  fromDrafts,
  localDay,
  localMidnight,
  parseRiskAreas,
  toDraft,
  type RiskArea,
} from '../../web/src/lib/risk-areas.js';

const SEED = { seed: 20261127, numRuns: 300 };
const draft = (over: Partial<Parameters<typeof checkDeclaration>[0]> = {}) => ({
  temperature: '',
  symptoms: [] as Symptom[],
  itinerary: [{ region: '', from: '', to: '' }],
  ...over,
});

describe('health declaration form', () => {
  it('reads temperatures 34–43 °C with a dot or a comma; anything else is a problem', () => {
    expect(parseTemperature('37.5')).toBe(37.5);
    expect(parseTemperature(' 37,5 ')).toBe(37.5);
    expect(parseTemperature('34')).toBe(34);
    expect(parseTemperature('43')).toBe(43);
    expect(parseTemperature('')).toBeUndefined();
    for (const bad of ['33.9', '43.01', '370', 'abc', '37.', '-37', '37.555']) {
      expect(parseTemperature(bad), bad).toBe('invalid');
    }
  });

  it('"none" and real symptoms exclude each other, whatever is ticked in whatever order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SYMPTOMS), { maxLength: 20 }), (clicks) => {
        const list = clicks.reduce<Symptom[]>((l, s) => toggleSymptom(l, s), []);
        expect(new Set(list).size).toBe(list.length);
        expect(list.includes('none') && list.length > 1).toBe(false);
      }),
      SEED,
    );
    expect(toggleSymptom(['fever', 'cough'], 'none')).toEqual(['none']);
    expect(toggleSymptom(['none'], 'fever')).toEqual(['fever']);
    expect(toggleSymptom(['cough'], 'fever')).toEqual(['fever', 'cough']);
  });

  it('a fever declaration becomes the body the API takes; blank stay rows are left out', () => {
    const r = checkDeclaration(draft({ temperature: '38.2', symptoms: ['fever', 'cough'] }));
    expect(r).toEqual({ ok: true, body: { temperatureC: 38.2, symptoms: ['fever', 'cough'] } });
    const forChild = checkDeclaration(
      draft({
        symptoms: ['none'],
        itinerary: [
          { region: '', from: '', to: '' },
          { region: ' 110101 ', from: '2026-11-20', to: '2026-11-22' },
        ],
        for: 'subj-1',
      }),
    );
    expect(forChild).toEqual({
      ok: true,
      body: {
        symptoms: ['none'],
        itinerary: [{ region: '110101', from: '2026-11-20', to: '2026-11-22' }],
        for: 'subj-1',
      },
    });
  });

  it('names each problem by field: empty form, bad temperature, region, dates', () => {
    expect(checkDeclaration(draft())).toEqual({
      ok: false,
      problems: [{ field: 'form', message: 'declareEmpty' }],
    });
    const r = checkDeclaration(
      draft({
        temperature: '50',
        itinerary: [
          { region: '11010', from: '2026-11-20', to: '2026-11-22' },
          { region: '320200', from: '2026-11-23', to: '2026-11-22' },
          { region: '320200', from: '2026-02-30', to: '2026-03-01' },
        ],
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'temperature', message: 'temperatureRange' },
      { field: 'stay-0-region', message: 'regionInvalid' },
      { field: 'stay-1-dates', message: 'datesInvalid' },
      { field: 'stay-2-dates', message: 'datesInvalid' },
    ]);
  });

  it('refuses a stay that ends after today (when the page passes today)', () => {
    const stay = { region: '110101', from: '2026-11-26', to: '2026-11-28' };
    expect(checkDeclaration(draft({ itinerary: [stay] }), '2026-11-28').ok).toBe(true);
    expect(checkDeclaration(draft({ itinerary: [stay] }), '2026-11-27')).toEqual({
      ok: false,
      problems: [{ field: 'stay-0-dates', message: 'datesFuture' }],
    });
  });

  it('knows real calendar days', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});

describe('risk-area editor', () => {
  const instant = fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => new Date(ms).toISOString());
  const area: fc.Arbitrary<RiskArea> = fc
    .record({
      region: fc.stringMatching(/^\d{6}$/),
      level: fc.constantFrom('medium' as const, 'high' as const),
      from: instant,
      span: fc.option(fc.integer({ min: 86_400_000, max: 60 * 86_400_000 }), { nil: null }),
    })
    .map(({ region, level, from, span }) => ({
      region,
      level,
      from,
      to: span === null ? null : new Date(Date.parse(from) + span).toISOString(),
    }));

  it('writes back untouched rows exactly as the server sent them', () => {
    fc.assert(
      fc.property(fc.array(area, { maxLength: 8 }), (areas) => {
        expect(fromDrafts(areas.map(toDraft))).toEqual({ ok: true, areas });
      }),
      SEED,
    );
  });

  it('a new or edited row means local midnight to the end of the "to" day', () => {
    const r = fromDrafts([{ ...NEW_AREA, region: '110101', level: 'high', from: '2026-12-01' }]);
    expect(r).toEqual({
      ok: true,
      areas: [{ region: '110101', level: 'high', from: localMidnight('2026-12-01'), to: null }],
    });
    const a: RiskArea = {
      region: '320200',
      level: 'medium',
      from: localMidnight('2026-11-01'),
      to: null,
    };
    const edited = { ...toDraft(a), to: '2026-11-30' };
    const out = fromDrafts([edited]);
    expect(out).toEqual({ ok: true, areas: [{ ...a, to: endOfLocalDay('2026-11-30') }] });
    // The "to" day is shown again as the same day (inclusive), not the day after.
    expect(toDraft(out.ok ? out.areas[0] : a).to).toBe('2026-11-30');
    expect(localDay(Date.parse(endOfLocalDay('2026-11-30')))).toBe('2026-12-01');
  });

  it('refuses bad codes and dates by row, and a server answer that is not a list', () => {
    expect(
      fromDrafts([
        { ...NEW_AREA, region: '1101', from: '2026-12-01' },
        { ...NEW_AREA, region: '110101', from: '' },
        { ...NEW_AREA, region: '110101', from: '2026-12-02', to: '2026-12-01' },
      ]),
    ).toEqual({
      ok: false,
      problems: [
        { row: 0, field: 'region', message: 'regionInvalid' },
        { row: 1, field: 'dates', message: 'datesInvalid' },
        { row: 2, field: 'dates', message: 'datesInvalid' },
      ],
    });
    expect(() => parseRiskAreas({ areas: [] })).toThrow(TypeError);
    expect(() => parseRiskAreas([{ region: '110101', level: 'low', from: 'x' }])).toThrow(
      TypeError,
    );
    expect(parseRiskAreas([{ region: '110101', level: 'high', from: '2026-11-01' }])).toEqual([
      { region: '110101', level: 'high', from: '2026-11-01', to: null },
    ]);
  });
});
