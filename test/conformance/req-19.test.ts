// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 19 — response times: subject requests are acknowledged at once, completed
 * within 15 working days (mainland China's holiday calendar, adjusted working weekends
 * included), and answered within 30 days at the latest; refusals carry reasons and the
 * complaint / court route (PIPL arts. 45–47, 50).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../src/kernel/shared/index.js';
import { recordingAudit } from '../../src/personal/consent/testing.js';
import {
  REQUEST_TYPES,
  defaultCalendar,
  listRequests,
  openRequest,
  refuseRequest,
  requestDeadlines,
  type RightsDeps,
} from '../../src/lifecycle/rights/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';

describe('req. 19: the deadlines', () => {
  it('never lets the completion deadline pass the 30-day answer limit', () => {
    for (let d = 0; d < 3 * 365; d += 3) {
      const at = new Date(Date.parse('2025-01-01T09:00:00+08:00') + d * 86_400_000);
      const dl = requestDeadlines(at, defaultCalendar, 'Asia/Shanghai');
      expect(dl.dueAt.getTime()).toBeLessThanOrEqual(dl.answerBy.getTime());
      expect(dl.answerBy.getTime() - at.getTime()).toBeLessThanOrEqual(31 * 86_400_000);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 19: response times on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let deps: RightsDeps & { audit: ReturnType<typeof recordingAudit> };

    beforeAll(async () => {
      // The Friday before the 2026 Spring Festival (9 days off, Saturdays 02-14 and 02-28 worked).
      clock = new FixedClock('2026-02-13T16:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = {
        db: t.store.db.kysely,
        clock,
        random: systemRandom,
        audit: recordingAudit(),
        calendar: defaultCalendar,
        timeZone: 'Asia/Shanghai',
        controller: { name: 'Test City Big-Data Centre', contact: 'privacy@test.example' },
      };
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('acknowledges every request type at once, with a due date 15 working days out and ≤ 30 days', async () => {
      for (const type of REQUEST_TYPES) {
        const r = await openRequest(deps, {
          type,
          channel: 'portal',
          subjectId: 'r19-a',
          identityMethod: 'one-time-code',
          actor: 'citizen',
        });
        expect(r.openedAt.getTime()).toBe(clock.now().getTime());
        // 02-14 (Sat, worked), 02-24…27, 02-28 (Sat, worked), 03-02…06, 03-09…12 → due 2026-03-12.
        expect(r.dueAt.toISOString()).toBe('2026-03-12T16:00:00.000Z');
        expect(r.answerBy.getTime() - r.openedAt.getTime()).toBeLessThanOrEqual(31 * 86_400_000);
        expect(r.dueAt.getTime()).toBeLessThanOrEqual(r.answerBy.getTime());
      }
      const acks = deps.audit.events.filter((e) => e.action === 'request.opened');
      expect(acks).toHaveLength(REQUEST_TYPES.length);
      expect(acks.every((e) => e.details?.dueDate === '2026-03-12')).toBe(true);
    });

    it('a refusal carries its reason and the complaint and court route', async () => {
      const r = await openRequest(deps, {
        type: 'deletion',
        channel: 'portal',
        subjectId: 'r19-b',
        identityMethod: 'in-person',
        actor: 'citizen',
      });
      const refused = await refuseRequest(deps, r.id, {
        reason: 'statutory-retention',
        actor: 'operator:dpo',
      });
      expect(refused.refusal).toEqual({
        reason: 'statutory-retention',
        complaintRoute: expect.stringMatching(
          /privacy@test\.example.*cyberspace administration.*people's court.*art\. 50/,
        ),
      });
    });

    it('shows what is late', async () => {
      expect(await listRequests(deps, { overdue: true })).toEqual([]);
      clock.set('2026-03-13T00:30:00+08:00');
      const late = await listRequests(deps, { overdue: true });
      expect(late.map((r) => r.type).sort()).toEqual([...REQUEST_TYPES].sort());
    });
  });
}
