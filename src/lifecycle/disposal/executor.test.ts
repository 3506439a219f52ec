// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../foundation/accounts/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { disposalContext } from '../../edges/app/index.js';
import type { DisposalContext } from './context.js';
import { draftPlan } from './draft.js';
import { runPlan, type RunDeps } from './executor.js';
import { inventoryOf } from './finalise.js';
import {
  PLAN_CERTIFICATE_KIND,
  verifyCertificateSignature,
  type PlanCertificate,
} from './certificate.js';
import { certificatePublicKey } from './cert-store.js';
import type { PlanDoc } from './model.js';
import { planHash } from './plan-file.js';
import * as repo from './repository.js';
import { disposeExpiredExemptions } from './retained.js';
import {
  certificateMatchesCode,
  requestSubjectCertificate,
  retrieveSubjectCertificate,
} from './subject-certs.js';
import { MemoryConsent, MemoryTarget } from './testing.js';
import { verifyRun } from './verify.js';

async function setUp(dialect: (typeof DIALECTS)[number]) {
  const clock = new FixedClock('2026-12-01T00:00:00Z');
  const t = await createTestInstance(dialect, { clock });
  const target = new MemoryTarget();
  for (let i = 0; i < 30; i++) {
    target.add(`subj-${String(i).padStart(4, '0')}`, {
      identity: 1,
      contact: 1,
      'test-results': 2 + (i % 3),
      'location-events': 5,
    });
  }
  const consent = new MemoryConsent();
  // A third consent to transit for their identity only (the 随申码 case).
  for (let i = 0; i < 30; i += 3) {
    consent.consents.set(
      `subj-${String(i).padStart(4, '0')}`,
      new Map([['public-transit', ['identity']]]),
    );
  }
  const ctx = disposalContext(t.store, 'operator:alice', { target, consent });
  await ctx.prepare();
  await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
  return { t, clock, target, consent, ctx };
}

async function draftFor(ctx: DisposalContext, retire: PlanDoc['retire']): Promise<PlanDoc> {
  return draftPlan(
    {
      store: ctx.store,
      target: ctx.target,
      consent: ctx.consent,
      inventory: await inventoryOf(ctx.store, ctx.consent),
      recipients: [],
      approver: 'alice',
    },
    retire,
  );
}

const deps = (ctx: DisposalContext, extra: Partial<RunDeps> = {}): RunDeps => ({
  ...ctx,
  batchSize: 7,
  ...extra,
});

async function planCertificate(t: TestInstance, planId: string): Promise<PlanCertificate> {
  const rows = await repo.certificatesOf(t.store.db.kysely, planId);
  return JSON.parse(rows.find((r) => r.kind === PLAN_CERTIFICATE_KIND)!.body) as PlanCertificate;
}

