// SPDX-License-Identifier: Apache-2.0
import { cellToParent } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { generatePopulation, type SyntheticRecord } from '../../foundation/sim/index.js';
import { startFeedCluster } from './feed-cluster.js';
import { SYNTHETIC_CONSENT, buildLocalInput, denyListConsent, recordsFeed } from './local.js';
import { compileQuery, type AnalyticsQuery } from './model.js';
import { releaseCsv, releaseHeatmap, runAnalytics } from './service.js';

const END = new Date('2026-11-26T23:59:00+08:00');
let batches: SyntheticRecord[][];
let t: TestInstance;

beforeAll(async () => {
  batches = [
    ...generatePopulation({ people: 400, days: 2, seed: 7, end: END, timeZone: 'Asia/Shanghai' }),
  ];
  t = await createTestInstance('sqlite');
});
afterAll(async () => {
  await t.cleanup();
});

const holders = () => (['cmcc', 'cucc', 'ctcc'] as const).map((c) => recordsFeed(c, batches));

/**
 * The plaintext sums the parties should reveal. With `dedup`, a person (by ID number) is counted
 * only by the first holder, in job order, that counts them — what PSI de-duplication computes.
 */
async function plaintext(query: AnalyticsQuery, dedup = false): Promise<bigint[]> {
  const compiled = compileQuery(query);
  const job = {
    id: 'plaintext-check',
    query,
    cells: compiled.cells,
    inputs: [],
    compute: [],
    chunkCells: 1,
    deadline: END.toISOString(),
    noise: { kind: 'none' as const },
    contributionBound: compiled.bound,
  };
  const sum = new Array<bigint>(compiled.cells).fill(0n);
  const seen = new Set<string>();
  for (const h of holders()) {
    const local = await buildLocalInput(job, h, SYNTHETIC_CONSENT);
    if (!dedup) {
      local.histogram.forEach((v, i) => (sum[i] += v));
      continue;
    }
    for (const p of local.persons) {
      if (p.id !== undefined && !seen.has(p.id)) {
        p.cells.forEach((c) => sum[c]++);
      }
    }
    local.persons.forEach((p) => p.id !== undefined && seen.add(p.id));
  }
  return sum;
}

