// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 23 — anonymised analytics: outputs are aggregates only, cells below k = 5 are
 * suppressed, and counting queries carry differential-privacy noise under a tracked per-dataset
 * budget; DP releases may be fine-grained (H3 cell × hour).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../support/dialects.js';
import { generatePopulation } from '../../src/sim/index.js';
import {
  SYNTHETIC_CONSENT,
  recordsFeed,
  runAnalytics,
  startFeedCluster,
  type AnalyticsQuery,
} from '../../src/analytics/index.js';
import { PrivacyLedger, type LocalCluster } from '../../src/privacy/index.js';

let t: TestInstance;
let cluster: LocalCluster;
let identifiers: string[] = [];

beforeAll(async () => {
  const batches = [
    ...generatePopulation({
      people: 300,
      days: 2,
      seed: 23,
      end: new Date('2026-11-26T23:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    }),
  ];
  identifiers = batches
    .flat()
    .flatMap((r) => (r.type === 'resident' ? [r.resident.phone, r.resident.idNumber] : []));
  t = await createTestInstance('sqlite');
  cluster = await startFeedCluster(
    (['cmcc', 'cucc', 'ctcc'] as const).map((c) => recordsFeed(c, batches)),
    SYNTHETIC_CONSENT,
  );
});
afterAll(async () => {
  await cluster.close();
  await t.cleanup();
});

const crowd: AnalyticsQuery = {
  kind: 'crowd',
  prefecture: '320200',
  from: '2026-11-25T06:00:00+08:00',
  hours: 6,
  bound: 4,
};

describe('req. 23: anonymised analytics', () => {
  it('releases only noised aggregates per H3 cell × hour, none below k = 5, with ε/ρ and the noise named', async () => {
    const { release } = await runAnalytics(
      { store: t.store, coordinator: cluster },
      { query: crowd, dataset: 'r23', analyst: 'bureau', rho: 0.5 },
    );
    expect(release.k).toBe(5);
    for (const cell of release.cells) {
      expect(Object.keys(cell).sort()).toEqual(['cell', 'hour', 'value']);
      expect(cell.value as number).toBeGreaterThanOrEqual(5);
    }
    expect(release.suppressed).toBeGreaterThan(0);
    expect(release.noise.mechanism).toMatch(/skellam/);
    expect(release.epsilon).toBeGreaterThan(0);
    expect(release.rho).toBeGreaterThan(0);
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
