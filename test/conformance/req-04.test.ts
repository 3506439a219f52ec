// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 4 — division codes: stored as 6-digit GB/T 2260 strings from a pinned dataset
 * version; 9/12-digit NBS codes are kept in a separate field and never passed off as GB/T 2260;
 * the dataset version is recorded with each record.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countiesOf,
  lookupRegion,
  normaliseRegion,
  parseNbsCode,
  parseRiskArea,
  prefectures,
  REGION_DATASET,
  toDivisionRecord,
} from '../../src/kernel/domain/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { generatePopulation, type SyntheticResident } from '../../src/foundation/sim/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { instanceVault, seedingSink } from '../../src/edges/app/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('req. 4: division codes', () => {
  it('pins the dataset exactly, and REGION_DATASET names the installed version', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies[REGION_DATASET.name]).toBe(REGION_DATASET.version);
    const require = createRequire(import.meta.url);
    const installed = JSON.parse(
      readFileSync(require.resolve(`${REGION_DATASET.name}/package.json`), 'utf8'),
    ) as { version: string };
    expect(installed.version).toBe(REGION_DATASET.version);
  });

  it('hands out only six-digit codes', () => {
    const places = prefectures();
    const codes = [
      ...places.map((p) => p.code),
      ...places.slice(0, 40).flatMap((p) => countiesOf(p.code).map((c) => c.code)),
      ...places.map((p) => normaliseRegion(p.code)),
    ];
    expect(codes.length).toBeGreaterThan(300);
    for (const c of codes) {
      expect(c).toMatch(/^\d{6}$/);
      expect(lookupRegion(c)?.code).toBe(c);
    }
  });

  it('builds the stored form of a division: code, dataset version, NBS code in its own field', () => {
    expect(toDivisionRecord('110105', '110105001001')).toEqual({
      code: '110105',
      dataset: `${REGION_DATASET.name}@${REGION_DATASET.version}`,
      known: true,
      nbsCode: '110105001001',
    });
    expect(toDivisionRecord('440524')).toMatchObject({ known: false, nbsCode: null });
    expect(() => toDivisionRecord('110105', '310101001001')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_REGION_FORMAT' }),
    );
  });

  it('refuses 9- and 12-digit NBS codes wherever a GB/T 2260 code is expected', () => {
    for (const nbs of ['110105001', '110105001001']) {
      expect(() => normaliseRegion(nbs)).toThrow(
        expect.objectContaining({ code: 'ERR_DOMAIN_REGION_NBS_CODE' }),
      );
      expect(() => toDivisionRecord(nbs)).toThrow(
        expect.objectContaining({ code: 'ERR_DOMAIN_REGION_NBS_CODE' }),
      );
      expect(lookupRegion(nbs)).toBeUndefined();
      expect(() =>
        parseRiskArea({ region: nbs, level: 'high', from: '2022-04-01T00:00:00Z', to: null }),
      ).toThrow(expect.objectContaining({ code: 'ERR_DOMAIN_RISK_AREA' }));
      expect(parseNbsCode(nbs).countyCode).toBe('110105');
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 4: stored address records on ${dialect}`, () => {
    const now = new Date('2026-11-20T12:00:00+08:00');
    let t: TestInstance;
    const residents: SyntheticResident[] = [];

    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock(now) });
      // The real write path of address records: the vault's population sink (seed, ingest).
      const sink = await seedingSink(t.store, { actor: 'system:seed' });
      for (const batch of generatePopulation({ people: 6, days: 1, seed: 4, end: now })) {
        residents.push(...batch.flatMap((r) => (r.type === 'resident' ? [r.resident] : [])));
        await sink.write(batch);
      }
      await sink.finish();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('keeps the six-digit code and the pinned dataset version in every stored address', async () => {
      const iv = await instanceVault(t.store);
      try {
        const repo = iv.vault.systemRepository({ actor: 'test:req4', purpose: 'maintenance' });
        expect(residents.length).toBe(6);
        for (const r of residents) {
          const subject = await repo.findCitizen(r.idNumber);
          expect(subject).toBeDefined();
          const [address, ...more] = await repo.list(subject!, { categories: ['address'] });
          expect(more).toEqual([]);
          expect(address.value).toMatchObject({
            householdRegion: r.householdRegion,
            regionDataset: `${REGION_DATASET.name}@${REGION_DATASET.version}`,
            regionKnown: lookupRegion(r.householdRegion) !== undefined,
          });
          expect((address.value as { householdRegion: string }).householdRegion).toMatch(/^\d{6}$/);
        }
      } finally {
        await iv.finish();
      }
    });
  });
}
