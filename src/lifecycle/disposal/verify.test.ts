// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal verify` after a real run over the real vault: a clean run verifies with exact
 * figures; then each kind of residue an operator could leave — a subject not disposed of, a key
 * and rows brought back from a backup, rows still pointing at an erased subject, an unclassified
 * store, rows in a retired service's store, a canary in a database table — fails it with its
 * own problem, and pending acknowledgments are reported without failing. The figures and
 * problems are asserted exactly, so that losing one check is noticed while another still fails
 * the run (found by the mutation run, docs/mutation-testing.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../foundation/accounts/index.js';
import { currentNotices, grantConsent } from '../../personal/consent/index.js';
import { consentRuntime } from '../../personal/consent/wiring.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { generatePopulation } from '../../foundation/sim/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { disposalContext, seedingSink } from '../../edges/app/index.js';
import type { DisposalContext } from './context.js';
import { draftPlan } from './draft.js';
import { PlanNotRunError } from './errors.js';
import { runPlan } from './executor.js';
import { inventoryOf } from './finalise.js';
import type { PlanDoc } from './model.js';
import { disposeExpiredExemptions } from './retained.js';
import { MemoryConsent, MemoryTarget } from './testing.js';
import { summary, verifyRun, type VerifyDeps } from './verify.js';

const END = new Date('2026-11-28T20:00:00+08:00');
const CANARY = 'CANARY-5f1c9a7e-residue';

async function setUp(dialect: (typeof DIALECTS)[number]) {
  const t = await createTestInstance(dialect, { clock: new FixedClock(END) });
  const ctx = disposalContext(t.store, 'operator:alice');
  await ctx.prepare();
  await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
  const sink = await seedingSink(t.store, { actor: 'system:seed' });
  for (const b of generatePopulation({ people: 5, days: 1, seed: 11, end: END, batchSize: 50 })) {
    await sink.write(b);
  }
  await sink.finish();
  return { t, ctx, db: t.store.db.kysely };
}

async function draftAll(ctx: DisposalContext): Promise<PlanDoc> {
  return draftPlan(
    {
      store: ctx.store,
      target: ctx.target,
      consent: ctx.consent,
      inventory: await inventoryOf(ctx.store, ctx.consent),
      recipients: [],
      approver: 'alice',
    },
    { kind: 'all', id: 'all' },
  );
}

const depsOf = (ctx: DisposalContext): VerifyDeps => ({
  store: ctx.store,
  target: ctx.target,
  scanner: ctx.scanner,
  inventory: () => inventoryOf(ctx.store, ctx.consent),
});

/** Personal stores in the inventory: the count a clean verification confirms. */
async function personalStores(ctx: DisposalContext): Promise<number> {
  return (await inventoryOf(ctx.store, ctx.consent)).stores.filter((s) => s.personal).length;
}

async function evidenceCount(t: TestInstance, planId: string): Promise<number> {
  const rows = await t.store.db.kysely
    .selectFrom('disposal_evidence')
    .select('id')
    .where('plan_id', '=', planId)
    .execute();
  return rows.length;
}

/** Transit consents (identity separately, PIPL art. 29, and contact) through the real ledger. */
async function grantTransit(t: TestInstance, subjectIds: readonly string[]): Promise<void> {
  const rt = await consentRuntime(t.store);
  const policy = (await currentNotices(rt.deps)).find(
    (n) => n.kind === 'privacy-policy' && n.language === 'zh',
  )!.hash;
  for (const subjectId of subjectIds) {
    for (const [category, separate] of [
      ['identity', true],
      ['contact', false],
    ] as const) {
      await grantConsent(rt.deps, {
        subjectId,
        purposeId: 'public-transit',
        categories: [category],
        separate,
        noticeHash: policy,
        actor: 'citizen',
      });
    }
  }
  await rt.finish();
}

/** Test results kept under a statutory exemption until the end of January 2027. */
function retainTestResults(plan: PlanDoc): PlanDoc {
  return {
    ...plan,
    actions: plan.actions.map((a) =>
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
}

for (const dialect of DIALECTS) {
  describe(`disposal verify on ${dialect}`, () => {
    it('refuses a plan that has not run, or whose snapshot is unfinished', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await expect(verifyRun(depsOf(ctx), plan)).rejects.toThrow(
          new PlanNotRunError('the plan has not been run yet (disposal run FILE)'),
        );
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        await db
          .updateTable('disposal_runs')
          .set({ total: -1 })
          .where('plan_id', '=', plan.id)
          .execute();
        await expect(verifyRun(depsOf(ctx), plan)).rejects.toBeInstanceOf(PlanNotRunError);
      } finally {
        await t.cleanup();
      }
    });

    it('verifies a clean run with exact figures, and records evidence only when asked', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const items = await db
          .selectFrom('disposal_items')
          .select('subject_id')
          .where('plan_id', '=', plan.id)
          .execute();
        expect(items.length).toBeGreaterThan(5);
        const before = await evidenceCount(t, plan.id);
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v).toEqual({
          at: END.toISOString(),
          ok: true,
          subjectsChecked: items.length,
          keysPresent: 0,
          rowsRemaining: 0,
          storesConfirmed: await personalStores(ctx),
          storesUnconfirmed: [],
          canaryScan: null,
          subjectsPending: 0,
          subjectRows: {},
          unclassified: [],
          pendingAcks: [],
          hits: [],
          problems: [],
        });
        expect(summary(v)).toEqual({
          at: v.at,
          ok: true,
          subjectsChecked: items.length,
          keysPresent: 0,
          rowsRemaining: 0,
          storesConfirmed: v.storesConfirmed,
          storesUnconfirmed: [],
          canaryScan: null,
        });
        expect(await evidenceCount(t, plan.id)).toBe(before);
        const recorded = await verifyRun(depsOf(ctx), plan, { record: true });
        const rows = await db
          .selectFrom('disposal_evidence')
          .selectAll()
          .where('plan_id', '=', plan.id)
          .orderBy('at')
          .execute();
        expect(rows).toHaveLength(before + 1);
        const mine = rows.find((r) => JSON.parse(r.body).at === recorded.at && r.ok === 1);
        expect(mine).toBeDefined();
        expect(JSON.parse(mine!.body)).toEqual(recorded);
        expect(Number(mine!.at)).toBe(END.getTime());
      } finally {
        await t.cleanup();
      }
    });

    it('fails while subjects are not disposed of, and records a failed verification as such', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const all = await db
          .selectFrom('disposal_items')
          .select(['seq'])
          .where('plan_id', '=', plan.id)
          .orderBy('seq')
          .execute();
        await db
          .updateTable('disposal_items')
          .set({ status: 0 })
          .where('plan_id', '=', plan.id)
          .where(
            'seq',
            'in',
            all.slice(0, 2).map((r) => r.seq),
          )
          .execute();
        const v = await verifyRun(depsOf(ctx), plan, { record: true });
        expect(v).toMatchObject({
          ok: false,
          subjectsPending: 2,
          subjectsChecked: all.length - 2,
          problems: ['2 subjects are not disposed of yet'],
        });
        const rows = await db
          .selectFrom('disposal_evidence')
          .select(['ok', 'body'])
          .where('plan_id', '=', plan.id)
          .execute();
        expect(rows.filter((r) => r.ok === 0).map((r) => JSON.parse(r.body) as unknown)).toEqual([
          v,
        ]);
      } finally {
        await t.cleanup();
      }
    });

    it("finds an erased subject's key and rows brought back from a backup", async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const ks = t.store.keyring.store;
        const victim = await db
          .selectFrom('vault_record')
          .select('subject_id')
          .orderBy('subject_id')
          .executeTakeFirstOrThrow();
        const keys = await ks
          .selectFrom('dek')
          .selectAll()
          .where('subject_id', '=', victim.subject_id)
          .where('wrapped', 'is not', null)
          .execute();
        const records = await db
          .selectFrom('vault_record')
          .selectAll()
          .where('subject_id', '=', victim.subject_id)
          .execute();
        expect(keys.length).toBeGreaterThan(0);
        expect(records.length).toBeGreaterThan(0);
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        // The "restore": the key rows and records as they were before the run.
        await ks.deleteFrom('dek').where('subject_id', '=', victim.subject_id).execute();
        await ks.insertInto('dek').values(keys).execute();
        await db.insertInto('vault_record').values(records).execute();
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v).toMatchObject({
          ok: false,
          keysPresent: keys.length,
          rowsRemaining: records.length,
          problems: [
            `${keys.length} data keys of erased subjects are still in the key store`,
            `${records.length} rows of erased categories remain in the vault`,
          ],
        });
        expect(summary(v)).toMatchObject({
          ok: false,
          keysPresent: keys.length,
          rowsRemaining: records.length,
        });
      } finally {
        await t.cleanup();
      }
    });

    it('finds rows still pointing at an erased subject, and rows in a retired service store', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        expect(plan.retiredServices).toContain('trip-card');
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const { subject_id: subject } = await db
          .selectFrom('disposal_items')
          .select('subject_id')
          .where('plan_id', '=', plan.id)
          .where('whole', '=', 1)
          .orderBy('seq')
          .executeTakeFirstOrThrow();
        const confirmed = await personalStores(ctx);
        await db
          .insertInto('vault_restriction')
          .values([
            { subject_id: subject, scope: 'health', since: END.getTime(), reason: 'left over' },
            { subject_id: subject, scope: 'basic', since: END.getTime(), reason: 'left over' },
          ])
          .execute();
        await db
          .insertInto('tripcard_event')
          .values({
            subject_id: 'someone-else',
            day: 20_000,
            bid: Buffer.alloc(8, 1),
            eids: Buffer.alloc(8, 2),
            gen: 1,
            ct: Buffer.alloc(16, 3),
          })
          .execute();
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v).toMatchObject({
          ok: false,
          subjectRows: { vault_restriction: 2 },
          storesUnconfirmed: ['db:vault_restriction', 'db:tripcard_event'],
          storesConfirmed: confirmed - 2,
          problems: [
            '2 rows in vault_restriction still point at wholly erased subjects',
            '1 rows remain in db:tripcard_event, a store only retired services used',
          ],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('fails on a store the inventory does not classify', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const confirmed = await personalStores(ctx);
        await sql`create table stray_notes (note text)`.execute(db);
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v).toMatchObject({
          ok: false,
          unclassified: ['db:stray_notes'],
          storesUnconfirmed: ['db:stray_notes'],
          // One more personal store (unclassified counts as personal), and it is unconfirmed.
          storesConfirmed: confirmed,
          problems: ['store db:stray_notes is not classified in the inventory'],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('verifies a run that found nobody to dispose of', async () => {
      const t = await createTestInstance(dialect, { clock: new FixedClock(END) });
      try {
        const ctx = disposalContext(t.store, 'operator:alice');
        await ctx.prepare();
        await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        expect(await verifyRun(depsOf(ctx), plan)).toMatchObject({
          ok: true,
          subjectsChecked: 0,
          problems: [],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('leaves the consents of subjects who keep data for another purpose alone', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const citizens = await db
          .selectFrom('vault_subject')
          .select('id')
          .where('kind', '=', 'citizen')
          .orderBy('id')
          .execute();
        const keepers = citizens.slice(0, 2).map((r) => r.id);
        await grantTransit(t, keepers);
        const plan = await draftPlan(
          {
            store: ctx.store,
            target: ctx.target,
            consent: ctx.consent,
            inventory: await inventoryOf(ctx.store, ctx.consent),
            recipients: [],
            approver: 'alice',
          },
          { kind: 'purpose', id: 'epidemic-control' },
        );
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const kept = await db
          .selectFrom('consent_current')
          .select('subject_id')
          .where('subject_id', 'in', keepers)
          .execute();
        expect(kept.length).toBeGreaterThan(0);
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v).toMatchObject({ ok: true, subjectRows: {}, keysPresent: 0, rowsRemaining: 0 });
        expect(v.subjectsChecked).toBeGreaterThan(keepers.length);
      } finally {
        await t.cleanup();
      }
    });

    it('counts data held under an exemption as kept, and the subject as wholly erased once it ends', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const drafted = await draftAll(ctx);
        expect(drafted.actions.map((a) => a.category)).toContain('test-results');
        const plan = retainTestResults(drafted);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const held = await db
          .selectFrom('vault_record')
          .select(['subject_id', 'category'])
          .execute();
        expect(held.length).toBeGreaterThan(0);
        expect(new Set(held.map((r) => r.category))).toEqual(new Set(['test-results']));
        const during = await verifyRun(depsOf(ctx), plan);
        expect(during).toMatchObject({
          ok: true,
          keysPresent: 0,
          rowsRemaining: 0,
          subjectRows: {},
          problems: [],
        });
        (t.store.clock as FixedClock).set('2027-02-01T00:00:00+08:00');
        expect((await disposeExpiredExemptions(ctx)).plans).toBe(1);
        expect(await db.selectFrom('vault_record').select('id').execute()).toEqual([]);
        expect((await verifyRun(depsOf(ctx), plan)).ok).toBe(true);
        // Now wholly erased: a row left pointing at one of them is found.
        await db
          .insertInto('vault_restriction')
          .values({
            subject_id: held[0].subject_id,
            scope: 'certification',
            since: END.getTime(),
            reason: 'left over',
          })
          .execute();
        expect((await verifyRun(depsOf(ctx), plan)).problems).toEqual([
          '1 rows in vault_restriction still point at wholly erased subjects',
        ]);
      } finally {
        await t.cleanup();
      }
    });

    it('checks a category whose exemption ended as erased, for a subject who keeps other data', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const tested = await db
          .selectFrom('vault_subject')
          .innerJoin('vault_record', 'vault_record.subject_id', 'vault_subject.id')
          .select('vault_subject.id')
          .where('vault_subject.kind', '=', 'citizen')
          .where('vault_record.category', '=', 'test-results')
          .orderBy('vault_subject.id')
          .executeTakeFirstOrThrow();
        await grantTransit(t, [tested.id]);
        const plan = retainTestResults(
          await draftPlan(
            {
              store: ctx.store,
              target: ctx.target,
              consent: ctx.consent,
              inventory: await inventoryOf(ctx.store, ctx.consent),
              recipients: [],
              approver: 'alice',
            },
            { kind: 'purpose', id: 'epidemic-control' },
          ),
        );
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const results = await db
          .selectFrom('vault_record')
          .selectAll()
          .where('subject_id', '=', tested.id)
          .where('category', '=', 'test-results')
          .execute();
        expect(results.length).toBeGreaterThan(0);
        (t.store.clock as FixedClock).set('2027-02-01T00:00:00+08:00');
        await disposeExpiredExemptions(ctx);
        expect((await verifyRun(depsOf(ctx), plan)).ok).toBe(true);
        // The results come back (a restore): they are rows of an erased category now.
        await db.insertInto('vault_record').values(results).execute();
        expect(await verifyRun(depsOf(ctx), plan)).toMatchObject({
          ok: false,
          rowsRemaining: results.length,
        });
      } finally {
        await t.cleanup();
      }
    });

    it('reports pending acknowledgments without failing', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        const notice = (party: string, acked: number | null) => ({
          plan_id: plan.id,
          party,
          notice_id: `notice-${party}`,
          sent_at: END.getTime(),
          receipt: null,
          acked_at: acked,
        });
        await db
          .insertInto('disposal_notices')
          .values([notice('city-lab', null), notice('metro', END.getTime()), notice('bank', null)])
          .execute();
        const v = await verifyRun(depsOf(ctx), plan);
        expect(v.ok).toBe(true);
        expect(v.problems).toEqual([]);
        expect([...v.pendingAcks].sort()).toEqual(['bank', 'city-lab']);
      } finally {
        await t.cleanup();
      }
    });

    it('scans files and database content for canaries when given them', async () => {
      const { t, ctx, db } = await setUp(dialect);
      try {
        const plan = await draftAll(ctx);
        await runPlan({ ...ctx, batchSize: 4 }, plan);
        await expect(
          verifyRun({ ...depsOf(ctx), scanner: undefined }, plan, { canaries: [CANARY] }),
        ).rejects.toThrow(new TypeError('a canary scan needs a scanner'));
        const clean = await verifyRun(depsOf(ctx), plan, { canaries: [CANARY, 'CANARY-other'] });
        expect(clean.ok).toBe(true);
        expect(clean.hits).toEqual([]);
        expect(clean.canaryScan).toMatchObject({ canaries: 2, hits: 0 });
        expect(clean.canaryScan!.files).toBeGreaterThan(0);
        // A canary left inside a database table (on PostgreSQL only the content scan sees it),
        // and one in a log file.
        await db
          .insertInto('disposal_notices')
          .values({
            plan_id: plan.id,
            party: CANARY,
            notice_id: 'n-1',
            sent_at: END.getTime(),
            receipt: null,
            acked_at: END.getTime(),
          })
          .execute();
        writeFileSync(join(t.store.paths.root, 'logs-leftover.log'), `x ${CANARY} y`);
        const v = await verifyRun(depsOf(ctx), plan, { canaries: [CANARY] });
        const total = v.hits.reduce((a, h) => a + h.count, 0);
        const places = new Set(v.hits.map((h) => h.file)).size;
        expect(v.hits).toContainEqual(expect.objectContaining({ file: 'db:disposal_notices' }));
        expect(total).toBeGreaterThanOrEqual(2);
        expect(places).toBeGreaterThanOrEqual(2);
        expect(v.ok).toBe(false);
        expect(v.canaryScan).toEqual({ files: v.canaryScan!.files, canaries: 1, hits: total });
        expect(v.problems).toContain(
          `the residual scan found ${total} canary hits in ${places} places`,
        );
      } finally {
        await t.cleanup();
      }
    });
  });
}

describe('disposal verify over many subjects (in-memory vault port)', () => {
  it('reads the run page by page', async () => {
    const t = await createTestInstance('sqlite', { clock: new FixedClock(END) });
    try {
      const target = new MemoryTarget();
      for (let i = 0; i < 1005; i++) {
        target.add(`subj-${String(i).padStart(5, '0')}`, { identity: 1, 'test-results': 1 });
      }
      const ctx = disposalContext(t.store, 'operator:alice', {
        target,
        consent: new MemoryConsent(),
      });
      await ctx.prepare();
      await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
      const plan = await draftAll(ctx);
      await runPlan({ ...ctx, batchSize: 500 }, plan);
      // Put back one record on the second page: still counted.
      target.add('subj-01003', { identity: 1 });
      const v = await verifyRun(
        { store: t.store, target, inventory: () => inventoryOf(t.store, ctx.consent) },
        plan,
      );
      expect(v).toMatchObject({ subjectsChecked: 1005, rowsRemaining: 1, ok: false });
    } finally {
      await t.cleanup();
    }
  });
});
