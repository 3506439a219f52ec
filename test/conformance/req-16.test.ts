// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 16 — processors and recipients: every entrusted processor or recipient gets a
 * deletion instruction and must return a confirmation; the plan is not closed (`awaiting-acks`)
 * until every signed acknowledgment has arrived, and a forged one is refused.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../src/foundation/accounts/index.js';
import {
  approve,
  draft,
  readPlanFile,
  run,
  status,
  disposalErrors,
} from '../../src/lifecycle/disposal/index.js';
import { recordAck } from '../../src/lifecycle/disposal/notices.js';
import { addRecipient } from '../../src/lifecycle/disposal/recipients.js';
import { MemoryTarget } from '../../src/lifecycle/disposal/testing.js';
import { dayAt, rfc3339, runningClock } from '../support/clock.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { disposalContext } from '../../src/edges/app/index.js';

function ack(
  planId: string,
  party: string,
  noticeId: string,
  key: Parameters<typeof sign>[2],
  deletedAt: Date,
): string {
  const body = {
    deletedAt: rfc3339(deletedAt),
    kind: 'healthcode/deletion-ack',
    noticeId,
    party,
    planId,
  };
  return JSON.stringify({
    ...body,
    signature: sign(null, Buffer.from(JSON.stringify(body)), key).toString('base64'),
  });
}

for (const dialect of DIALECTS) {
  describe(`req. 16: processors and recipients on ${dialect}`, () => {
    it('notifies each party and stays awaiting-acks until every signed confirmation arrives', async () => {
      const t = await createTestInstance(dialect, { clock: runningClock(dayAt(0, '10:00')) });
      try {
        const target = new MemoryTarget();
        target.add('subj-aaaaaaaa', { identity: 1, 'test-results': 1 });
        const ctx = disposalContext(t.store, 'operator:alice', { target });
        await ctx.prepare();
        await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
        const keys = { cloud: generateKeyPairSync('ed25519'), lab: generateKeyPairSync('ed25519') };
        const now = t.store.clock.now().getTime();
        await addRecipient(
          t.store.db.kysely,
          {
            id: 'cloud',
            name: 'Cloud vendor',
            kind: 'processor',
            contact: 'dpo@cloud.example',
            categories: [],
            publicKey: keys.cloud.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          },
          now,
        );
        await addRecipient(
          t.store.db.kysely,
          {
            id: 'lab',
            name: 'Test lab',
            kind: 'recipient',
            contact: 'dpo@lab.example',
            categories: ['test-results'],
            publicKey: keys.lab.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          },
          now,
        );
        const file = join(t.dataDir, '..', 'plan.yaml');
        await draft(ctx, 'all', file);
        expect(readPlanFile(file).recipients.map((r) => r.id)).toEqual(['cloud', 'lab']);
        await approve(ctx, file, 'alice');
        await run(ctx, file);
        const plan = readPlanFile(file);
        expect((await status(ctx, file)).state).toBe('awaiting-acks');
        const notice = (party: string) =>
          JSON.parse(
            readFileSync(
              join(t.store.paths.reports, 'disposal', plan.id, `notice-${party}.json`),
              'utf8',
            ),
          ) as { noticeId: string; categories: string[] };
        expect(notice('lab').categories).toEqual(['test-results']);
        // A receipt signed with the wrong key is refused; the plan stays open.
        await expect(
          recordAck(
            ctx,
            plan,
            'cloud',
            ack(
              plan.id,
              'cloud',
              notice('cloud').noticeId,
              keys.lab.privateKey,
              t.store.clock.now(),
            ),
          ),
        ).rejects.toBeInstanceOf(disposalErrors.AckInvalidError);
        expect(
          (
            await recordAck(
              ctx,
              plan,
              'cloud',
              ack(
                plan.id,
                'cloud',
                notice('cloud').noticeId,
                keys.cloud.privateKey,
                t.store.clock.now(),
              ),
            )
          ).pending,
        ).toEqual(['lab']);
        expect((await status(ctx, file)).state).toBe('awaiting-acks');
        await recordAck(
          ctx,
          plan,
          'lab',
          ack(plan.id, 'lab', notice('lab').noticeId, keys.lab.privateKey, t.store.clock.now()),
        );
        const st = await status(ctx, file);
        expect(st).toMatchObject({
          state: 'done',
          pendingAcks: [],
          acknowledged: ['cloud', 'lab'],
        });
      } finally {
        await t.cleanup();
      }
    });
  });
}
