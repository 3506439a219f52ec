// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 25 — audit log hygiene: every access to sensitive fields is logged with
 * actor, purpose and time; logs hold pseudonymous subject ids; access details are retained at
 * least 6 months (CSL art. 21) and then purged — here by destroying the month's log key through
 * the registered `audit.period-keys` job, while every proof stays valid. The reads go through the
 * vault, and the test reads the leaves the vault's read left in the instance's log.
 */
import { describe, expect, it } from 'vitest';
import { runDueJobs, type Store } from '../../src/platform/runtime/index.js';
import { allJobs, instanceVault } from '../../src/edges/app/index.js';
import {
  AUDIT_JOB_NAMES,
  checkInclusionBundle,
  createAuditLog,
  type AuditEntry,
} from '../../src/foundation/audit/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13912345678';
const READER = { actor: 'operator:hospital-desk-7', role: 'operator', purpose: 'epidemic-control' };

/** The instance's own audit log, as the jobs and the CLI open it. */
function instanceLog(store: Store) {
  return createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() });
}

/**
 * Stores a temperature for a citizen, then reads it back through the vault as a hospital desk
 * operator; answers the subject's audit pseudonym and the vault subject id.
 */
async function readThroughVault(store: Store): Promise<{ pseudonym: string; subjectId: string }> {
  const iv = await instanceVault(store);
  try {
    const writer = iv.vault.repository({ ...READER, actor: 'operator:intake' });
    const subjectId = (await writer.ensureCitizen(ID_NUMBER)).subjectId;
    const recordId = await writer.put(subjectId, 'temperature', {
      celsius: 38.2,
      at: '2026-12-31T22:00:00+08:00',
    });
    const read = await iv.vault.repository(READER).get(subjectId, recordId);
    expect(read.value).toMatchObject({ celsius: 38.2 });
    const pseudonym = await iv.vault.auditIdOf(store.db.kysely, subjectId);
    expect(pseudonym).toBeDefined();
    return { pseudonym: pseudonym!, subjectId };
  } finally {
    await iv.finish();
  }
}

/** The logged read: the one access entry of the temperature `get`, its details still sealed. */
function loggedRead(trail: readonly AuditEntry[]): AuditEntry {
  const reads = trail.filter(
    (e) => e.kind === 'access' && e.action === 'get' && e.category === 'temperature',
  );
  expect(reads).toHaveLength(1);
  return reads[0];
}

describe('req. 25: the registered jobs', () => {
  it('registers the period-key expiry and checkpoint jobs at the composition root', async () => {
    const names = (await allJobs()).map((j) => j.name);
    expect(names).toContain(AUDIT_JOB_NAMES.periodKeys);
    expect(names).toContain(AUDIT_JOB_NAMES.checkpoint);
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 25 on ${dialect}`, () => {
    it('logs actor, purpose and time under a pseudonym; keeps details 6 months, then purges them', async () => {
      const clock = new FixedClock('2026-12-31T23:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      const log = instanceLog(t.store);
      // The registered audit jobs, wired to the instance's keyring as the composition root does.
      const jobs = (await allJobs()).filter((j) =>
        (Object.values(AUDIT_JOB_NAMES) as string[]).includes(j.name),
      );
      try {
        const { pseudonym, subjectId } = await readThroughVault(t.store);
        // Actor, purpose and time of the read are logged, under the subject's pseudonym.
        const read = loggedRead(await log.trail(pseudonym));
        expect(read).toMatchObject({
          actor: 'operator:hospital-desk-7',
          purpose: 'epidemic-control',
          outcome: 'ok',
          detailsState: 'sealed',
          subjectAuditId: pseudonym,
        });
        expect(read.at.toISOString()).toBe('2026-12-31T15:00:00.000Z');
        // The scheduled checkpoint job's signed log covers the read.
        const first = await runDueJobs(t.store, jobs, true);
        const checkpoint = first.find((o) => o.name === AUDIT_JOB_NAMES.checkpoint)?.summary as
          { size: number } | undefined;
        expect(checkpoint?.size).toBeGreaterThan(read.leafIndex);

        // Pseudonymous: nothing identifying is stored, and identifiers are refused.
        expect(pseudonym).not.toBe(subjectId);
        const rows = await t.store.db.kysely.selectFrom('audit_leaves').select('leaf').execute();
        expect(rows.length).toBeGreaterThan(1);
        for (const r of rows) {
          const bytes = Buffer.from(r.leaf);
          for (const text of [ID_NUMBER, subjectId, 'hospital-desk-7']) {
            expect(bytes.includes(Buffer.from(text)), text).toBe(false);
          }
        }
        const refused = {
          kind: 'access' as const,
          actor: READER.actor,
          purpose: READER.purpose,
          category: 'temperature',
          action: 'get',
          outcome: 'ok',
          at: clock.now(),
        };
        await expect(
          log.append(t.store.db.kysely, [{ ...refused, subjectAuditId: ID_NUMBER }]),
        ).rejects.toThrow(RangeError);
        await expect(
          log.append(t.store.db.kysely, [{ ...refused, details: { phone: PHONE } }]),
        ).rejects.toThrow(RangeError);

        // Retained at least 6 months: on the last day of June the details are still readable.
        clock.set('2027-06-30T23:59:00+08:00');
        const june = await runDueJobs(t.store, jobs, true);
        expect(june.find((o) => o.name === AUDIT_JOB_NAMES.periodKeys)?.summary).toMatchObject({
          destroyed: 0,
        });
        expect(loggedRead(await log.trail(pseudonym))).toMatchObject({ detailsState: 'sealed' });

        // Then purged: the month key is destroyed; the entry keeps only kind, time and pseudonym.
        clock.set('2027-07-01T06:00:00+08:00');
        const july = await runDueJobs(t.store, jobs, true);
        expect(july.find((o) => o.name === AUDIT_JOB_NAMES.periodKeys)?.summary).toMatchObject({
          destroyed: 1,
          periods: '2026-12',
        });
        const purged = (await log.trail(pseudonym)).find((e) => e.leafIndex === read.leafIndex)!;
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
      const log = instanceLog(t.store);
      try {
        const { pseudonym } = await readThroughVault(t.store);
        clock.set('2027-07-15T10:00:00+08:00');
        expect((await log.expirePeriodKeys()).destroyed).toEqual([]);
        expect(loggedRead(await log.trail(pseudonym)).detailsState).toBe('sealed');
        clock.set('2027-10-01T00:00:00+08:00');
        expect((await log.expirePeriodKeys()).destroyed).toEqual(['2026-12']);
      } finally {
        await t.cleanup();
      }
    });
  });
}
