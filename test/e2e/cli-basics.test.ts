// SPDX-License-Identifier: Apache-2.0
/** The CLI's shared behaviour: help, exit codes, one-line errors, the gated clock override. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('healthcode CLI basics', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: healthcode');
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['no-such-command'])).code).toBe(2);
    expect((await runCli(['jobs', 'list', '--bogus'])).code).toBe(2);
  });

  it('refuses --now unless HEALTHCODE_ALLOW_CLOCK_OVERRIDE=1, with one line on stderr', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hc-cli-')), 'data');
    const r = await runCli(['--data', dir, '--now', '2026-12-01T00:00:00+08:00', 'jobs', 'run'], {
      env: { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('HEALTHCODE_ALLOW_CLOCK_OVERRIDE');
  });

  it('rejects a malformed --now even when allowed', async () => {
    const r = await runCli(['--now', 'yesterday', 'jobs', 'run'], {
      env: { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RFC 3339');
  });

  it('does not create a data dir for a command that needs an existing one', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hc-cli-')), 'data');
    const r = await runCli(['--data', dir, 'jobs', 'run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_APP_DATA_DIR_MISSING');
  });

  it('lists jobs as one JSON document', async () => {
    const r = await runCli(['jobs', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('jobs');
  });
});
