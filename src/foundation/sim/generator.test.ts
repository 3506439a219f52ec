// SPDX-License-Identifier: Apache-2.0
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  computeIdCheckChar,
  countiesOf,
  isSymptomCode,
  lookupRegion,
  normalisePhone,
  parseIdNumber,
  parseRiskArea,
} from '../../kernel/domain/index.js';
import type { SyntheticRecord, SyntheticResident } from './model.js';
import { generatePopulation, riskAreasFor } from './generator.js';
import { buildCityMap, DEFAULT_PREFECTURE } from './geo.js';
import { CARRIER_PREFIXES } from './context.js';

const END = new Date('2026-03-10T23:59:59+08:00');
const PEOPLE = 3000;
const DAYS = 14;

function collect(options: Parameters<typeof generatePopulation>[0]): SyntheticRecord[] {
  const out: SyntheticRecord[] = [];
  for (const batch of generatePopulation(options)) {
    out.push(...batch);
  }
  return out;
}

function digest(options: Parameters<typeof generatePopulation>[0]): string {
  const h = createHash('sha256');
  for (const batch of generatePopulation(options)) {
    h.update(JSON.stringify(batch));
  }
  return h.digest('hex');
}

function ageAt(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

let records: SyntheticRecord[];
let residents: SyntheticResident[];

beforeAll(() => {
  records = collect({ people: PEOPLE, days: DAYS, seed: 20260310, end: END });
  residents = records.flatMap((r) => (r.type === 'resident' ? [r.resident] : []));
});

describe('determinism', () => {
  const base = { people: 300, days: 3, end: END, timeZone: 'Asia/Shanghai' };
  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = digest({ ...base, seed: 7 });
    expect(digest({ ...base, seed: 7 })).toBe(a);
    expect(digest({ ...base, seed: 8 })).not.toBe(a);
  });

  it('does not depend on the batch size', () => {
    const one = collect({ ...base, seed: 7, batchSize: 1 });
    const many = collect({ ...base, seed: 7, batchSize: 64 });
    expect(JSON.stringify(many)).toBe(JSON.stringify(one));
  });
});

describe('residents', () => {
  it('have valid GB 11643 ID numbers of real counties of the prefecture, unique', () => {
    const counties = new Set(countiesOf(DEFAULT_PREFECTURE).map((c) => c.code));
    const bad: number[] = [];
    for (const r of residents) {
      const parsed = parseIdNumber(r.idNumber, END); // throws on a wrong check character
      const ok =
        /^\d{17}[\dX]$/.test(r.idNumber) &&
        computeIdCheckChar(r.idNumber.slice(0, 17)) === r.idNumber[17] &&
        parsed.regionKnown &&
        counties.has(parsed.regionCode) &&
        parsed.birthDate === r.birthDate &&
        // GB/T 2261.1: odd sequence code = male ('1').
        parsed.sex === r.sex &&
        (Number(r.idNumber[16]) % 2 === 1 ? '1' : '2') === r.sex;
      if (!ok) {
        bad.push(r.seq);
      }
    }
    expect(bad).toEqual([]);
    expect(new Set(residents.map((r) => r.idNumber)).size).toBe(residents.length);
  });

  it('have valid, unique phones on their carriers and a household county in the city', () => {
    const phones = new Set<string>();
    const bad: number[] = [];
    for (const r of residents) {
      let ok =
        lookupRegion(r.householdRegion)?.prefectureCode === DEFAULT_PREFECTURE &&
        r.name.length >= 2 &&
        r.name.length <= 4 &&
        r.address.length > 5 &&
        r.nationality === 'CN';
      for (const { phone, carrier } of [r, ...(r.secondPhone ? [r.secondPhone] : [])]) {
        ok &&=
          normalisePhone(phone) === phone && CARRIER_PREFIXES[carrier].includes(phone.slice(3, 6));
        phones.add(phone);
      }
      if (!ok) {
        bad.push(r.seq);
      }
    }
    expect(bad).toEqual([]);
    const simCount = residents.length + residents.filter((r) => r.secondPhone).length;
    expect(phones.size).toBe(simCount);
  });

  it('have ~10 % second SIMs, always on another carrier', () => {
    const two = residents.filter((r) => r.secondPhone !== undefined);
    expect(two.length / residents.length).toBeGreaterThan(0.08);
    expect(two.length / residents.length).toBeLessThan(0.12);
    expect(two.every((r) => r.secondPhone!.carrier !== r.carrier)).toBe(true);
  });

  it('have 5–10 % under-14s, each with an adult guardian sharing their home', () => {
    const bySeq = new Map(residents.map((r) => [r.seq, r]));
    const today = '2026-03-10';
    const kids = residents.filter((r) => ageAt(r.birthDate, today) < 14);
    expect(kids.length / residents.length).toBeGreaterThan(0.05);
    expect(kids.length / residents.length).toBeLessThan(0.1);
    for (const kid of kids) {
      expect(kid.guardianSeq).toBeDefined();
      const g = bySeq.get(kid.guardianSeq!)!;
      expect(g.seq).toBeLessThan(kid.seq);
      expect(ageAt(g.birthDate, today)).toBeGreaterThanOrEqual(18);
      expect(g.guardianSeq).toBeUndefined();
      expect(kid.homeCell).toBe(g.homeCell);
      expect(kid.address).toBe(g.address);
    }
    const withGuardian = residents.filter((r) => r.guardianSeq !== undefined);
    expect(withGuardian.length).toBe(kids.length);
  });
});

