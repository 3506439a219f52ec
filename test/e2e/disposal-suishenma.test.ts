// SPDX-License-Identifier: Apache-2.0
/**
 * Scenario (c), the 随申码 case: the epidemic-control purpose is retired — its data goes — while
 * the transit code keeps, for the residents who separately consented, only the categories they
 * agreed to. One category is retained under a statutory exemption, restricted, and disposed of
 * by the exemption job once `--now` passes its end date. Both engines. Every step is on the
 * harness clock: seeding and the consents come before the approval and the run.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { day, dayAt } from '../support/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { editPlan, expectCode, json, seedCity } from './disposal-harness.js';

for (const dialect of DIALECTS) {
  describe(`disposal: 随申码 on ${dialect}`, () => {
    it(
      'epidemic data goes; transit keeps only what its consenting users agreed to',
      { timeout: 300_000 },
      async () => {
        const city = await seedCity(dialect);
        try {
          const citizens = (
            await city.sql<{ id: string }>(
              "select id from vault_subject where kind = 'citizen' order by id",
            )
          ).map((r) => r.id);
          // The first four adults consent. A child's own consent is refused (PIPL art. 31: a
          // guardian must give it), so children in id order are passed over — and must be refused
          // for exactly that reason.
          const consenting: string[] = [];
          for (const id of citizens) {
            if (consenting.length === 4) {
              break;
            }
            // Identity is sensitive (PIPL art. 29): its own, separate consent; two also agree to
            // contact. (`--` because an opaque base64url id may begin with '-'.)
            const grant = await city.cli([
              'consent',
              'grant',
              '--purpose',
              'public-transit',
              '--categories',
              'identity',
              '--separate',
              '--',
              id,
            ]);
            if (grant.code === 2 && grant.stderr.includes('ERR_CONSENT_GUARDIAN_REQUIRED')) {
              continue;
            }
            expect(grant.code, grant.stderr).toBe(0);
            if (consenting.length < 2) {
              await expectCode(
                city.cli([
                  'consent',
                  'grant',
                  '--purpose',
                  'public-transit',
                  '--categories',
                  'contact',
                  '--',
                  id,
                ]),
                0,
              );
            }
            consenting.push(id);
          }
          expect(consenting).toHaveLength(4);
          const plan = join(city.dir, 'plan.yaml');
          await expectCode(
            city.cli(['disposal', 'plan', '--retire', 'epidemic-control', '--out', plan]),
            0,
          );
          editPlan(plan, (p) => {
            const actions = p.actions as {
              category: string;
              action: string;
              exemption?: unknown;
            }[];
            const t = actions.find((a) => a.category === 'test-results')!;
            t.action = 'retain';
            t.exemption = {
              kind: 'statutory-retention',
              name: 'laboratory result retention',
              legalSource: 'Example: municipal rule on keeping test records 30 days',
              endDate: day(62),
              approver: 'alice',
            };
          });
          await expectCode(
            city.cli(['disposal', 'approve', plan, '--by', 'alice'], {
              now: dayAt(1, '09:00'),
            }),
            0,
          );
          await expectCode(city.cli(['disposal', 'run', plan], { now: dayAt(1, '10:00') }), 0);
          const purposes = json<{ purposes: { id: string; validTo: string | null }[] }>(
            await city.cli(['purpose', 'list', '--json']),
          );
          expect(
            purposes.purposes.find((p) => p.id === 'epidemic-control')?.validTo,
          ).not.toBeNull();
          expect(purposes.purposes.find((p) => p.id === 'public-transit')?.validTo).toBeNull();

          const left = await city.sql<{ subject_id: string; category: string }>(
            'select distinct subject_id, category from vault_record order by subject_id, category',
          );
          const kept = left.filter((r) => r.category !== 'test-results');
          // Only consenting citizens keep anything besides the retained test results, and only what they agreed to.
          for (const r of kept) {
            const i = consenting.indexOf(r.subject_id);
            expect(i, r.category).toBeGreaterThanOrEqual(0);
            expect(i < 2 ? ['identity', 'contact'] : ['identity']).toContain(r.category);
          }
          expect(new Set(kept.map((r) => r.subject_id)).size).toBe(4);
          const retained = left.filter((r) => r.category === 'test-results').length;
          expect(retained).toBeGreaterThan(0);
          expect(
            await city.count(
              "select count(*) as n from vault_restriction where scope = 'test-results'",
            ),
          ).toBe(retained);
          const st = json<{
            state: string;
            openExemptions: { appliesTo: string; subjects: number }[];
          }>(await city.cli(['disposal', 'status', plan, '--json']));
          expect(st.state).toBe('done');
          expect(
            st.openExemptions.find((e) => e.appliesTo === 'category:test-results')?.subjects,
          ).toBe(retained);

          // The exemption ends: the registered job disposes of the retained results half an hour
          // after its end date is over.
          await expectCode(city.cli(['jobs', 'run', '--force'], { now: dayAt(63, '00:30') }), 0);
          expect(
            await city.count(
              "select count(*) as n from vault_record where category = 'test-results'",
            ),
          ).toBe(0);
          expect(await city.count('select count(*) as n from vault_restriction')).toBe(0);
          const v = json<{ ok: boolean; canaryScan: { hits: number } }>(
            await city.cli(['disposal', 'verify', plan, '--canaries', city.canaryFile, '--json'], {
              now: dayAt(63, '01:00'),
            }),
          );
          expect(v).toMatchObject({ ok: true, canaryScan: { hits: 0 } });
          const pc = join(city.dir, 'certificate.json');
          await expectCode(city.cli(['disposal', 'certificate', 'plan', plan, '--out', pc]), 0);
          await expectCode(city.cli(['audit', 'check-proof', pc]), 0);
          await expectCode(city.cli(['disposal', 'certificate', 'check', pc]), 0);
        } finally {
          await city.cleanup();
        }
      },
    );
  });
}
