// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { generatePopulation } from '../../foundation/sim/index.js';
import { disposalContext, seedingSink } from '../../edges/app/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { checkCertificateBundle } from './cert-check.js';
import { certificateMatchesCode } from './subject-certs.js';
import { deletionExecutor } from './rights-deletion.js';
import type { SubjectCertificate } from './certificate.js';

const END = new Date('2026-11-28T20:00:00+08:00');

for (const dialect of DIALECTS) {
  describe(`rights deletion with a certificate on ${dialect}`, () => {
    it('erases the subject through the real vault and returns an offline-checkable certificate', async () => {
      const t = await createTestInstance(dialect, { clock: new FixedClock(END) });
      try {
        const ctx = disposalContext(t.store, 'operator:alice');
        await ctx.prepare();
        const sink = await seedingSink(t.store, { actor: 'system:seed' });
        for (const b of generatePopulation({
          people: 6,
          days: 1,
          seed: 4,
          end: END,
          batchSize: 50,
        })) {
          await sink.write(b);
        }
        await sink.finish();
        const row = await t.store.db.kysely
          .selectFrom('vault_subject')
          .select('id')
          .where('kind', '=', 'citizen')
          .orderBy('id')
          .executeTakeFirstOrThrow();
        const before = await t.store.db.kysely
          .selectFrom('vault_record')
          .select('id')
          .where('subject_id', '=', row.id)
          .execute();
        expect(before.length).toBeGreaterThan(0);
        const out = join(t.dataDir, '..', 'deletion.json');
        const res = await deletionExecutor(ctx).execute(
          t.store.db.kysely,
          { id: 'req-1', subjectId: row.id } as never,
          { outPath: out },
        );
        expect(res.summary).toMatchObject({ keysAbsent: true, rowsRemaining: 0 });
        expect(
          await t.store.db.kysely
            .selectFrom('vault_record')
            .select('id')
            .where('subject_id', '=', row.id)
            .execute(),
        ).toEqual([]);
        expect(
          await t.store.db.kysely
            .selectFrom('vault_subject')
            .select('id')
            .where('id', '=', row.id)
            .execute(),
        ).toEqual([]);
        const text = readFileSync(out, 'utf8');
        const verdict = checkCertificateBundle(text);
        expect(verdict.certificateId).toBe(res.summary.certificateId);
        const bundle = JSON.parse(text) as {
          certificate: SubjectCertificate;
          retrievalCode: string;
        };
        expect(certificateMatchesCode(bundle.certificate, bundle.retrievalCode)).toBe(true);
        expect(JSON.stringify(bundle.certificate)).not.toContain(row.id);
        // A tampered certificate fails the offline check.
        const forged = JSON.stringify({
          ...JSON.parse(text),
          certificate: { ...bundle.certificate, erased: ['identity'] },
        });
        expect(() => checkCertificateBundle(forged)).toThrow(/signature/);
      } finally {
        await t.cleanup();
      }
    });
  });
}
