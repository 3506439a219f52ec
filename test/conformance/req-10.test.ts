// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 10 — withdrawal: a consent is withdrawn through the same channel at least as
 * easily as it was given; processing for that purpose stops at once (for every process), the
 * core (non-consent) service keeps working, and the withdrawal triggers the deletion workflow
 * (PIPL arts. 15, 16, 47(3)).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/platform/db/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import {
  ConsentGuard,
  consentRuntime,
  currentNotices,
  grantConsent,
  listDeletionTriggers,
  retirePurpose,
  withdrawConsent,
  type ConsentRuntime,
  type LedgerDeps,
} from '../../src/personal/consent/index.js';
import { createCitizenSession } from '../../src/foundation/accounts/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { instanceVault } from '../../src/edges/app/index.js';

for (const dialect of DIALECTS) {
  describe(`req. 10: withdrawal on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let runtime: ConsentRuntime;
    let deps: LedgerDeps;
    let policy: string;

    beforeAll(async () => {
      clock = new FixedClock('2026-09-01T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      // The instance's own consent wiring: the portal below signs receipts with the same keys.
      runtime = await consentRuntime(t.store);
      deps = runtime.deps;
      policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'en',
      )!.hash;
    });
    afterAll(async () => {
      await runtime?.finish();
      await t.cleanup();
    });

    it('is withdrawn through the portal that took it, with less, and stops processing at once elsewhere', async () => {
      const iv = await instanceVault(t.store);
      const subjectId = (
        await iv.vault
          .repository({ actor: 'operator:r10', role: 'operator', purpose: 'epidemic-control' })
          .ensureCitizen('11010519491231002X')
      ).subjectId;
      await iv.finish();
      const app = buildHttpApp({ store: t.store, rateLimit: false });
      const other = await openDb(
        dialect === 'sqlite'
          ? { kind: 'sqlite', file: t.store.db.file! }
          : { kind: 'postgres', url: t.dbUrl! },
      );
      try {
        // One citizen session of the portal: the channel the consent is given through.
        const { token } = await createCitizenSession(t.store, {
          subjectId,
          expiresInMs: 600_000,
        });
        const post = (url: string, payload: Record<string, unknown>) =>
          app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${token}` },
            payload,
          });
        const granted = await post('/api/citizen/consents', {
          purpose: 'statistics',
          categories: ['location-events'],
          noticeHash: policy,
          separate: true,
        });
        expect(granted.statusCode, granted.body).toBe(201);
        // What the withdrawal asks for, the grant cannot do without: the withdrawal is easier.
        const purposeOnly = { purpose: 'statistics' };
        expect((await post('/api/citizen/consents', purposeOnly)).statusCode).toBe(400);

        const elsewhere = new ConsentGuard({ ...deps, db: other.kysely });
        const read = { subjectId, purpose: 'statistics', category: 'location-events' as const };
        expect((await elsewhere.decide(read)).allowed).toBe(true);
        clock.advance(60_000);
        // The same session, one request, nothing but the purpose: no extra step, no second factor.
        const withdrawn = await post('/api/citizen/consents/withdraw', purposeOnly);
        expect(withdrawn.statusCode, withdrawn.body).toBe(200);
        expect(withdrawn.json<{ categories: string[] }>().categories).toEqual(['location-events']);
        expect(await elsewhere.decide(read)).toMatchObject({
          allowed: false,
          reason: 'consent-withdrawn',
        });
        expect(await elsewhere.decide({ ...read, purpose: 'epidemic-control' })).toMatchObject({
          allowed: true,
          reason: 'statutory-basis',
        });
        const mine = await app.inject({
          url: '/api/citizen/consents',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(
          mine
            .json<{ history: { action: string; collectionMethod: string }[] }>()
            .history.map((h) => [h.action, h.collectionMethod]),
        ).toEqual([
          ['grant', 'portal'],
          ['withdraw', 'portal'],
        ]);
      } finally {
        await app.close();
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
