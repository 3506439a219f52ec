// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 23 — anonymised analytics: outputs are aggregates only, cells below k = 5 are
 * suppressed, and counting queries carry differential-privacy noise under a tracked per-dataset
 * budget; DP releases may be fine-grained (H3 cell × hour). The synthetic city is sparse at that
 * grain, so a gathering of 40 more residents in one cell and hour is added to it: the release
 * must carry that cell with a count the noise can explain. The ledger runs on SQLite and
 * PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { computeIdCheckChar } from '../../src/kernel/domain/index.js';
import {
  generatePopulation,
  type CarrierId,
  type SyntheticRecord,
  type SyntheticResident,
} from '../../src/foundation/sim/index.js';
import {
  SYNTHETIC_CONSENT,
  compileQuery,
  recordsFeed,
  runAnalytics,
  startFeedCluster,
  PrivacyLedger,
  type AnalyticsQuery,
} from '../../src/services/analytics/index.js';
import type { LocalCluster } from '../../src/foundation/privacy/index.js';

const CARRIERS: readonly CarrierId[] = ['cmcc', 'cucc', 'ctcc'];
const GATHERING = 40;
const GATHERING_AT = '2026-11-25T09:30:00+08:00';
const GATHERING_HOUR = new Date('2026-11-25T09:00:00+08:00').toISOString();

const crowd: AnalyticsQuery = {
  kind: 'crowd',
  prefecture: '320200',
  from: '2026-11-25T06:00:00+08:00',
  hours: 6,
  bound: 4,
};

let cluster: LocalCluster;
let identifiers: string[] = [];
let gatheringCell = '';
/** Every (cell, hour) of the query's public grid. */
const grid = new Set<string>();

beforeAll(async () => {
  const batches: SyntheticRecord[][] = [
    ...generatePopulation({
      people: 300,
      days: 2,
      seed: 23,
      end: new Date('2026-11-26T23:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    }),
  ];
  const compiled = compileQuery(crowd);
  for (let i = 0; i < compiled.cells; i++) {
    const key = compiled.keyOf(i);
    grid.add(`${key.cell}|${key.hour}`);
  }
  // The gathering's cell: one of the grid's where nobody of the population is seen that hour, so
  // its true count is exactly the gathering (each SIM there once, and nowhere else).
  const hourStart = Date.parse(GATHERING_HOUR);
  const busy = new Set(
    batches
      .flat()
      .flatMap((r) => (r.type === 'location-events' ? r.events : []))
      .filter((e) => Date.parse(e.time) >= hourStart && Date.parse(e.time) < hourStart + 3_600_000)
      .map((e) => e.cell),
  );
  gatheringCell = [...grid]
    .filter((k) => k.endsWith(`|${GATHERING_HOUR}`))
    .map((k) => k.split('|')[0])
    .sort()
    .find((c) => !busy.has(c))!;
  // Forty more residents of the city (the holders' real-name registers know them), each seen
  // there once that hour and nowhere else in the window.
  const [model] = batches.flat().flatMap((r) => (r.type === 'resident' ? [r.resident] : []));
  const gathering: SyntheticRecord[] = [];
  for (let i = 0; i < GATHERING; i++) {
    const body = `32028219900101${String(100 + i)}`;
    const resident: SyntheticResident = {
      ...model,
      seq: 100_000 + i,
      idNumber: body + computeIdCheckChar(body),
      phone: `+86199${String(70_000_000 + i)}`,
      carrier: CARRIERS[i % CARRIERS.length],
      secondPhone: undefined,
      canary: false,
    };
    gathering.push({ type: 'resident', resident });
    gathering.push({
      type: 'location-events',
      seq: resident.seq,
      phone: resident.phone,
      carrier: resident.carrier,
      day: GATHERING_AT.slice(0, 10),
      events: [{ id: `gathering-${i}`, time: GATHERING_AT, cell: gatheringCell }],
    });
  }
  batches.push(gathering);
  identifiers = batches
    .flat()
    .flatMap((r) =>
      r.type === 'resident'
        ? [r.resident.phone, r.resident.idNumber]
        : r.type === 'location-events'
          ? [r.phone]
          : [],
    );
  cluster = await startFeedCluster(
    CARRIERS.map((c) => recordsFeed(c, batches)),
    SYNTHETIC_CONSENT,
  );
}, 60_000);
afterAll(async () => {
  await cluster?.close();
});

for (const dialect of DIALECTS) {
  describe(`req. 23: anonymised analytics on ${dialect}`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await createTestInstance(dialect);
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('releases noised aggregates per H3 cell × hour, none below k = 5, the gathering among them', async () => {
      const { release } = await runAnalytics(
        { store: t.store, coordinator: cluster },
        { query: crowd, dataset: 'r23', analyst: 'bureau', rho: 0.5 },
      );
      expect(release.k).toBe(5);
      expect(release.noise.mechanism).toMatch(/skellam/);
      expect(release.epsilon).toBeGreaterThan(0);
      expect(release.rho).toBeGreaterThan(0);
      // Every cell of the grid is either released or counted as suppressed.
      expect(gatheringCell).toMatch(/^[0-9a-f]{15}$/);
      expect(release.cells.length).toBe(release.released);
      expect(release.released).toBeGreaterThan(0);
      expect(release.suppressed).toBeGreaterThan(0);
      expect(release.released + release.suppressed).toBe(grid.size);
      const seen = new Set<string>();
      for (const cell of release.cells) {
        expect(Object.keys(cell).sort()).toEqual(['cell', 'hour', 'value']);
        expect(Number.isInteger(cell.value)).toBe(true);
        expect(cell.value as number).toBeGreaterThanOrEqual(5);
        const key = `${cell.cell}|${cell.hour}`;
        expect(grid.has(key), key).toBe(true);
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
      // The gathering is released, its count within six standard deviations of the noise.
      const gathering = release.cells.find(
        (c) => c.cell === gatheringCell && c.hour === GATHERING_HOUR,
      );
      expect(gathering).toBeDefined();
      const sd = Math.sqrt(Number(release.noise.variance));
      expect(sd).toBeGreaterThan(0);
      expect(Math.abs((gathering!.value as number) - GATHERING)).toBeLessThanOrEqual(6 * sd);
      // Aggregate only: no phone number or ID number of the city appears in the release.
      const text = JSON.stringify(release);
      expect(identifiers.length).toBeGreaterThan(300);
      expect(identifiers.filter((id) => text.includes(id))).toEqual([]);
    });

    it('tracks the budget per dataset and analyst and refuses a query that would exceed it', async () => {
      const ledger = new PrivacyLedger(t.store);
      await ledger.setBudget('r23-small', 'bureau', 0.3);
      await runAnalytics(
        { store: t.store, coordinator: cluster },
        { query: crowd, dataset: 'r23-small', analyst: 'bureau', rho: 0.2 },
      );
      await expect(
        runAnalytics(
          { store: t.store, coordinator: cluster },
          { query: crowd, dataset: 'r23-small', analyst: 'bureau', rho: 0.2 },
        ),
      ).rejects.toMatchObject({ code: 'ERR_PRIVACY_BUDGET_EXCEEDED' });
      expect((await ledger.remaining('r23-small', 'bureau')).used).toBeLessThanOrEqual(0.3);
      expect(await ledger.listReleases('r23-small')).toHaveLength(1);
    });
  });
}
