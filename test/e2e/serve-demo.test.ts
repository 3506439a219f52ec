// SPDX-License-Identifier: Apache-2.0
/** `healthcode serve --demo` on a fresh data dir: seeds a synthetic city, listens, prints its URL. */
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

describe('serve --demo', () => {
  it('seeds on first run, prints http://localhost:PORT/ and answers /healthz and /', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hc-demo-'));
    const dataDir = join(root, 'data');
    const child = spawn(process.execPath, [CLI, '--data', dataDir, 'serve', '--demo'], {
      env: { ...process.env, PORT: '0', HEALTHCODE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed; stdout: ${out}`)), 90_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          const m = /http:\/\/localhost:(\d+)\//.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${String(code)}`)));
      });
      expect(await (await fetch(new URL('/healthz', url))).text()).toBe('ok');
      const home = await (await fetch(url)).text();
      expect(home).toContain('synthetic demo only');
      expect(existsSync(join(dataDir, 'healthcode.db'))).toBe(true);
      expect(existsSync(join(dataDir, 'cells.csv'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      rmSync(root, { recursive: true, force: true });
    }
  });
});
