// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { generatePopulation, type SyntheticRecord } from '../../foundation/sim/index.js';
import { PrivacyLedger } from './ledger.js';
import { analyticsBudget, parseAnalyticsRequest, runReleaseWithFeeds } from './api.js';
import { SYNTHETIC_CONSENT, recordsFeed } from './local.js';

let t: TestInstance;
let batches: SyntheticRecord[][];

beforeAll(async () => {
  batches = [
    ...generatePopulation({
      people: 200,
      days: 1,
      seed: 11,
      end: new Date('2026-11-26T23:59:00+08:00'),
      timeZone: 'Asia/Shanghai',
    }),
  ];
  t = await createTestInstance('sqlite');
});
afterAll(async () => {
  await t.cleanup();
});

describe('analytics for the HTTP API', () => {
  it('validates request bodies: the query, labels, ρ and the k ≥ 5 policy', () => {
    const body = {
      query: { kind: 'od', prefecture: '320200', from: '2026-11-26T00:00:00+08:00', hours: 24 },
      dataset: 'carriers:320200',
      analyst: 'bureau',
      rho: 0.5,
    };
    expect(parseAnalyticsRequest(body)).toMatchObject({ dataset: 'carriers:320200', rho: 0.5 });
    for (const bad of [
      { ...body, k: 2 },
      { ...body, rho: 0 },
      { ...body, analyst: 'a b' },
      { ...body, query: { kind: 'od' } },
      { ...body, extra: 1 },
    ]) {
      expect(() => parseAnalyticsRequest(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_ANALYTICS_QUERY' }),
      );
    }
  });

  it('runs a query to a stored release and the budget view follows it', async () => {
    await new PrivacyLedger(t.store).setBudget('api', 'bureau', 1);
    expect(await analyticsBudget(t.store, { dataset: 'api', analyst: 'bureau' })).toEqual({
      dataset: 'api',
      analyst: 'bureau',
      budgetRho: 1,
      usedRho: 0,
      remainingRho: 1,
    });
    const request = parseAnalyticsRequest({
      query: { kind: 'od', prefecture: '320200', from: '2026-11-26T00:00:00+08:00', hours: 24 },
      dataset: 'api',
      analyst: 'bureau',
      rho: 0.4,
    });
    const release = await runReleaseWithFeeds(t.store, request, {
      holders: (['cmcc', 'cucc', 'ctcc'] as const).map((c) => recordsFeed(c, batches)),
      consent: SYNTHETIC_CONSENT,
    });
    expect(release).toMatchObject({ k: 5, crossHolder: 'ecdh-psi', linkage: { pass: true } });
    const view = await analyticsBudget(t.store, { dataset: 'api', analyst: 'bureau' });
    expect(view.usedRho).toBeCloseTo(release.chargedRho, 9);
    expect(view.remainingRho).toBeCloseTo(release.remainingRho, 9);
  });
});
