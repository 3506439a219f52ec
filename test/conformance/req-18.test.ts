// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 18 — deletion records: the plan certificate records the trigger, categories,
 * stores, method, operator, time, verification result and exemptions; it is signed, written to
 * the audit log, and holds none of the deleted personal data. The run erases real vault data, so
 * the verification figures are the key store's and the database's; and the certificate is kept
 * at least 3 years (PIPL art. 56): three years on, after every periodic job has run, it is still
 * stored and still checks out offline.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../src/foundation/accounts/index.js';
import { runDueJobs } from '../../src/platform/runtime/index.js';
import { allJobs, disposalContext, instanceVault } from '../../src/edges/app/index.js';
import {
  approve,
  certificateHash,
  draft,
  planBundle,
  readPlanFile,
  run,
  verifyCertificateSignature,
  writePlanFile,
  type PlanCertificate,
} from '../../src/lifecycle/disposal/index.js';
import { checkCertificateBundle } from '../../src/lifecycle/disposal/cert-check.js';
import { certificatePublicKey } from '../../src/lifecycle/disposal/cert-store.js';
import { certificatesOf } from '../../src/lifecycle/disposal/repository.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { day, dayAt } from '../support/clock.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';

const CANARY_ID = '440524188001010014';
const OTHER_ID = '11010519491231002X';
const THIRD_ID = '110105198001010024';
const YEAR_MS = 365.25 * 86_400_000;

/** Three citizens in the real vault; returns their subject ids. */
async function seedVault(t: TestInstance): Promise<string[]> {
  const iv = await instanceVault(t.store);
  try {
    const repo = iv.vault.repository({
      actor: 'operator:req18',
      role: 'operator',
      purpose: 'epidemic-control',
    });
    const ids: string[] = [];
    for (const [idNumber, tests, temperatures] of [
      [CANARY_ID, 3, 2],
      [OTHER_ID, 1, 0],
      [THIRD_ID, 0, 1],
    ] as const) {
      const s = (await repo.ensureCitizen(idNumber)).subjectId;
      await repo.put(s, 'identity', { name: '张三', idNumber });
      for (let i = 0; i < tests; i++) {
        await repo.put(s, 'test-results', { kind: 'pcr', result: 'negative', at: day(-29) });
      }
      for (let i = 0; i < temperatures; i++) {
        await repo.put(s, 'temperature', { celsius: 36.6, at: dayAt(-28, '08:00') });
      }
      ids.push(s);
    }
    return ids;
  } finally {
    await iv.finish();
  }
}

/** Live (wrapped) data keys of the subjects in the key store. */
async function liveKeys(t: TestInstance, subjectIds: readonly string[]): Promise<number> {
  const r = await t.store.keyring.store
    .selectFrom('dek')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', 'in', subjectIds)
    .where('wrapped', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const dialect of DIALECTS) {
  describe(`req. 18: deletion records on ${dialect}`, () => {
    it('records what, where, how, when, who, verification and exemptions — and no personal data — for 3 years', async () => {
      const clock = new FixedClock(dayAt(2, '10:00'));
      const t = await createTestInstance(dialect, { clock });
      try {
        const subjects = await seedVault(t);
        expect(await liveKeys(t, subjects)).toBeGreaterThan(subjects.length);
        const ctx = disposalContext(t.store, 'operator:alice');
        await ctx.prepare();
        await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
        const file = join(t.dataDir, '..', 'plan.json');
        const drafted = await draft(ctx, 'all', file);
        writePlanFile(file, {
          ...drafted,
          actions: drafted.actions.map((a) =>
            a.category === 'test-results'
              ? {
                  category: a.category,
                  action: 'retain',
                  exemption: {
                    kind: 'statutory-retention',
                    name: 'lab records',
                    legalSource: 'Example rule art. 9',
                    endDate: day(5 * 365),
                    approver: 'alice',
                  },
                }
              : a,
          ),
        });
        await approve(ctx, file, 'alice');
        await run(ctx, file);
        const plan = readPlanFile(file);
        const rows = await certificatesOf(t.store.db.kysely, plan.id);
        const row = rows.find((r) => r.kind === 'healthcode/disposal-certificate')!;
        const cert = JSON.parse(row.body) as PlanCertificate;
        const publicKey = await certificatePublicKey(t.store.db.kysely);
        expect(row.sha256).toBe(certificateHash(cert));
        expect(verifyCertificateSignature(cert, publicKey)).toBe(true);
        expect(cert.plan).toMatchObject({
          id: plan.id,
          trigger: plan.trigger,
          retire: { kind: 'all', id: 'all' },
        });
        expect(cert.approvals.map((a) => a.by)).toEqual(['alice']);
        expect(cert.what.find((w) => w.category === 'identity')).toMatchObject({
          action: 'delete',
          subjectsErased: 3,
          recordsErased: 3,
        });
        expect(cert.what.find((w) => w.category === 'temperature')).toMatchObject({
          action: 'delete',
          subjectsErased: 2,
          recordsErased: 3,
        });
        expect(cert.what.find((w) => w.category === 'test-results')).toMatchObject({
          action: 'retain',
          subjectsRetained: 2,
          recordsRetained: 4,
        });
        expect(cert.where.find((w) => w.store === 'db:vault_record')?.method).toBe(
          'crypto-erasure',
        );
        expect(cert.methods).toEqual(
          expect.arrayContaining(['crypto-erasure', 'key-destruction', 'physical-deletion']),
        );
        expect(cert.exemptions.map((e) => e.appliesTo)).toContain('category:test-results');
        expect(cert.exemptions.every((e) => e.legalSource !== '' && e.endDate !== '')).toBe(true);
        // The verification figures come from the real key store and database.
        expect(cert.verification).toMatchObject({
          ok: true,
          subjectsChecked: 3,
          keysPresent: 0,
          rowsRemaining: 0,
        });
        // Ground truth behind them: only the retained test results and their group's keys remain.
        expect(
          (
            await t.store.db.kysely
              .selectFrom('vault_record')
              .select('category')
              .where('subject_id', 'in', subjects)
              .execute()
          ).map((r) => r.category),
        ).toEqual(['test-results', 'test-results', 'test-results', 'test-results']);
        expect(await liveKeys(t, [subjects[2]])).toBe(0);
        expect(Date.parse(cert.issuedAt)).toBe(clock.now().getTime());
        expect(row.leaf_index).not.toBeNull();
        const body = JSON.stringify(rows.map((r) => r.body));
        for (const pi of [CANARY_ID, OTHER_ID, THIRD_ID, '张三', ...subjects]) {
          expect(body).not.toContain(pi);
        }

        // Three years and a day on, every periodic job has run: still stored, still provable.
        clock.set(new Date(Date.parse(cert.issuedAt) + 3 * YEAR_MS + 86_400_000));
        const jobs = await runDueJobs(t.store, await allJobs(), true);
        expect(jobs.filter((j) => !j.ok)).toEqual([]);
        const kept = await certificatesOf(t.store.db.kysely, plan.id);
        expect(kept.find((r) => r.id === row.id)).toMatchObject({
          body: row.body,
          sha256: row.sha256,
          leaf_index: row.leaf_index,
        });
        // What `disposal certificate plan` hands an auditor, checked offline against the pinned key.
        const bundle = await planBundle(ctx, file);
        expect(bundle.certificate).toEqual(cert);
        const verdict = checkCertificateBundle(JSON.stringify(bundle), {
          certificateKey: publicKey!,
        });
        expect(verdict).toMatchObject({ certificateId: cert.id, leafIndex: row.leaf_index });
      } finally {
        await t.cleanup();
      }
    });
  });
}
