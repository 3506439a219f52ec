// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const NAME = '司马光明亮';
const PHONE = '+8613800138000';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'hc-scan-cli-'));
  const canaries = join(root, 'canaries.txt');
  writeFileSync(canaries, `${NAME}\n${PHONE}\n`);
  const data = join(root, 'data');
  mkdirSync(join(data, 'outbox'), { recursive: true });
  return { root, canaries, data };
}

describe('healthcode scan (compiled CLI)', () => {
  it('exits 0 on a clean data dir (the default path) and 1 with hits, never printing values', async () => {
    const { root, canaries, data } = setup();
    writeFileSync(join(data, 'healthcode.db'), Buffer.alloc(4096));
    const clean = await runCli(['--data', data, 'scan', '--canaries', canaries, '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ clean: true, files: 1, hits: [] });

    writeFileSync(
      join(data, 'outbox', 'm.json'),
      JSON.stringify({ to: PHONE, name: Buffer.from(NAME).toString('base64') }),
    );
    const dirty = await runCli(['--data', data, 'scan', '--canaries', canaries, '--json']);
    expect(dirty.code).toBe(1);
    const out = JSON.parse(dirty.stdout) as { hits: Array<Record<string, unknown>> };
    expect(out.hits).toEqual([
      { file: join(data, 'outbox', 'm.json'), encoding: 'utf-8', offset: 7, canaryLine: 2 },
      expect.objectContaining({ encoding: 'base64', alignment: 0, canaryLine: 1 }),
    ]);
    expect(dirty.stdout + dirty.stderr).not.toContain(PHONE);
    expect(dirty.stdout + dirty.stderr).not.toContain(NAME);
    const text = await runCli(['scan', '--canaries', canaries, data], { cwd: root });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('canary line 2');
  });

  it('exits 2 on usage errors and never creates the data dir', async () => {
    const { root, canaries } = setup();
    const missing = join(root, 'nothing-here');
    const r = await runCli(['--data', missing, 'scan', '--canaries', canaries]);
    expect(r.code).toBe(2);
    expect(existsSync(missing)).toBe(false);
    expect((await runCli(['scan', '--canaries', join(root, 'none.txt'), root])).code).toBe(2);
    expect((await runCli(['scan', root])).code).toBe(2);
    writeFileSync(join(root, 'short.txt'), 'abc\n');
    const short = await runCli(['scan', '--canaries', join(root, 'short.txt'), root]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('ERR_SCAN_CANARIES');
  });
});