describe('cell events', () => {
  it('average ~12 a day per primary SIM, sorted, inside the day and the map', () => {
    const map = buildCityMap();
    const known = new Set(map.cells);
    const ids = new Set<string>();
    let idEvents = 0;
    let primary = 0;
    let primaryDays = 0;
    const bad: string[] = [];
    for (const r of records) {
      if (r.type !== 'location-events') {
        continue;
      }
      const res = residents[r.seq];
      if (r.phone === res.phone) {
        primary += r.events.length;
        primaryDays++;
      } else if (r.phone !== res.secondPhone?.phone || r.carrier !== res.secondPhone.carrier) {
        bad.push(`events of seq ${r.seq} on an unknown SIM`);
      }
      let last = '';
      for (const e of r.events) {
        if (!known.has(e.cell)) {
          bad.push(`unknown cell ${e.cell}`);
        }
        if (!e.time.startsWith(`${r.day}T`) || !e.time.endsWith('+08:00') || e.time < last) {
          bad.push(`bad time ${e.time}`);
        }
        last = e.time;
        if (r.seq < 500) {
          ids.add(e.id);
          idEvents++;
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(primaryDays).toBe(PEOPLE * DAYS);
    expect(primary / primaryDays).toBeGreaterThan(11.5);
    expect(primary / primaryDays).toBeLessThan(12.5);
    expect(ids.size).toBe(idEvents);
  });

  it('include a few % of person-days in other cities', () => {
    const map = buildCityMap();
    const region = new Map(map.cells.map((c, i) => [c, map.regions[i]]));
    let away = 0;
    let days = 0;
    for (const r of records) {
      if (r.type === 'location-events' && r.phone === residents[r.seq].phone) {
        days++;
        if (r.events.some((e) => !region.get(e.cell)!.startsWith(DEFAULT_PREFECTURE.slice(0, 4)))) {
          away++;
        }
      }
    }
    expect(away / days).toBeGreaterThan(0.005);
    expect(away / days).toBeLessThan(0.05);
  });

  it('never pass the clock', () => {
    const end = new Date('2026-03-10T09:00:00+08:00');
    for (const r of collect({ people: 200, days: 2, seed: 1, end })) {
      const times =
        r.type === 'location-events'
          ? r.events.map((e) => e.time)
          : r.type === 'declaration' || r.type === 'test-result'
            ? [r.time]
            : [];
      for (const t of times) {
        expect(Date.parse(t)).toBeLessThan(end.getTime());
      }
    }
  });
});

describe('health records', () => {
  it('follow their resident and use the domain vocabularies', () => {
    const seen = new Set<number>();
    const bad: string[] = [];
    let positives = 0;
    let tests = 0;
    for (const r of records) {
      if (r.type === 'resident') {
        seen.add(r.resident.seq);
        continue;
      }
      if (!seen.has(r.seq)) {
        bad.push(`${r.type} before its resident`);
      }
      if (r.type === 'declaration') {
        if (r.temperature < 35.8 || r.temperature > 39 || r.symptoms.length === 0) {
          bad.push(`declaration ${r.temperature} ${r.symptoms.join()}`);
        }
        if (!r.symptoms.every((x) => isSymptomCode(x))) {
          bad.push(`symptoms ${r.symptoms.join()}`);
        }
      } else if (r.type === 'test-result') {
        tests++;
        positives += r.result === 'positive' ? 1 : 0;
      } else if (r.type === 'vaccination' && (r.date >= '2026-03-10' || r.dose < 1)) {
        bad.push(`vaccination ${r.date} ${r.dose}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(tests).toBeGreaterThan(PEOPLE * DAYS * 0.2);
    expect(positives / tests).toBeLessThan(0.01);
  });

  it('risk areas are valid designations within the window, in and beyond the city', () => {
    const areas = riskAreasFor({ seed: 3, days: DAYS, end: END, timeZone: 'Asia/Shanghai' });
    expect(areas.length).toBeGreaterThanOrEqual(2);
    for (const a of areas) {
      expect(parseRiskArea(a).level).toBe(a.level);
    }
    expect(areas.some((a) => a.level === 'high')).toBe(true);
    expect(areas.some((a) => lookupRegion(a.region)?.prefectureCode !== DEFAULT_PREFECTURE)).toBe(
      true,
    );
    expect(riskAreasFor({ seed: 3, days: DAYS, end: END })).toEqual(areas);
  });
});
