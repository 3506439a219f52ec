// SPDX-License-Identifier: Apache-2.0
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { FileOutbox } from '../../foundation/outbox/index.js';
import { generatePopulation } from '../../foundation/sim/index.js';
import { openVault } from '../../personal/vault/index.js';
import { disposalContext, seedingSink } from '../../edges/app/index.js';
import { RecordingAudit } from '../../personal/vault/testing.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { draftPlan } from './draft.js';
import { runPlan } from './executor.js';
import { inventoryOf } from './finalise.js';
import * as repo from './repository.js';

const END = new Date('2026-11-28T20:00:00+08:00');

async function seed(t: TestInstance): Promise<void> {
  const sink = await seedingSink(t.store, { actor: 'system:seed' });
  for (const b of generatePopulation({ people: 4, days: 1, seed: 7, end: END, batchSize: 50 })) {
    await sink.write(b);
  }
  await sink.finish();
}

/** The phone in the contact record of the first citizen (what an SMS to them is addressed to). */
async function aCitizenPhone(t: TestInstance): Promise<string> {
  const row = await t.store.db.kysely
    .selectFrom('vault_subject')
    .select('id')
    .where('kind', '=', 'citizen')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const sys = openVault(t.store, { audit: new RecordingAudit() }).systemRepository({
    actor: 'test:read',
    purpose: 'maintenance',
  });
  const [contact] = await sys.list(row.id, { categories: ['contact'] });
  return (contact.value as { phone: string }).phone;
}

for (const dialect of DIALECTS) {
  describe(`the vault as disposal target on ${dialect}`, () => {
    it('fails the run when the outbox cannot be read, and completes once it can', async () => {
      const t = await createTestInstance(dialect, { clock: new FixedClock(END) });
      try {
        await seed(t);
        const phone = await aCitizenPhone(t);
        const outbox = new FileOutbox(t.store.paths.outbox);
        await outbox.send({
          to: phone,
          purpose: 'rights-access',
          code: '123456',
          expires: new Date(END.getTime() + 3_600_000),
        });
        expect((await outbox.list()).map((m) => m.to)).toContain(phone);
        const ctx = disposalContext(t.store, 'operator:alice');
        await ctx.prepare();
        const plan = await draftPlan(
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

        // A file where the outbox folder belongs: listing it fails with ENOTDIR, not ENOENT.
        renameSync(t.store.paths.outbox, `${t.store.paths.outbox}.aside`);
        writeFileSync(t.store.paths.outbox, 'not a folder');
        await expect(runPlan({ ...ctx, batchSize: 50 }, plan)).rejects.toMatchObject({
          code: 'ENOTDIR',
        });
        const failed = (await repo.getRun(t.store.db.kysely, plan.id))!;
        expect(failed.executed_at).toBeNull();
        expect(failed.done).toBe(0);

        // The cause gone, the same plan resumes and withdraws the message to the erased subject.
        rmSync(t.store.paths.outbox);
        renameSync(`${t.store.paths.outbox}.aside`, t.store.paths.outbox);
        expect((await runPlan({ ...ctx, batchSize: 50 }, plan)).kind).toBe('completed');
        expect((await outbox.list()).map((m) => m.to)).not.toContain(phone);
      } finally {
        await t.cleanup();
      }
    });
  });
}
