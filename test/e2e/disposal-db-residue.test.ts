// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal verify` reads the database's content (DOMAIN.md §6 req. 17): after a clean
 * run, a canary's ID number written into an ordinary table behind the product's back must turn
 * verification to exit 1 and name that table — on PostgreSQL, whose data files the file scan
 * never reads, the content scan is the only thing that can see it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { canaryIdNumber, expectCode, json, seedCity } from './disposal-harness.js';

interface Verified {
  ok: boolean;
  canaryScan: { hits: number };
  hits: { file: string; count: number }[];
  problems: string[];
}

for (const dialect of DIALECTS) {
  describe(`disposal verify scans database content on ${dialect}`, () => {
    it(
      'fails with exit 1 on a canary planted in a table after the run',
      { timeout: 300_000 },
      async () => {
        const city = await seedCity(dialect);
        try {
          const plan = join(city.dir, 'plan.json');
          const verify = ['disposal', 'verify', plan, '--canaries', city.canaryFile, '--json'];
          await expectCode(city.cli(['disposal', 'plan', '--retire', 'all', '--out', plan]), 0);
          await expectCode(city.cli(['disposal', 'approve', plan, '--by', 'alice']), 0);
          await expectCode(city.cli(['disposal', 'run', plan]), 0);
          // The run left nothing: the planted row below is the only residue.
          expect(json<Verified>(await expectCode(city.cli(verify), 0))).toMatchObject({
            ok: true,
            canaryScan: { hits: 0 },
          });

          // A table disposal neither sweeps nor counts rows in: only a content scan can see it.
          await city.exec(
            'insert into disposal_recipients (id, name, kind, contact, categories, public_key, created_at) values (?, ?, ?, ?, ?, ?, ?)',
            [
              'helpdesk-notes',
              'Help desk',
              'recipient',
              `call back ${canaryIdNumber(city)}`,
              'identity',
              null,
              Date.parse('2026-12-02T09:00:00+08:00'),
            ],
          );
          const after = await city.cli(verify);
          expect(after.code).toBe(1);
          const v = json<Verified>(after);
          expect(v.ok).toBe(false);
          expect(v.canaryScan.hits).toBeGreaterThan(0);
          expect(v.hits).toContainEqual(
            expect.objectContaining({ file: 'db:disposal_recipients' }),
          );
          expect(v.problems.join('\n')).toMatch(/residual scan found \d+ canary hits/);
          // The report names the place, never the planted personal data.
          expect(after.stdout + after.stderr).not.toContain(canaryIdNumber(city));
        } finally {
          await city.cleanup();
        }
      },
    );
  });
}
