// SPDX-License-Identifier: Apache-2.0
/**
 * Analytics inputs behind the real consent guard (src/personal/consent): only subscribers whose
 * `statistics` purpose has a basis — a separate consent for location events, not withdrawn —
 * enter a holder's histogram; unknown subscribers are left out (fail closed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import {
  ConsentGuard,
  currentNotices,
  grantConsent,
  withdrawConsent,
} from '../../personal/consent/index.js';
import { testLedgerDeps } from '../../personal/consent/testing.js';
import { guardedConsent } from './consent.js';
import { buildLocalInput, type HolderData } from './local.js';
import { compileQuery, type AnalyticsQuery } from './model.js';

const query: AnalyticsQuery = {
  kind: 'crowd',
  prefecture: '320200',
  from: '2026-11-25T10:00:00+08:00',
  hours: 1,
};

for (const dialect of DIALECTS) {
  describe(`statistics inputs through the consent guard on ${dialect}`, () => {
    let t: TestInstance;
    let deps: ReturnType<typeof testLedgerDeps>;

    beforeAll(async () => {
      const clock = new FixedClock('2026-11-27T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('counts only subscribers with a statistics basis; withdrawal and unknown subjects refuse', async () => {
      const policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
      await grantConsent(deps, {
        subjectId: 'subj-stat-a',
        purposeId: 'statistics',
        categories: ['location-events'],
        noticeHash: policy,
        separate: true,
        actor: 'citizen',
      });
      await grantConsent(deps, {
        subjectId: 'subj-stat-b',
        purposeId: 'statistics',
        categories: ['location-events'],
        noticeHash: policy,
        separate: true,
        actor: 'citizen',
      });
      await withdrawConsent(deps, {
        subjectId: 'subj-stat-b',
        purposeId: 'statistics',
        actor: 'citizen',
      });
      const subjects = new Map([
        ['13800000001', 'subj-stat-a'],
        ['13800000002', 'subj-stat-b'],
        ['13800000003', 'subj-stat-c'], // never consented
      ]);
      const consent = guardedConsent(new ConsentGuard(deps), (s) => subjects.get(s.phone));
      const compiled = compileQuery(query);
      const cell = compiled.keyOf(0);
      const phones = ['13800000001', '13800000002', '13800000003', '13800000004'];
      const feed: HolderData = {
        holder: 'cmcc',
        async *events() {
          for (const phone of phones) {
            yield { phone, time: '2026-11-25T10:15:00+08:00', cell: String(cell.cell) };
          }
          await Promise.resolve();
        },
        register: () => Promise.resolve(undefined),
      };
      const job = {
        id: 'consent-check',
        query,
        cells: compiled.cells,
        inputs: [],
        compute: [],
        chunkCells: 1,
        deadline: '2026-11-27T10:00:00+08:00',
        noise: { kind: 'none' as const },
        contributionBound: compiled.bound,
      };
      const local = await buildLocalInput(job, feed, consent);
      expect(local.stats.refusedByConsent).toBe(3);
      expect(local.persons).toHaveLength(1);
      const decisions = deps.audit.events.filter((e) => e.action === 'guard.decide');
      expect(decisions.map((e) => String(e.details?.reason))).toEqual([
        'consent',
        'consent-withdrawn',
        'no-consent',
      ]);
    });
  });
}
