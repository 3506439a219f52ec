// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import {
  currentNotices,
  grantConsent,
  subjectConsents,
  listDeletionTriggers,
} from '../../personal/consent/index.js';
import { testLedgerDeps } from '../../personal/consent/testing.js';
import { defaultCalendar } from './calendar.js';
import { consentWithdrawalExecutor } from './executors.js';
import type { RightsExecutor } from './ports.js';
import {
  completeRequest,
  openRequest,
  refuseRequest,
  verifyIdentity,
  type RightsDeps,
} from './service.js';
import { getRequest, listRequests, remindOverdue } from './tracking.js';

const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`rights requests on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let ledger: ReturnType<typeof testLedgerDeps>;
    let deps: RightsDeps;
    const executed: string[] = [];

    beforeAll(async () => {
      clock = new FixedClock('2025-09-26T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      ledger = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
      const access: RightsExecutor = {
        execute(_db, req, opts) {
          executed.push(`${req.type}:${req.subjectId}:${opts.outPath ?? '-'}`);
          return Promise.resolve({
            summary: { groups: 4 },
            artefact: { path: opts.outPath ?? '', sha256: 'ab'.repeat(32), bytes: 10 },
          });
        },
      };
      deps = {
        db: t.store.db.kysely,
        clock,
        random: systemRandom,
        audit: ledger.audit,
        calendar: defaultCalendar,
        timeZone: 'Asia/Shanghai',
        controller: ledger.controller,
        executors: { access, withdrawal: consentWithdrawalExecutor(ledger) },
      };
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('opens with deadlines across National Day, verifies, executes and completes', async () => {
      const r = await openRequest(deps, {
        type: 'access',
        channel: 'operator',
        subjectId: 'subj-1',
        identityMethod: 'in-person',
        actor: 'operator:carol',
      });
      expect(r.state).toBe('identity-verified');
      expect(r.dueAt.toISOString()).toBe('2025-10-23T16:00:00.000Z'); // end of 2025-10-23, Shanghai
      expect(r.answerBy.toISOString()).toBe('2025-10-26T16:00:00.000Z');
      const done = await completeRequest(deps, r.id, {
        actor: 'operator:carol',
        outPath: '/tmp/out.json',
      });
      expect(done).toMatchObject({ state: 'completed', result: { groups: 4, artefactBytes: 10 } });
      expect(executed).toEqual(['access:subj-1:/tmp/out.json']);
      const full = await getRequest(t.store.db.kysely, r.id);
      expect(full.history.map((h) => h.to)).toEqual([
        'opened',
        'identity-verified',
        'in-progress',
        'completed',
      ]);
      expect(ledger.audit.events.filter((e) => e.kind === 'request').map((e) => e.action)).toEqual([
        'request.opened',
        'request.identity-verified',
        'request.in-progress',
        'request.completed',
      ]);
      await expect(completeRequest(deps, r.id, { actor: 'x' })).rejects.toMatchObject({
        code: 'ERR_RIGHTS_STATE',
      });
    });

    it('keeps unverified requests waiting, refuses with a reason and the complaint route', async () => {
      const r = await openRequest(deps, { type: 'deletion', channel: 'phone', actor: 'citizen' });
      expect(r).toMatchObject({ state: 'opened', subjectId: null });
      await expect(
        completeRequest(deps, r.id, { actor: 'operator:carol', attested: true }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_STATE' });
      const v = await verifyIdentity(deps, r.id, {
        subjectId: 'subj-2',
        method: 'one-time-code',
        actor: 'citizen',
      });
      expect(v).toMatchObject({
        state: 'identity-verified',
        subjectId: 'subj-2',
        identityMethod: 'one-time-code',
      });
      await expect(completeRequest(deps, r.id, { actor: 'operator:carol' })).rejects.toMatchObject({
        code: 'ERR_RIGHTS_NOT_WIRED',
      });
      await expect(
        refuseRequest(deps, r.id, { reason: 'because', actor: 'operator:carol' }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_INVALID' });
      const refused = await refuseRequest(deps, r.id, {
        reason: 'statutory-retention',
        actor: 'operator:carol',
      });
      expect(refused.state).toBe('refused');
      expect(refused.refusal?.reason).toBe('statutory-retention');
      expect(refused.refusal?.complaintRoute).toMatch(/PIPL art\. 50/);
      expect(refused.refusal?.complaintRoute).toContain(ledger.controller.contact);
      await expect(
        refuseRequest(deps, r.id, { reason: 'excessive', actor: 'x' }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_STATE' });
      await expect(
        verifyIdentity(deps, r.id, { subjectId: 'subj-2', method: 'in-person', actor: 'x' }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_STATE' });
    });

    it('refuses bad input with typed errors', async () => {
      await expect(
        openRequest(deps, { type: 'erase-everything', channel: 'phone', actor: 'citizen' }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_INVALID' });
      await expect(
        openRequest(deps, {
          type: 'access',
          channel: 'operator',
          subjectId: '11010519491231002X',
          identityMethod: 'in-person',
          actor: 'x',
        }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_INVALID' });
      await expect(
        openRequest(deps, {
          type: 'access',
          channel: 'operator',
          subjectId: '+86 138',
          actor: 'x',
        }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_INVALID' });
      await expect(
        openRequest(deps, {
          type: 'withdrawal',
          channel: 'phone',
          params: { purposeId: 'Drop Table' },
          actor: 'x',
        }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_INVALID' });
      await expect(getRequest(t.store.db.kysely, 'rq-nope')).rejects.toMatchObject({
        code: 'ERR_RIGHTS_REQUEST_UNKNOWN',
      });
      await expect(
        verifyIdentity(deps, 'rq-nope', { subjectId: 'subj-9', method: 'in-person', actor: 'x' }),
      ).rejects.toMatchObject({ code: 'ERR_RIGHTS_REQUEST_UNKNOWN' });
    });

    it('carries out a withdrawal request on the consent ledger', async () => {
      const policy = (await currentNotices(ledger)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
      await grantConsent(ledger, {
        subjectId: 'subj-3',
        purposeId: 'hospital',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'citizen',
      });
      await grantConsent(ledger, {
        subjectId: 'subj-3',
        purposeId: 'statistics',
        categories: ['address'],
        noticeHash: policy,
        actor: 'citizen',
      });
      const r = await openRequest(deps, {
        type: 'withdrawal',
        channel: 'portal',
        subjectId: 'subj-3',
        identityMethod: 'one-time-code',
        params: { purposeId: 'statistics' },
        actor: 'citizen',
      });
      const done = await completeRequest(deps, r.id, { actor: 'citizen' });
      expect(done.result).toMatchObject({ purposes: 'statistics', categories: 1 });
      const state = await subjectConsents(t.store.db.kysely, 'subj-3');
      expect(state.consents.map((c) => `${c.purposeId}/${c.status}`).sort()).toEqual([
        'hospital/active',
        'statistics/withdrawn',
      ]);
      expect(await listDeletionTriggers(t.store.db.kysely, { subjectId: 'subj-3' })).toHaveLength(
        1,
      );
      const again = await openRequest(deps, {
        type: 'withdrawal',
        channel: 'portal',
        subjectId: 'subj-3',
        identityMethod: 'one-time-code',
        params: { purposeId: 'statistics' },
        actor: 'citizen',
      });
      await expect(completeRequest(deps, again.id, { actor: 'citizen' })).rejects.toMatchObject({
        code: 'ERR_CONSENT_NOTHING_TO_WITHDRAW',
      });
      expect((await getRequest(t.store.db.kysely, again.id)).state).toBe('in-progress');
    });

    it('lists what is overdue and reminds once a day', async () => {
      const before = await listRequests(deps, { overdue: true });
      expect(before).toEqual([]);
      clock.advance(28 * DAY); // 2025-10-24: past every due date opened on 2025-09-26
      const late = await listRequests(deps, { overdue: true });
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((r) => r.state !== 'completed' && r.state !== 'refused')).toBe(true);
      const first = await remindOverdue(deps);
      expect(first).toEqual({ overdue: late.length, reminded: late.length });
      expect(await remindOverdue(deps)).toEqual({ overdue: late.length, reminded: 0 });
      clock.advance(DAY);
      expect((await remindOverdue(deps)).reminded).toBe(late.length);
      expect(ledger.audit.events.filter((e) => e.action === 'request.overdue')).toHaveLength(
        2 * late.length,
      );
    });
  });
}
