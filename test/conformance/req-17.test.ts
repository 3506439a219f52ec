// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 17 — verification: after deletion an automated scan for the subjects'
 * identifiers (ID number, phone, name) across every inventoried store returns zero hits. The scan
 * demonstrably fails on a residue (a plaintext copy left in the data dir), and keys and rows of
 * erased subjects are checked gone.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canaryIdNumber,
  expectCode,
  json,
  plantOutboxMessage,
  canaryPhone,
  seedCity,
} from '../e2e/disposal-harness.js';

describe('req. 17: verification by residual scan', () => {
  it(
    'passes with zero hits after disposal and fails on a planted residue',
    { timeout: 300_000 },
    async () => {
      // The default size: the template city the disposal e2e suites seed anyway, seeded once per run.
      const city = await seedCity('sqlite');
      try {
        plantOutboxMessage(city, canaryPhone(city)); // a residue the run must remove
        const plan = join(city.dir, 'plan.json');
        await expectCode(city.cli(['disposal', 'plan', '--retire', 'all', '--out', plan]), 0);
        await expectCode(city.cli(['disposal', 'approve', plan, '--by', 'alice']), 0);
        await expectCode(city.cli(['disposal', 'run', plan]), 0);
        const ok = json<{
          ok: boolean;
          keysPresent: number;
          rowsRemaining: number;
          canaryScan: { files: number; hits: number };
        }>(
          await expectCode(
            city.cli(['disposal', 'verify', plan, '--canaries', city.canaryFile, '--json']),
            0,
          ),
        );
        expect(ok).toMatchObject({
          ok: true,
          keysPresent: 0,
          rowsRemaining: 0,
          canaryScan: { hits: 0 },
        });
        expect(ok.canaryScan.files).toBeGreaterThan(3);
        // A stray plaintext export left in the data dir: verification must now fail.
        writeFileSync(
          join(city.data, 'exports-left-behind.tmp'),
          `name,id\nX,${canaryIdNumber(city)}\n`,
        );
        const bad = await expectCode(
          city.cli(['disposal', 'verify', plan, '--canaries', city.canaryFile, '--json']),
          1,
        );
        expect(
          json<{ ok: boolean; canaryScan: { hits: number } }>(bad).canaryScan.hits,
        ).toBeGreaterThan(0);
      } finally {
        await city.cleanup();
      }
    },
  );
});
