// SPDX-License-Identifier: Apache-2.0
/**
 * The compiled CLI, on both engines: a citizen proves their phone with a one-time code from the
 * outbox and gets an access export (JSON + CSV) and a portability package, which a second
 * instance imports with the first one's trust file; an altered package and a replay are refused
 * (exit 2, typed error) and change nothing; `request list --overdue` exits 0 on an empty list.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../../src/foundation/sim/index.js';
import { DIALECTS, createPgDatabase } from '../support/dialects.js';
import { runCli } from '../support/cli.js';
import { dayAt } from '../support/clock.js';
import { lastCode } from './rights-fixture.js';

/** Every command runs at 21:00 on the harness clock's day, seeding included. */
const NOW = dayAt(0, '21:00');

for (const dialect of DIALECTS) {
  describe(`healthcode request / import on ${dialect}`, () => {
    const dir = mkdtempSync(join(tmpdir(), `hc-rights-cli-${dialect}-`));
    const dbs: Array<{ url: string; drop(): Promise<void> }> = [];
    let cliA: (args: string[], stdin?: string) => ReturnType<typeof runCli>;
    let cliB: (args: string[], stdin?: string) => ReturnType<typeof runCli>;
    const phone = [...generatePopulation({ people: 12, days: 1, seed: 5, end: new Date(NOW) })]
      .flat()
      .find((r) => r.type === 'resident')!;

    beforeAll(async () => {
      const make = async (name: string) => {
        const pg = dialect === 'postgres' ? await createPgDatabase() : undefined;
        if (pg !== undefined) {
          dbs.push(pg);
        }
        return (args: string[], stdin?: string) =>
          runCli(['--data', join(dir, name), ...args], {
            env: { HEALTHCODE_DB_URL: pg?.url },
            now: NOW,
            ...(stdin === undefined ? {} : { stdin }),
          });
      };
      cliA = await make('a');
      cliB = await make('b');
      expect((await cliA(['seed', '--people', '12', '--days', '1', '--seed', '5'])).code).toBe(0);
      expect((await cliB(['seed', '--people', '1', '--days', '1', '--seed', '77'])).code).toBe(0);
    }, 240_000);
    afterAll(async () => {
      for (const d of dbs) {
        await d.drop();
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('access by one-time code, portability to another instance, forged and replayed packages refused', async () => {
      if (phone.type !== 'resident') {
        throw new Error('unreachable');
      }
      const tel = phone.resident.phone;
      const sent = await cliA(
        ['request', 'open', '--type', 'access', '--phone-stdin', '--json'],
        tel,
      );
      expect(sent.code, sent.stderr).toBe(0);
      expect(JSON.parse(sent.stdout)).toEqual({ codeSent: true });
      const code = lastCode(join(dir, 'a', 'outbox'), 'rights-access');
      const out = join(dir, 'export.json');
      const wrong = await cliA(
        [
          'request',
          'open',
          '--type',
          'access',
          '--phone-stdin',
          '--otp',
          code === '000000' ? '111111' : '000000',
          '--out',
          out,
        ],
        tel,
      );
      expect(wrong.code).toBe(2);
      const done = await cliA(
        [
          'request',
          'open',
          '--type',
          'access',
          '--phone-stdin',
          '--otp',
          code,
          '--out',
          out,
          '--json',
        ],
        tel,
      );
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout).request.state).toBe('completed');
      const doc = JSON.parse(readFileSync(out, 'utf8'));
      expect(doc.subjects[0].groups.itinerary.bundles.length).toBeGreaterThan(0);
      expect(readFileSync(join(dir, 'export.csv'), 'utf8')).toContain('location-events');
      // The same code again: replayed.
      const replay = await cliA(
        ['request', 'open', '--type', 'access', '--phone-stdin', '--otp', code, '--out', out],
        tel,
      );
      expect(replay.code).toBe(2);
      expect(replay.stderr).toContain('ERR_OUTBOX_CODE_USED');
      expect(replay.stderr).not.toContain(tel);

      // Portability.
      await cliA(['request', 'open', '--type', 'portability', '--phone-stdin'], tel);
      const pcode = lastCode(join(dir, 'a', 'outbox'), 'rights-portability');
      const pkg = join(dir, 'package.jws');
      const p = await cliA(
        ['request', 'open', '--type', 'portability', '--phone-stdin', '--otp', pcode, '--out', pkg],
        tel,
      );
      expect(p.code, p.stderr).toBe(0);
      const trust = join(dir, 'trust.json');
      expect((await cliA(['request', 'package-key', '--out', trust])).code).toBe(0);
      const text = readFileSync(pkg, 'utf8');
      const [h, body, s] = text.trim().split('.') as [string, string, string];
      const altered = join(dir, 'altered.jws');
      writeFileSync(
        altered,
        `${h}.${body.slice(0, 30)}${body[30] === 'x' ? 'y' : 'x'}${body.slice(31)}.${s}`,
      );
      const bad = await cliB(['import', altered, '--trust', trust]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('ERR_RIGHTS_PACKAGE_INVALID');
      const good = await cliB(['import', pkg, '--trust', trust, '--json']);
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout).import.subjects).toBe(1);
      const again = await cliB(['import', pkg, '--trust', trust]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('ERR_RIGHTS_PACKAGE_REPLAYED');

      const overdue = await cliA(['request', 'list', '--overdue', '--json']);
      expect(overdue.code).toBe(0);
      expect(JSON.parse(overdue.stdout).requests).toEqual([]);
    }, 240_000);
  });
}
