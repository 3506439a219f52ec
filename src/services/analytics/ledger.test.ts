// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { PrivacyLedger } from './ledger.js';
import { privacyErrors } from '../../foundation/privacy/index.js';

for (const dialect of DIALECTS) {
  describe(`privacy ledger on ${dialect}`, () => {
    it('reserves within budget, refuses beyond it, and refunds aborted jobs', async () => {
      const t = await createTestInstance(dialect, {
        clock: new FixedClock('2026-11-27T08:00:00+08:00'),
      });
      try {
        const ledger = new PrivacyLedger(t.store);
        await ledger.setBudget('city', 'bureau', 0.5);
        const a = await ledger.reserve('city', 'bureau', 'job-1', { rho: 0.2, xi: 0.05 });
        expect(a.remainingAfter).toBeCloseTo(0.25);
        await ledger.spend(a.chargeId);
        const b = await ledger.reserve('city', 'bureau', 'job-2', { rho: 0.2, xi: 0 });
        await expect(
          ledger.reserve('city', 'bureau', 'job-3', { rho: 0.1, xi: 0 }),
        ).rejects.toBeInstanceOf(privacyErrors.BudgetExceededError);
        await ledger.refund(b.chargeId);
        expect((await ledger.remaining('city', 'bureau')).remaining).toBeCloseTo(0.25);
        // Another analyst has a budget of their own.
        await ledger.reserve('city', 'other', 'job-4', { rho: 0.9, xi: 0 });
        await expect(
          ledger.reserve('city', 'other', 'job-5', { rho: 0.2, xi: 0 }),
        ).rejects.toMatchObject({
          code: 'ERR_PRIVACY_BUDGET_EXCEEDED',
        });
      } finally {
        await t.cleanup();
      }
    });

    it('concurrent reservations cannot overspend', async () => {
      const t = await createTestInstance(dialect);
      try {
        const ledger = new PrivacyLedger(t.store);
        await ledger.setBudget('d', 'a', 1);
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            ledger.reserve('d', 'a', `j${i}`, { rho: 0.3, xi: 0 }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      } finally {
        await t.cleanup();
      }
    });

    it('stores a release with its mechanism, k, suppressed count and linkage result', async () => {
      const t = await createTestInstance(dialect);
      try {
        const ledger = new PrivacyLedger(t.store);
        const r = await ledger.storeRelease({
          jobId: 'job-1',
          dataset: 'city',
          analyst: 'bureau',
          query: { kind: 'crowd' },
          mechanism: { noise: 'skellam', rho: 0.1 },
          k: 5,
          suppressed: 2,
          linkage: {
            method: 'prosecutor-singling-out/v1',
            records: 3,
            singledOut: 0,
            uniqueMatches: 0,
            malformed: 0,
            pass: true,
          },
          values: [null, 7, null],
        });
        const back = await ledger.getRelease(r.id);
        expect(back).toMatchObject({
          k: 5,
          suppressed: 2,
          values: [null, 7, null],
          linkage: { pass: true },
        });
        expect(await ledger.listReleases('city')).toHaveLength(1);
      } finally {
        await t.cleanup();
      }
    });
  });
}
