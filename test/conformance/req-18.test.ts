// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 18 — deletion records: the plan certificate records the trigger, categories,
 * stores, method, operator, time, verification result and exemptions; it is signed, written to
 * the audit log, classified as kept ≥ 3 years, and holds none of the deleted personal data.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../src/accounts/index.js';
import {
  approve,
  certificateHash,
  disposalContext,
  draft,
  readPlanFile,
  run,
  verifyCertificateSignature,
  writePlanFile,
  type PlanCertificate,
} from '../../src/disposal/index.js';
import { certificatePublicKey } from '../../src/disposal/cert-store.js';
import { certificatesOf } from '../../src/disposal/repository.js';
import { MemoryTarget } from '../../src/disposal/testing.js';
import { day, dayAt, runningClock } from '../support/clock.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';

const CANARY_SUBJECT = 'subj-440524188001010014-canary';

for (const dialect of DIALECTS) {
  describe(`req. 18: deletion records on ${dialect}`, () => {
    it('records what, where, how, when, who, verification and exemptions — and no personal data', async () => {
      const t = await createTestInstance(dialect, { clock: runningClock(dayAt(0, '10:00')) });
      try {
        const target = new MemoryTarget();
        target.add(CANARY_SUBJECT, { identity: 1, 'test-results': 3, 'location-events': 4 });
        target.add('subj-bbbbbbbb', { identity: 1, 'test-results': 1 });
        const ctx = disposalContext(t.store, 'operator:alice', { target });
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
        expect(row.sha256).toBe(certificateHash(cert));
        expect(
          verifyCertificateSignature(cert, await certificatePublicKey(t.store.db.kysely)),
        ).toBe(true);
        expect(cert.plan).toMatchObject({
          id: plan.id,
          trigger: plan.trigger,
          retire: { kind: 'all', id: 'all' },
        });
        expect(cert.approvals.map((a) => a.by)).toEqual(['alice']);
        expect(cert.what.find((w) => w.category === 'identity')).toMatchObject({
          action: 'delete',
          subjectsErased: 2,
          recordsErased: 2,
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
        expect(cert.verification).toMatchObject({
          subjectsChecked: 2,
          keysPresent: 0,
          rowsRemaining: 0,
        });
        expect(Date.parse(cert.issuedAt)).not.toBeNaN();
        expect(row.leaf_index).not.toBeNull();
        const body = JSON.stringify(rows.map((r) => r.body));
        expect(body).not.toContain('440524188001010014');
        expect(body).not.toContain(CANARY_SUBJECT);
      } finally {
        await t.cleanup();
      }
    });
  });
}
