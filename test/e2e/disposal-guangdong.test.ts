// SPDX-License-Identifier: Apache-2.0
/**
 * Scenario (b), Guangdong's partial retirement (粤康码, 2023-02-16): five services stop —
 * antigen-self-test, elderly-child-help, health-declaration, e-certificates, epidemic-workbench —
 * their data goes, and the rest stays for the services that go on (the health code and the trip
 * card under epidemic control; DOMAIN.md §2.2), on both engines.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { expectCode, json, seedCity } from './disposal-harness.js';

const FIVE = [
  'antigen-self-test',
  'elderly-child-help',
  'health-declaration',
  'e-certificates',
  'epidemic-workbench',
];

for (const dialect of DIALECTS) {
  describe(`disposal: Guangdong's five services on ${dialect}`, () => {
    it(
      'erases what only the five services used and keeps the rest',
      { timeout: 300_000 },
      async () => {
        const city = await seedCity(dialect);
        try {
          const plan = join(city.dir, 'plan.json');
          const before = new Map(
            (
              await city.sql<{ category: string; n: number | string }>(
                'select category, count(*) as n from vault_record group by category',
              )
            ).map((r) => [r.category, Number(r.n)]),
          );
          // The scenario means something only if the city holds what the five services leave behind.
          expect(before.get('medical-history') ?? 0).toBeGreaterThan(0);
          const subjects = await city.count('select count(*) as n from vault_subject');
          await expectCode(
            city.cli(['disposal', 'plan', '--retire', FIVE.join(','), '--out', plan]),
            0,
          );
          await expectCode(city.cli(['disposal', 'approve', plan, '--by', 'alice']), 0);
          await expectCode(city.cli(['disposal', 'run', plan]), 0);
          const st = json<{ state: string; planId: string }>(
            await city.cli(['disposal', 'status', plan, '--json']),
          );
          expect(st.state).toBe('done');
          const services = json<{ services: { id: string; validTo: string | null }[] }>(
            await city.cli(['service', 'list', '--json']),
          );
          for (const s of services.services) {
            expect(s.validTo !== null, s.id).toBe(FIVE.includes(s.id));
          }
          // Only medical history was used by none of the services that go on.
          const after = new Map(
            (
              await city.sql<{ category: string; n: number | string }>(
                'select category, count(*) as n from vault_record group by category',
              )
            ).map((r) => [r.category, Number(r.n)]),
          );
          expect(after.get('medical-history') ?? 0).toBe(0);
          for (const [c, n] of before) {
            if (c !== 'medical-history') {
              expect(after.get(c), c).toBe(n);
            }
          }
          expect(await city.count('select count(*) as n from vault_subject')).toBe(subjects);
          const v = json<{ ok: boolean; canaryScan: { hits: number } }>(
            await city.cli(['disposal', 'verify', plan, '--canaries', city.canaryFile, '--json']),
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