describe('analytics releases over the parties', () => {
  it('noise off (test seam): released cells equal the plaintext sums; small cells suppressed', async () => {
    const query: AnalyticsQuery = {
      kind: 'od',
      prefecture: '320200',
      from: '2026-11-25T00:00:00+08:00',
      hours: 48,
      bound: 1000,
    };
    const cluster = await startFeedCluster(holders(), SYNTHETIC_CONSENT, { allowNoiseOff: true });
    try {
      const out = await runAnalytics(
        { store: t.store, coordinator: cluster, noiseOffForTests: true },
        { query, dataset: 'test', analyst: 'a', rho: 0.5, dedup: false },
      );
      expect(out.release.crossHolder).toBe('multiplied');
      const truth = await plaintext(query);
      expect(truth.some((v) => v >= 5n)).toBe(true);
      out.values.forEach((v, i) => {
        expect(v).toBe(truth[i] >= 5n ? Number(truth[i]) : null);
      });
      expect(out.release.suppressed).toBe(truth.filter((v) => v < 5n).length);
      expect(releaseCsv(out.release).split('\n')[0]).toBe('origin,destination,value');
      expect(releaseHeatmap(out)).toContain('<svg');
    } finally {
      await cluster.close();
    }
  });

  it('PSI de-duplication: a person at several carriers counts at most c times across holders', async () => {
    // District OD flows: without de-duplication a person with SIMs at two carriers is counted by
    // both; with it the revealed sums are exactly those of each person counted by one holder
    // only. (c is large here so no random c-subset makes the plaintext differ from the parties';
    // dedup.test.ts checks the bound c itself.)
    const query: AnalyticsQuery = {
      kind: 'od',
      prefecture: '320200',
      from: '2026-11-25T00:00:00+08:00',
      hours: 48,
      bound: 1000,
    };
    const twoCarriers = batches
      .flat()
      .filter(
        (r) =>
          r.type === 'resident' &&
          r.resident.secondPhone !== undefined &&
          r.resident.secondPhone.carrier !== r.resident.carrier,
      );
    expect(twoCarriers.length).toBeGreaterThan(0);
    const cluster = await startFeedCluster(holders(), SYNTHETIC_CONSENT, { allowNoiseOff: true });
    try {
      const out = await runAnalytics(
        { store: t.store, coordinator: cluster, noiseOffForTests: true },
        { query, dataset: 'dedup', analyst: 'a', rho: 0.5 },
      );
      const deduped = await plaintext(query, true);
      const raw = await plaintext(query, false);
      const total = (xs: readonly bigint[]) => xs.reduce((a, v) => a + v, 0n);
      // Some person really would be counted twice without PSI.
      expect(total(raw)).toBeGreaterThan(total(deduped));
      expect(deduped.some((v) => v >= 5n)).toBe(true);
      out.values.forEach((v, i) => {
        expect(v).toBe(deduped[i] >= 5n ? Number(deduped[i]) : null);
      });
      expect(out.release).toMatchObject({ crossHolder: 'ecdh-psi', holdersPerPerson: 1 });
    } finally {
      await cluster.close();
    }
  });

  it('noise on: charges the ledger, carries ε/ρ, k, noise and suppressed; over budget is refused before any work', async () => {
    const query: AnalyticsQuery = {
      kind: 'crowd',
      prefecture: '320200',
      from: '2026-11-26T07:00:00+08:00',
      hours: 6,
      bound: 4,
    };
    const provided: string[] = [];
    const cluster = await startFeedCluster(holders(), SYNTHETIC_CONSENT, {
      onProvide: (h) => provided.push(h),
    });
    try {
      const deps = { store: t.store, coordinator: cluster };
      const out = await runAnalytics(deps, {
        query,
        dataset: 'crowd-test',
        analyst: 'bureau',
        rho: 0.6,
      });
      expect(out.release).toMatchObject({
        k: 5,
        linkage: { pass: true },
        holdersPerPerson: 1,
        crossHolder: 'ecdh-psi',
      });
      expect(out.release.chargedRho).toBeLessThanOrEqual(0.6);
      expect(out.release.epsilon).toBeGreaterThan(0);
      expect(out.release.noise.mechanism).toBe('skellam (distributed)');
      expect(out.release.suppressed + out.release.released).toBe(out.compiled.cells);
      expect(out.release.remainingRho).toBeCloseTo(1 - out.release.chargedRho, 6);
      expect(provided).toHaveLength(3);
      await expect(
        runAnalytics(deps, { query, dataset: 'crowd-test', analyst: 'bureau', rho: 0.6 }),
      ).rejects.toMatchObject({
        code: 'ERR_PRIVACY_BUDGET_EXCEEDED',
      });
      expect(provided).toHaveLength(3); // no party was asked for anything
    } finally {
      await cluster.close();
    }
  });

  it('subscribers without a statistics basis contribute nothing (consent port)', async () => {
    const window = { prefecture: '320200', from: '2026-11-25T00:00:00+08:00', hours: 48 };
    // The city's central cell (first in ring order), as a resolution-6 site.
    const centre = compileQuery({ kind: 'crowd', ...window }).keyOf(0).cell as string;
    const site: AnalyticsQuery = { kind: 'site', ...window, site: cellToParent(centre, 6) };
    const job = (q: AnalyticsQuery) => ({
      id: 'consent-check-1',
      query: q,
      cells: 1,
      inputs: [],
      compute: [],
      chunkCells: 1,
      deadline: END.toISOString(),
      noise: { kind: 'none' as const },
      contributionBound: 1,
    });
    const phones = batches
      .flat()
      .flatMap((r) => (r.type === 'location-events' && r.carrier === 'cmcc' ? [r.phone] : []));
    const all = await buildLocalInput(job(site), recordsFeed('cmcc', batches), SYNTHETIC_CONSENT);
    const none = await buildLocalInput(
      job(site),
      recordsFeed('cmcc', batches),
      denyListConsent(phones),
    );
    expect(none.histogram[0]).toBe(0n);
    expect(none.stats.refusedByConsent).toBeGreaterThan(0);
    expect(all.stats.persons).toBeGreaterThan(0);
  });
});