for (const dialect of DIALECTS) {
  describe(`disposal executor on ${dialect}`, () => {
    it('disposes of epidemic data, keeps transit consents, certifies the ground truth', async () => {
      const { t, target, consent, ctx } = await setUp(dialect);
      try {
        const plan = await draftFor(ctx, { kind: 'purpose', id: 'epidemic-control' });
        const identity = plan.scope.find((s) => s.category === 'identity')!;
        expect(identity).toMatchObject({
          subjects: 20,
          records: 20,
          keptFor: [{ purpose: 'public-transit', subjects: 10 }],
        });
        const truth = target.total() - 10; // everything but the ten kept identities
        const out = await runPlan(deps(ctx), plan);
        expect(out.kind).toBe('completed');
        expect(consent.retired).toContain('epidemic-control');
        expect(target.total()).toBe(10);
        const cert = await planCertificate(t, plan.id);
        expect(cert.plan.sha256).toBe(planHash(plan));
        expect(cert.what.reduce((a, w) => a + w.recordsErased, 0)).toBe(truth);
        expect(cert.what.find((w) => w.category === 'identity')).toMatchObject({
          subjectsErased: 20,
          subjectsKept: 10,
        });
        expect(cert.execution).toMatchObject({ subjects: 30, subjectsWhollyErased: 20 });
        expect(cert.verification).toMatchObject({ keysPresent: 0, rowsRemaining: 0 });
        expect(
          verifyCertificateSignature(cert, await certificatePublicKey(t.store.db.kysely)),
        ).toBe(true);
        expect(JSON.stringify(cert)).not.toMatch(/subj-\d/);
        // Again: nothing to do.
        expect((await runPlan(deps(ctx), plan)).kind).toBe('already-done');
      } finally {
        await t.cleanup();
      }
    });

    it('resumes after a crash mid-run and still counts exactly', async () => {
      const { t, target, ctx } = await setUp(dialect);
      try {
        const plan = await draftFor(ctx, { kind: 'all', id: 'all' });
        const truth = target.total();
        target.failOnCall = 3;
        await expect(runPlan(deps(ctx), plan)).rejects.toThrow('simulated crash');
        const mid = (await repo.getRun(t.store.db.kysely, plan.id))!;
        expect(mid.done).toBe(14);
        expect(mid.executed_at).toBeNull();
        expect(await repo.getLock(t.store.db.kysely, plan.id)).toBeUndefined();
        const out = await runPlan(deps(ctx), plan);
        expect(out).toMatchObject({ kind: 'completed', subjects: 30 });
        const cert = await planCertificate(t, plan.id);
        expect(cert.what.reduce((a, w) => a + w.recordsErased, 0)).toBe(truth);
        expect(target.total()).toBe(0);
      } finally {
        await t.cleanup();
      }
    });

    it('takes over the lock of a dead holder; a second run waits for a live one', async () => {
      const { t, ctx } = await setUp(dialect);
      try {
        const plan = await draftFor(ctx, { kind: 'all', id: 'all' });
        const now = t.store.clock.now().getTime();
        await repo.tryInsertLock(t.store.db.kysely, {
          plan_id: plan.id,
          holder: 'dead',
          pid: 2 ** 22 + 7,
          host: (await import('node:os')).hostname(),
          acquired_at: now,
          heartbeat_at: now,
        });
        const [a, b] = await Promise.all([
          runPlan(deps(ctx), plan),
          runPlan(deps(ctx, { lock: { pollMs: 20 } }), plan),
        ]);
        expect([a.kind, b.kind].sort()).toEqual(['completed', 'waited']);
      } finally {
        await t.cleanup();
      }
    });

    it('retains a category under an exemption, then disposes of it when the exemption ends', async () => {
      const { t, clock, target, ctx } = await setUp(dialect);
      try {
        const draft = await draftFor(ctx, { kind: 'all', id: 'all' });
        const plan: PlanDoc = {
          ...draft,
          actions: draft.actions.map((a) =>
            a.category === 'test-results'
              ? {
                  category: a.category,
                  action: 'retain',
                  exemption: {
                    kind: 'statutory-retention',
                    name: 'lab records',
                    legalSource: 'Example Regulation art. 1',
                    endDate: '2027-01-31',
                    approver: 'alice',
                  },
                }
              : a,
          ),
        };
        await runPlan(deps(ctx), plan);
        expect(target.restricted.size).toBe(30);
        expect(
          [...target.data.values()].every((m) => [...m.keys()].join() === 'test-results'),
        ).toBe(true);
        expect(await disposeExpiredExemptions(ctx)).toEqual({ plans: 0, subjects: 0 });
        clock.set('2027-02-01T00:00:00+08:00');
        expect(await disposeExpiredExemptions(ctx)).toEqual({ plans: 1, subjects: 30 });
        expect(target.total()).toBe(0);
        expect(await disposeExpiredExemptions(ctx)).toEqual({ plans: 0, subjects: 0 });
        const v = await verifyRun(
          { store: t.store, target, inventory: () => inventoryOf(t.store, ctx.consent) },
          plan,
        );
        expect(v).toMatchObject({ subjectsChecked: 30, keysPresent: 0, rowsRemaining: 0 });
      } finally {
        await t.cleanup();
      }
    });

    it('issues a requested per-subject certificate under its code alone', async () => {
      const { t, ctx } = await setUp(dialect);
      const dir = mkdtempSync(join(tmpdir(), 'hc-cert-'));
      try {
        const plan = await draftFor(ctx, { kind: 'all', id: 'all' });
        const code = await requestSubjectCertificate(t.store, plan.id, 'subj-0004');
        await expect(retrieveSubjectCertificate(t.store, code)).rejects.toThrow(/not issued yet/);
        await runPlan(deps(ctx), plan);
        const cert = await retrieveSubjectCertificate(t.store, code);
        expect(certificateMatchesCode(cert, code)).toBe(true);
        expect(certificateMatchesCode(cert, 'AAAAA-AAAAA-AAAAA-AAAAA')).toBe(false);
        expect(cert.erased).toEqual(['identity', 'contact', 'test-results', 'location-events']);
        expect(JSON.stringify(cert)).not.toContain('subj-0004');
        const reqs = await t.store.db.kysely
          .selectFrom('disposal_cert_requests')
          .selectAll()
          .execute();
        expect(reqs.every((r) => r.subject_id === null)).toBe(true);
        const bundle = await ctx.log.proof!(cert.id);
        expect(bundle).toMatchObject({ format: 'healthcode/audit-inclusion/v1' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await t.cleanup();
      }
    });
  });
}
