// SPDX-License-Identifier: Apache-2.0
/**
 * End to end through the compiled CLI (`npm run build` first; `npm test` does): `dcc verify`
 * exit codes and JSON, `code verify` without a data dir, and the issuer commands on both engines —
 * a token issued by one instance verifies in another process holding only the trust list.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, requireCompiled } from '../../../test/support/cli.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { dayAt } from '../../../test/support/clock.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { assessColourRules } from '../../../test/support/assessments.js';
import { vendoredPath } from '../../../test/vectors/vendored.js';

function run(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [requireCompiled(CLI), ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('healthcode dcc verify', () => {
  it('prints the seven stages and exits 0 / 1 / 2', () => {
    const dcc = vendoredPath('dcc', 'DE', '2DCode', 'raw', '1.json');
    const c = JSON.parse(readFileSync(dcc, 'utf8')) as {
      PREFIX: string;
      TESTCTX: { CERTIFICATE: string };
    };
    const ok = run([
      'dcc',
      'verify',
      c.PREFIX,
      '--cert',
      c.TESTCTX.CERTIFICATE,
      '--at',
      '2021-06-01T18:00:00.123456789',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.out) as {
      valid: boolean;
      reason: string;
      stages: Record<string, boolean>;
      payload: { iss: string };
    };
    expect(Object.keys(doc)).toEqual(['valid', 'reason', 'stages', 'payload']);
    expect(doc).toMatchObject({ valid: true, reason: 'ok', payload: { iss: 'DE' } });
    expect(Object.keys(doc.stages)).toEqual([
      'prefix',
      'base45',
      'zlib',
      'cose',
      'signature',
      'expiry',
      'keyUsage',
    ]);

    const late = run(
      ['dcc', 'verify', '-', '--cert', c.TESTCTX.CERTIFICATE, '--at', '2030-01-01', '--json'],
      `${c.PREFIX}\n`,
    );
    expect(late.code).toBe(1);
    expect(JSON.parse(late.out)).toMatchObject({
      valid: false,
      reason: 'expired',
      stages: { expiry: false, signature: true },
    });

    const broken = run(['dcc', 'verify', 'HC1:garbage', '--cert', c.TESTCTX.CERTIFICATE, '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toMatchObject({
      valid: false,
      stages: { prefix: true, base45: false, zlib: null },
    });

    expect(run(['dcc', 'verify', c.PREFIX, '--cert', 'not-a-cert']).code).toBe(2);
    expect(
      run(['dcc', 'verify', c.PREFIX, '--cert', c.TESTCTX.CERTIFICATE, '--at', 'tomorrow']).code,
    ).toBe(2);
  });
});

describe('healthcode code …', () => {
  it('verifies without opening or creating a data dir', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hc-codes-')), 'absent');
    const r = run(['--data', dir, 'code', 'verify', 'HCN1:NOT-A-TOKEN', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({ ok: false, reason: 'malformed' });
    expect(existsSync(dir)).toBe(false);
    expect(run(['--data', dir, 'code', 'verify']).code).toBe(2);
  });

  for (const dialect of DIALECTS) {
    it(`issues, publishes, verifies elsewhere, rotates and revokes (${dialect})`, async () => {
      // The instance is created an hour before every process runs at one pinned instant, noon on
      // the harness clock's day: a token is valid until 24:00 of its day, so on the wall clock a
      // run crossing midnight would see it expire.
      const t = await createTestInstance(dialect, { clock: new FixedClock(dayAt(0, '11:00')) });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      await t.store.close();
      const now = dayAt(0, '12:00');
      const pinned = { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' };
      const env: Record<string, string> = {
        ...pinned,
        ...(t.dbUrl ? { HEALTHCODE_DB_URL: t.dbUrl } : {}),
      };
      const data = ['--data', t.dataDir, '--now', now];
      const elsewhere = (dir: string) => ['--data', dir, '--now', now];
      const work = mkdtempSync(join(tmpdir(), 'hc-codes-'));
      try {
        const input = JSON.stringify({
          name: '李四',
          inputs: { declarations: [{ at: now, temperatureC: 36.5 }] },
        });
        const issued = run(
          [...data, 'code', 'issue', '--stdin', '--json', '--png', join(work, 'qr.png')],
          input,
          env,
        );
        expect(issued.err).toBe('');
        expect(issued.code).toBe(0);
        const token = JSON.parse(issued.out) as {
          token: string;
          tokenHash: string;
          colour: string;
          qr: { version: number };
        };
        expect(token).toMatchObject({ colour: 'green' });
        expect(token.qr.version).toBeLessThanOrEqual(12);
        expect(issued.out).not.toContain('李四');

        const trust = join(work, 'trust.json');
        expect(run([...data, 'code', 'trust-list', '--out', trust], '', env).code).toBe(0);
        // Another "instance": only the trust list, no data dir, no database.
        const v = run(
          [...elsewhere(join(work, 'none')), 'code', 'verify', '-', '--trust', trust, '--json'],
          token.token,
          pinned,
        );
        expect(v.code).toBe(0);
        expect(JSON.parse(v.out)).toMatchObject({ ok: true, colour: 'green', maskedName: '李*' });
        const png = ['code', 'verify', '--png', join(work, 'qr.png'), '--trust', trust];
        expect(run([...elsewhere(join(work, 'none')), ...png], '', pinned).code).toBe(0);

        if (dialect === 'sqlite') {
          expect(run([...data, 'code', 'rotate-key', '--json'], '', env).code).toBe(0);
          expect(run([...data, 'code', 'issue', 'subject-1'], '', env).code).toBe(2);
        }
        expect(run([...data, 'code', 'revoke', token.tokenHash], '', env).code).toBe(0);
        expect(run([...data, 'code', 'trust-list', '--out', trust], '', env).code).toBe(0);
        const revoked = run(
          [
            ...elsewhere(join(work, 'none')),
            'code',
            'verify',
            token.token,
            '--trust',
            trust,
            '--json',
          ],
          '',
          pinned,
        );
        expect(revoked.code).toBe(1);
        expect(JSON.parse(revoked.out)).toMatchObject({ ok: false, reason: 'revoked' });
      } finally {
        await t.cleanup();
      }
      // Seven process starts that each open the instance: generous on a loaded machine.
    }, 240_000);
  }
});
