// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 25 — audit log hygiene: every access to sensitive fields is logged with
 * actor, purpose and time; logs hold pseudonymous subject ids; access details are retained at
 * least 6 months (CSL art. 21) and then purged — here by destroying the month's log key through
 * the registered `audit.period-keys` job, while every proof stays valid.
 */
import { describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/app/index.js';
import { allJobs } from '../../src/app/job-list.js';
import {
  AUDIT_JOB_NAMES,
  auditJobs,
  checkInclusionBundle,
  createAuditLog,
} from '../../src/audit/index.js';
import { memoryKeyWrapper } from '../../src/audit/testing.js';
import { FixedClock, type AuditEvent, type AuditPort } from '../../src/shared/index.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13912345678';

/** A read as the vault records it: through the port, in the caller's transaction. */
function readOf(subjectAuditId: string, at: Date): AuditEvent {
  return {
    kind: 'access',
    actor: 'operator:hospital-desk-7',
    purpose: 'hospital',
    subjectAuditId,
    category: 'health',
    action: 'get',
    outcome: 'ok',
    at,
  };
}

describe('req. 25: the registered jobs', () => {
  it('registers the period-key expiry and checkpoint jobs at the composition root', () => {
    const names = allJobs.map((j) => j.name);
    expect(names).toContain(AUDIT_JOB_NAMES.periodKeys);
    expect(names).toContain(AUDIT_JOB_NAMES.checkpoint);
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 25 on ${dialect}`, () => {
    it('logs actor, purpose and time under a pseudonym; keeps details 6 months, then purges them', async () => {
      const clock = new FixedClock('2026-12-31T23:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      const keyWrapper = memoryKeyWrapper();
      const log = createAuditLog(t.store, { keyWrapper });
      const port: AuditPort = log;
      const jobs = auditJobs(() => keyWrapper);
      try {
        await log.init();
        const pseudonym = 'f3a9c2d17b604e5e8a1c';
        const db = t.store.db.kysely;
        await db.transaction().execute((trx) => port.append(trx, [readOf(pseudonym, clock.now())]));
        const first = await runDueJobs(t.store, jobs, true);
        // The scheduled checkpoint job signs what the append added.
        expect(first.find((o) => o.name === AUDIT_JOB_NAMES.checkpoint)?.summary).toMatchObject({
          size: 1,
          signed: true,
        });

        // Actor, purpose and time are logged.
        const [entry] = await log.trail(pseudonym);
        expect(entry).toMatchObject({
          kind: 'access',
          actor: 'operator:hospital-desk-7',
          purpose: 'hospital',
          detailsState: 'sealed',
          subjectAuditId: pseudonym,
        });
        expect(entry.at.toISOString()).toBe('2026-12-31T15:00:00.000Z');

        // Pseudonymous: nothing identifying is stored, and identifiers are refused.
        const rows = await db.selectFrom('audit_leaves').select('leaf').execute();
        for (const r of rows) {
          const bytes = Buffer.from(r.leaf);
          expect(bytes.includes(Buffer.from(ID_NUMBER))).toBe(false);
          expect(bytes.includes(Buffer.from('hospital-desk-7'))).toBe(false);
        }
        await expect(port.append(db, [readOf(ID_NUMBER, clock.now())])).rejects.toThrow(RangeError);
        await expect(
          port.append(db, [{ ...readOf(pseudonym, clock.now()), details: { phone: PHONE } }]),
        ).rejects.toThrow(RangeError);

        // Retained at least 6 months: on the last day of June the details are still readable.
        clock.set('2027-06-30T23:59:00+08:00');
        const june = await runDueJobs(t.store, jobs, true);
        expect(june.find((o) => o.name === AUDIT_JOB_NAMES.periodKeys)?.summary).toMatchObject({
          destroyed: 0,
        });
        expect((await log.trail(pseudonym))[0]).toMatchObject({ detailsState: 'sealed' });

        // Then purged: the month key is destroyed; the entry keeps only kind, time and pseudonym.
        clock.set('2027-07-01T06:00:00+08:00');
        const july = await runDueJobs(t.store, jobs, true);
        expect(july.find((o) => o.name === AUDIT_JOB_NAMES.periodKeys)?.summary).toMatchObject({
          destroyed: 1,
          periods: '2026-12',
        });
        const purged = (await log.trail(pseudonym))[0];
        expect(purged).toMatchObject({ detailsState: 'erased', kind: 'access' });
        expect(purged.actor).toBeUndefined();
        expect(purged.purpose).toBeUndefined();

        // The log still verifies and the leaf is still provably in it.
        expect((await log.verify()).ok).toBe(true);
        expect(
          checkInclusionBundle(JSON.stringify(await log.prove(purged.leafIndex))).leafIndex,
        ).toBe(purged.leafIndex);
      } finally {
        await t.cleanup();
      }
    });

    it('honours a longer configured security-log period', async () => {
      const clock = new FixedClock('2026-12-15T10:00:00+08:00');
      const t = await createTestInstance(dialect, {
        clock,
        initialConfig: {
          retention: {
            securityLogMonths: 9,
            recordsYears: 3,
            keyRotationDays: 30,
            tripWindowDays: 14,
          },
        },
      });
      const log = createAuditLog(t.store, { keyWrapper: memoryKeyWrapper() });
      try {
        await log.init();
        await log.append(t.store.db.kysely, [readOf('0c1d2e3f4a5b6c7d', clock.now())]);
        clock.set('2027-07-15T10:00:00+08:00');
        expect((await log.expirePeriodKeys()).destroyed).toEqual([]);
        clock.set('2027-10-01T00:00:00+08:00');
        expect((await log.expirePeriodKeys()).destroyed).toEqual(['2026-12']);
      } finally {
        await t.cleanup();
      }
    });
  });
}
