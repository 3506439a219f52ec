// SPDX-License-Identifier: Apache-2.0
/**
 * End to end through the compiled CLI (built by `npm test` before vitest): `analytics demo` starts
 * five real party processes on loopback (3 carriers + 2 compute parties) and prints one JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI as cli, requireCompiled } from '../../../test/support/cli.js';

describe('healthcode analytics demo (five processes)', () => {
  // Six processes start and a city is generated: on a loaded shared machine that has taken over
  // 100 s, so the bound is generous (the work itself is a few CPU seconds).
  it(
    'prints exactly one JSON release with ε, ρ, k, suppressed and cells, and writes heatmap.svg',
    {
      timeout: 300_000,
    },
    () => {
      const out = mkdtempSync(join(tmpdir(), 'hc-demo-test-'));
      try {
        const r = spawnSync(
          process.execPath,
          [
            requireCompiled(cli),
            'analytics',
            'demo',
            '--query',
            'od',
            '--people',
            '300',
            '--days',
            '2',
            '--out',
            out,
          ],
          {
            encoding: 'utf8',
            timeout: 280_000,
          },
        );
        expect(r.status, r.stderr).toBe(0);
        const release = JSON.parse(r.stdout) as Record<string, unknown>;
        expect(release).toHaveProperty('epsilon');
        expect(release).toHaveProperty('rho');
        expect(release).toMatchObject({ k: 5, linkage: { pass: true }, crossHolder: 'ecdh-psi' });
        expect(typeof release.suppressed).toBe('number');
        expect(Array.isArray(release.cells)).toBe(true);
        for (const name of ['cmcc', 'cucc', 'ctcc', 'compute-1', 'compute-2']) {
          expect(r.stderr).toMatch(new RegExp(`party ${name} \\((input|compute)\\) listening`));
        }
        expect(readFileSync(join(out, 'heatmap.svg'), 'utf8')).toContain('<svg');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  );

  it('party init makes a pinned identity and refuses to overwrite its key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hc-party-init-'));
    try {
      const first = spawnSync(
        process.execPath,
        [cli, 'party', 'init', '--name', 'cmcc', '--out', dir, '--json'],
        { encoding: 'utf8' },
      );
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        name: 'cmcc',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });
      expect(existsSync(join(dir, 'cmcc.key.pem'))).toBe(true);
      const again = spawnSync(
        process.execPath,
        [cli, 'party', 'init', '--name', 'cmcc', '--out', dir],
        { encoding: 'utf8' },
      );
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/already exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
