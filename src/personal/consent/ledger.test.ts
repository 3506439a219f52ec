// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent, withdrawConsent } from './ledger.js';
import { subjectConsents } from './ledger-view.js';
import { listDeletionTriggers, consumeDeletionTrigger } from './deletion-trigger.js';
import { testLedgerDeps } from './testing.js';

const T0 = '2026-03-02T09:00:00+08:00';

for (const dialect of DIALECTS) {
  describe(`consent ledger on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let deps: ReturnType<typeof testLedgerDeps>;
    let policyZh: string;

    beforeAll(async () => {
      clock = new FixedClock(T0);
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
      const notices = await currentNotices(deps);
      policyZh = notices.find((n) => n.kind === 'privacy-policy' && n.language === 'zh')!.hash;
    });
    afterAll(async () => {
      await t.cleanup();
    });

    async function ledgerRows() {
      const db = t.store.db.kysely;
      const [events, current, receipts, triggers] = await Promise.all([
        db
          .selectFrom('consent_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
        db.selectFrom('consent_current').selectAll().execute(),
        db
          .selectFrom('consent_receipts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('deletion_triggers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return {
        events: Number(events.n),
        current,
        receipts: Number(receipts.n),
        triggers: Number(triggers.n),
      };
    }

    it('grants separately for sensitive data, generally for the rest, and the guard follows', async () => {
      const guard = new ConsentGuard(deps);
      const before = await guard.decide({
        subjectId: 'subj-a',
        purpose: 'public-transit',
        category: 'identity',
      });
      expect(before).toMatchObject({ allowed: false, reason: 'no-consent' });
      const g1 = await grantConsent(deps, {
        subjectId: 'subj-a',
        purposeId: 'public-transit',
        categories: ['identity'],
        noticeHash: policyZh,
        separate: true,
        actor: 'citizen',
      });
      const g2 = await grantConsent(deps, {
        subjectId: 'subj-a',
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policyZh,
        actor: 'citizen',
      });
      expect(g1.receipt.split('.')).toHaveLength(3);
      expect(g2.categories).toEqual(['contact']);
      for (const category of ['identity', 'contact'] as const) {
        expect(
          await guard.decide({ subjectId: 'subj-a', purpose: 'public-transit', category }),
        ).toMatchObject({
          allowed: true,
          reason: 'consent',
          basis: '13(1)',
        });
      }
      const view = await subjectConsents(t.store.db.kysely, 'subj-a');
      expect(view.consents.map((c) => [c.category, c.status, c.separate])).toEqual([
        ['contact', 'active', false],
        ['identity', 'active', true],
      ]);
      expect(view.receipts).toHaveLength(2);
      // Every decision and every consent act went through the audit port, with its reason.
      const kinds = deps.audit.events.map(
        (e) => `${e.kind}:${e.action}:${String(e.details?.reason ?? e.outcome)}`,
      );
      expect(kinds).toContain('refusal:guard.decide:no-consent');
      expect(kinds).toContain('consent:grant:ok');
      expect(kinds).toContain('access:guard.decide:consent');
      // No subject id in audit events: without an AuditIdPort they name no subject at all.
      expect(JSON.stringify(deps.audit.events)).not.toContain('subj-a');
    });

    it('refuses bad input with typed errors and changes nothing', async () => {
      const before = await ledgerRows();
      const base = { subjectId: 'subj-b', noticeHash: policyZh, actor: 'citizen' };
      const cases: Array<[Parameters<typeof grantConsent>[1], string]> = [
        [
          { ...base, purposeId: 'no-such-purpose', categories: ['contact'] },
          'ERR_CONSENT_UNKNOWN_PURPOSE',
        ],
        [
          { ...base, purposeId: 'public-transit', categories: ['test-results'], separate: true },
          'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE',
        ],
        [
          { ...base, purposeId: 'public-transit', categories: ['blood-type'] },
          'ERR_CONSENT_UNKNOWN_CATEGORY',
        ],
        [{ ...base, purposeId: 'public-transit', categories: [] }, 'ERR_CONSENT_UNKNOWN_CATEGORY'],
        [
          { ...base, purposeId: 'epidemic-control', categories: ['contact'] },
          'ERR_CONSENT_NOT_CONSENT_BASED',
        ],
        [
          { ...base, purposeId: 'public-transit', categories: ['identity'] },
          'ERR_CONSENT_SEPARATE_REQUIRED',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['identity', 'contact'],
            separate: true,
          },
          'ERR_CONSENT_BUNDLED',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['contact'],
            noticeHash: 'ab'.repeat(32),
          },
          'ERR_CONSENT_NOTICE_INVALID',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['contact'],
            subjectId: '110105194912310021',
          },
          'ERR_CONSENT_SUBJECT_ID_INVALID',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['contact'],
            subjectId: '+8613800138000',
          },
          'ERR_CONSENT_SUBJECT_ID_INVALID',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['contact'],
            separate: true,
            under14: true,
          },
          'ERR_CONSENT_GUARDIAN_REQUIRED',
        ],
        [
          {
            ...base,
            purposeId: 'public-transit',
            categories: ['contact'],
            separate: true,
            under14: true,
            guardianId: 'subj-b',
          },
          'ERR_CONSENT_GUARDIAN_REQUIRED',
        ],
      ];
      for (const [input, code] of cases) {
        await expect(grantConsent(deps, input), code).rejects.toMatchObject({ code });
      }
      await expect(
        withdrawConsent(deps, {
          subjectId: 'subj-b',
          purposeId: 'public-transit',
          actor: 'citizen',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_NOTHING_TO_WITHDRAW' });
      await expect(
        withdrawConsent(deps, { subjectId: 'subj-a', purposeId: 'hospital', actor: 'citizen' }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_NOTHING_TO_WITHDRAW' });
      await expect(
        withdrawConsent(deps, {
          subjectId: 'subj-a',
          purposeId: 'public-transit',
          categories: ['identity', 'address'],
          actor: 'citizen',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE' });
      await expect(
        withdrawConsent(deps, { subjectId: 'subj-a', purposeId: 'nope', actor: 'citizen' }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_UNKNOWN_PURPOSE' });
      expect(await ledgerRows()).toEqual(before);
    });

    it('rolls the whole act back when the audit append fails', async () => {
      const before = await ledgerRows();
      deps.audit.failNext = true;
      await expect(
        grantConsent(deps, {
          subjectId: 'subj-c',
          purposeId: 'government-services',
          categories: ['contact'],
          noticeHash: policyZh,
          actor: 'citizen',
        }),
      ).rejects.toThrow(/audit append failed/);
      expect(await ledgerRows()).toEqual(before);
    });

    it('withdraws in one call, at once for another connection, and triggers deletion of what only that purpose needed', async () => {
      await grantConsent(deps, {
        subjectId: 'subj-d',
        purposeId: 'statistics',
        categories: ['location-events', 'itinerary'],
        noticeHash: policyZh,
        separate: true,
        actor: 'citizen',
      });
      await grantConsent(deps, {
        subjectId: 'subj-d',
        purposeId: 'statistics',
        categories: ['address'],
        noticeHash: policyZh,
        actor: 'citizen',
      });
      await grantConsent(deps, {
        subjectId: 'subj-d',
        purposeId: 'government-services',
        categories: ['address'],
        noticeHash: policyZh,
        actor: 'citizen',
      });
      // A second, independent connection to the same database: another process's view.
      const { openDb } = await import('../../platform/db/index.js');
      const other = await openDb(
        dialect === 'sqlite'
          ? { kind: 'sqlite', file: t.store.db.file! }
          : { kind: 'postgres', url: t.dbUrl! },
      );
      try {
        const guard2 = new ConsentGuard({ ...deps, db: other.kysely });
        const ask = () =>
          guard2.decide({
            subjectId: 'subj-d',
            purpose: 'statistics',
            category: 'location-events',
          });
        expect(await ask()).toMatchObject({ allowed: true });
        clock.advance(60_000);
        const w = await withdrawConsent(deps, {
          subjectId: 'subj-d',
          purposeId: 'statistics',
          actor: 'citizen',
        });
        expect([...w.categories].sort()).toEqual(['address', 'itinerary', 'location-events']);
        expect(await ask()).toMatchObject({ allowed: false, reason: 'consent-withdrawn' });
        // The core service keeps working (art. 16): epidemic control reads the same category.
        expect(
          await guard2.decide({
            subjectId: 'subj-d',
            purpose: 'epidemic-control',
            category: 'location-events',
          }),
        ).toMatchObject({ allowed: true, reason: 'statutory-basis' });
        // Only-statistics data goes … except that epidemic control (13(4), open) still covers
        // every category, so nothing is "only statistics" while the programme runs.
        expect(w.deletion.categories).toEqual([]);
        expect(w.deletion.retained).toMatchObject({
          'location-events': ['epidemic-control'],
          address: expect.arrayContaining(['epidemic-control', 'government-services']),
        });
      } finally {
        await other.close();
      }
      const triggers = await listDeletionTriggers(t.store.db.kysely, {
        subjectId: 'subj-d',
        pendingOnly: true,
      });
      expect(triggers).toHaveLength(1);
      expect(await consumeDeletionTrigger(deps, triggers[0].id)).toBe(true);
      expect(await consumeDeletionTrigger(deps, triggers[0].id)).toBe(false);
    });

    it('lets a guardian consent for an under-14, separately, and the guard checks both', async () => {
      const guard = new ConsentGuard(deps);
      await grantConsent(deps, {
        subjectId: 'child-1',
        purposeId: 'hospital',
        categories: ['contact', 'vaccination'],
        noticeHash: policyZh,
        separate: true,
        under14: true,
        guardianId: 'parent-1',
        actor: 'citizen:guardian',
      });
      for (const category of ['contact', 'vaccination'] as const) {
        expect(
          await guard.decide({
            subjectId: 'child-1',
            purpose: 'hospital',
            category,
            under14: true,
          }),
        ).toMatchObject({
          allowed: true,
        });
      }
      // An adult's non-guardian general consent to contact is not enough for a child.
      await grantConsent(deps, {
        subjectId: 'child-2',
        purposeId: 'hospital',
        categories: ['contact'],
        noticeHash: policyZh,
        actor: 'citizen',
      });
      expect(
        await guard.decide({
          subjectId: 'child-2',
          purpose: 'hospital',
          category: 'contact',
          under14: true,
        }),
      ).toMatchObject({
        allowed: false,
        reason: 'separate-consent-missing',
      });
    });
  });
}
