// SPDX-License-Identifier: Apache-2.0
/** `healthcode seed` end to end on the compiled CLI (`npm test` builds first). */
import { afterAll, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../test/support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'hc-sim-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NOW = '2026-03-10T18:00:00+08:00';
const env = { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' };

function seed(dir: string, extra: string[]) {
  return runCli(
    [
      '--data',
      dir,
      '--now',
      NOW,
      'seed',
      '--people',
      '150',
      '--days',
      '2',
      '--seed',
      '9',
      ...extra,
    ],
    { env },
  );
}

describe('healthcode seed', () => {
  it('seeds a synthetic instance through the vault and writes cells, risk areas, canaries, feeds', async () => {
    const dir = join(root, 'a', 'data');
    const canaries = join(root, 'a-canaries.txt');
    const feeds = join(root, 'a-feeds');
    const r = await seed(dir, ['--canaries', canaries, '--carrier-feeds', feeds, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ people: 150, days: 2, seed: 9, canaries: 5 });
    // Citizens plus one subscriber subject per SIM.
    expect(summary.subjects as number).toBeGreaterThanOrEqual(300);
    expect(summary.records as number).toBeGreaterThan(0);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      synthetic: boolean;
      responsibleParty: { contact: string };
    };
    expect(config.synthetic).toBe(true);
    expect(config.responsibleParty.contact).toBe('demo@healthcode.invalid');
    // The canary list: nothing but values, one per line, none of them in plaintext in DIR.
    const values = readFileSync(canaries, 'utf8').trimEnd().split('\n');
    expect(values.length).toBeGreaterThanOrEqual(15);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.db') || f.endsWith('.json'))) {
      const bytes = readFileSync(join(dir, file));
      for (const v of values) {
        expect(bytes.includes(Buffer.from(v, 'utf8'))).toBe(false);
      }
    }
    // cells.csv maps every cell the carriers saw.
    const cells = new Set(
      readFileSync(join(dir, 'cells.csv'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    let events = 0;
    for (const c of ['cmcc', 'cucc', 'ctcc']) {
      for (const line of readFileSync(join(feeds, `${c}-events.ndjson`), 'utf8')
        .trimEnd()
        .split('\n')) {
        events++;
        expect(cells.has((JSON.parse(line) as { cell: string }).cell)).toBe(true);
      }
    }
    expect(events).toBe(summary.events);
    expect(JSON.parse(readFileSync(join(dir, 'risk-areas.json'), 'utf8'))).toHaveLength(3);
  });

  it('gives byte-identical canary lists and carrier feeds for the same seed', async () => {
    // Two runs side by side, so both use the same build of the CLI.
    const runs = await Promise.all(
      ['b', 'c'].map((x) =>
        seed(join(root, x, 'data'), [
          '--canaries',
          join(root, `${x}-canaries.txt`),
          '--carrier-feeds',
          join(root, `${x}-feeds`),
        ]),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const files = [
      'b-canaries.txt',
      ...readdirSync(join(root, 'b-feeds')).map((f) => `b-feeds/${f}`),
    ];
    expect(files).toHaveLength(7);
    for (const f of files) {
      const same = readFileSync(join(root, f)).equals(
        readFileSync(join(root, f.replace(/^b-/, 'c-'))),
      );
      expect(same ? f : `${f} differs`).toBe(f);
    }
  });

  it('refuses canary lists and feeds inside the data dir (exit 2) and creates nothing', async () => {
    const dir = join(root, 'r', 'data');
    for (const extra of [
      ['--canaries', join(dir, 'canaries.txt')],
      ['--carrier-feeds', join(dir, 'feeds')],
    ]) {
      const r = await seed(dir, extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ERR_SIM_OUTPUT_INSIDE_DATA_DIR');
    }
    expect(existsSync(join(root, 'r'))).toBe(false);
  });

  it('refuses to seed into an instance that is not marked synthetic', async () => {
    const dir = join(root, 'e', 'data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{ "version": 1 }\n');
    const r = await seed(dir, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_SIM_NOT_SYNTHETIC');
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('refuses bad flags with exit 2', async () => {
    const dir = join(root, 'd', 'data');
    expect((await seed(dir, ['--prefecture', '441900'])).code).toBe(2);
    const r = await runCli(['--data', dir, 'seed', '--people', '0'], { env });
    expect(r.code).toBe(2);
    expect(existsSync(join(root, 'd'))).toBe(false);
  });
});
