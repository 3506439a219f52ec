// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 24 — re-identification test: before release, a linkage test against the raw
 * table (run at every holder; the raw table never leaves it) must fail to single out any record,
 * and its result is stored with the release — in the privacy ledger, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { generatePopulation } from '../../src/foundation/sim/index.js';
import {
  SYNTHETIC_CONSENT,
  recordsFeed,
  runAnalytics,
  startFeedCluster,
  PrivacyLedger,
  type AnalyticsQuery,
} from '../../src/services/analytics/index.js';
import { type LocalCluster, privacyErrors } from '../../src/foundation/privacy/index.js';

let cluster: LocalCluster;

beforeAll(async () => {
  const batches = [
    ...generatePopulation({
      people: 300,
      days: 2,
      seed: 24,
      end: new Date('2026-11-26T23:00:00+08:00'),
      timeZone: 'Asia/Shanghai',
    }),
  ];
  cluster = await startFeedCluster(
    (['cmcc', 'cucc', 'ctcc'] as const).map((c) => recordsFeed(c, batches)),
    SYNTHETIC_CONSENT,
    {
      allowNoiseOff: true,
    },
  );
});
afterAll(async () => {
  await cluster?.close();
});

const od: AnalyticsQuery = {
  kind: 'od',
  prefecture: '320200',
  from: '2026-11-25T00:00:00+08:00',
  hours: 48,
  bound: 1000,
};

for (const dialect of DIALECTS) {
  describe(`req. 24: re-identification test before release on ${dialect}`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await createTestInstance(dialect);
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('a DP release with suppression passes, and the result is stored with it', async () => {
      const { release } = await runAnalytics(
        { store: t.store, coordinator: cluster },
        { query: od, dataset: 'r24', analyst: 'a', rho: 0.5 },
      );
      expect(release.linkage).toMatchObject({ pass: true, singledOut: 0 });
      expect(release.linkage.records).toBeGreaterThan(0);
      const stored = await new PrivacyLedger(t.store).getRelease(release.releaseId);
      expect(stored?.linkage).toEqual(release.linkage);
    });

    it('an exact release that exposes groups below 5 is withheld; the failed test is stored', async () => {
      // Noise off (test seam) and k = 1: released counts of 1–4 single people out.
      const err = await runAnalytics(
        { store: t.store, coordinator: cluster, noiseOffForTests: true },
        { query: od, dataset: 'r24-exact', analyst: 'a', rho: 0.5, k: 1 },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(privacyErrors.ReidentificationRiskError);
      const id = (err as privacyErrors.ReidentificationRiskError).details.releaseId as string;
      const stored = await new PrivacyLedger(t.store).getRelease(id);
      expect(stored?.linkage.pass).toBe(false);
      expect(stored?.linkage.singledOut).toBeGreaterThan(0);
      expect(stored?.values).toEqual([]);
      expect(stored?.mechanism.withheld).toBe(true);
    });
  });
}
