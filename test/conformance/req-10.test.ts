// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 10 — withdrawal: a consent is withdrawn through the same channel at least as
 * easily as it was given; processing for that purpose stops at once (for every process), the
 * core (non-consent) service keeps working, and the withdrawal triggers the deletion workflow
 * (PIPL arts. 15, 16, 47(3)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { FixedClock, systemRandom } from '../../src/shared/index.js';
import {
  ConsentGuard,
  currentNotices,
  grantConsent,
  listDeletionTriggers,
  retirePurpose,
  withdrawConsent,
} from '../../src/consent/index.js';
import { testLedgerDeps } from '../../src/consent/testing.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`req. 10: withdrawal on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let deps: ReturnType<typeof testLedgerDeps>;
    let policy: string;

    beforeAll(async () => {
      clock = new FixedClock('2026-09-01T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
      policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'en',
      )!.hash;
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('is one call, stops processing at once in another process, keeps the core service', async () => {
      const grant = {
        subjectId: 'r10-a',
        purposeId: 'statistics',
        categories: ['location-events'],
        noticeHash: policy,
        separate: true,
        actor: 'citizen:web',
      };
      await grantConsent(deps, grant);
      // Withdrawing takes less than granting: subject and purpose, through the same channel.
      const withdraw = { subjectId: 'r10-a', purposeId: 'statistics', actor: 'citizen:web' };
      expect(Object.keys(withdraw).length).toBeLessThan(Object.keys(grant).length);
      const other = await openDb(
        dialect === 'sqlite'
          ? { kind: 'sqlite', file: t.store.db.file! }
          : { kind: 'postgres', url: t.dbUrl! },
      );
      try {
        const elsewhere = new ConsentGuard({ ...deps, db: other.kysely });
        const read = {
          subjectId: 'r10-a',
          purpose: 'statistics',
          category: 'location-events' as const,
        };
        expect((await elsewhere.decide(read)).allowed).toBe(true);
        await withdrawConsent(deps, withdraw);
        expect(await elsewhere.decide(read)).toMatchObject({
          allowed: false,
          reason: 'consent-withdrawn',
        });
        expect(
          await elsewhere.decide({
            subjectId: 'r10-a',
            purpose: 'epidemic-control',
            category: 'location-events',
          }),
        ).toMatchObject({ allowed: true, reason: 'statutory-basis' });
      } finally {
        await other.close();
      }
    });

    it('triggers deletion of what only that purpose needed, and keeps what another basis covers', async () => {
      // After the programme: epidemic control retired, so statistics is the only basis left.
      clock.advance(60_000);
      await retirePurpose(deps, 'epidemic-control', 'operator:r10');
      clock.advance(60_000);
      const policyNow = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'en',
      )!.hash;
      const base = { subjectId: 'r10-b', noticeHash: policyNow, actor: 'citizen' };
      await grantConsent(deps, {
        ...base,
        purposeId: 'statistics',
        categories: ['location-events', 'itinerary'],
        separate: true,
      });
      await grantConsent(deps, { ...base, purposeId: 'statistics', categories: ['address'] });
      await grantConsent(deps, {
        ...base,
        purposeId: 'government-services',
        categories: ['address'],
      });
      const w = await withdrawConsent(deps, {
        subjectId: 'r10-b',
        purposeId: 'statistics',
        actor: 'citizen',
      });
      expect([...w.deletion.categories].sort()).toEqual(['itinerary', 'location-events']);
      expect(w.deletion.retained).toEqual({ address: ['government-services'] });
      const pending = await listDeletionTriggers(t.store.db.kysely, {
        subjectId: 'r10-b',
        pendingOnly: true,
      });
      expect(pending.map((p) => p.id)).toEqual([w.deletion.id]);
      await expect(
        withdrawConsent(deps, { subjectId: 'r10-b', purposeId: 'statistics', actor: 'citizen' }),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_NOTHING_TO_WITHDRAW',
      });
    });
  });
}
