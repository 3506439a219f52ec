// SPDX-License-Identifier: Apache-2.0
/**
 * The vault and keys commands end to end, through the compiled CLI (`npm test` builds first):
 * seed with canaries, backup, lookup by stdin, erase a canary's health group, restore the old
 * backup, key rotation, Shamir export and import, a missing master key (unit tests cover the rest).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

describe('healthcode keys / vault / backup (SQLite, compiled CLI)', () => {
  it('runs the lifecycle: seed, backup, find, erase, restore, rotate, export, import', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-vault-cli-'));
    const data = join(root, 'data');
    const env = { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1', HEALTHCODE_MASTER_KEY: undefined };
    const cli = (args: string[], stdin?: string) =>
      runCli(['--data', data, '--now', '2026-11-28T20:00:00+08:00', ...args], {
        env,
        ...(stdin === undefined ? {} : { stdin }),
      });
    const seed = await cli([
      'seed',
      '--people',
      '12',
      '--days',
      '2',
      '--seed',
      '4',
      '--canaries',
      join(root, 'canaries.txt'),
    ]);
    expect(seed.code, seed.stderr).toBe(0);
    expect(
      seed.stderr.split('\n').filter((l) => l.includes('warning: created a new master key')),
    ).toHaveLength(1);

    const status = await cli(['keys', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({
      provider: 'local',
      activeKek: 1,
      rotationInProgress: false,
    });

    const backup = join(root, 'before.bak');
    expect((await cli(['backup', 'create', backup])).code).toBe(0);

    // A canary's ID number goes in on stdin, never on the command line.
    const canaryId = readFileSync(join(root, 'canaries.txt'), 'utf8')
      .split('\n')
      .find((l) => /^\d{17}[\dX]$/.test(l))!;
    const found = await cli(['vault', 'find', '--id-stdin', '--json'], canaryId);
    const { subjectId } = JSON.parse(found.stdout) as { subjectId: string };
    expect(subjectId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const erased = await cli(['vault', 'erase', subjectId, '--groups', 'health', '--json']);
    expect(JSON.parse(erased.stdout)).toMatchObject({ erased: 1, unknown: 0 });
    const restored = await cli(['backup', 'restore', backup, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ tombstones: 1 });
    expect((await cli(['vault', 'find', '--id-stdin'], canaryId)).stdout.trim()).toBe(subjectId);

    const rotated = await cli(['keys', 'rotate', '--json']);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ from: [1], to: 2, complete: true });

    const shares = join(root, 'custody');
    expect((await cli(['keys', 'export', '--shares', '2/3', '--out', shares])).code).toBe(0);
    expect((await cli(['keys', 'export', '--shares', '2/3', '--out', join(data, 'x')])).code).toBe(
      2,
    );
    const keyFile = readFileSync(join(data, 'master.key'), 'utf8');
    rmSync(join(data, 'master.key'));
    const missing = await cli(['keys', 'status']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('ERR_KEYS_MASTER_MISSING');
    const imported = await cli([
      'keys',
      'import',
      join(shares, 'share-1-of-3.json'),
      join(shares, 'share-3-of-3.json'),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(readFileSync(join(data, 'master.key'), 'utf8')).toBe(keyFile);
    expect((await cli(['keys', 'status'])).code).toBe(0);
  }, 300_000); // thirteen CLI processes in turn: seconds each on two shared cores, more under load
});
