// SPDX-License-Identifier: Apache-2.0
/**
 * A reader that stops reading (`healthcode disposal inventory --json | head -c 300`, issue 15)
 * ends the command quietly: exit 0, nothing on stderr — no unhandled EPIPE stack trace. The
 * inventory of a seeded city is larger than a pipe holds, so the command is still writing when
 * its reader goes away. SQLite only: what happens to stdout does not depend on the engine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { CLOCK_OVERRIDE_ENV } from '../support/clock.js';
import { seedCity } from './disposal-harness.js';

const env = { ...process.env, HEALTHCODE_LOG_LEVEL: 'warn', ...CLOCK_OVERRIDE_ENV };

/** Runs the CLI with a stdout whose reader has already closed it. */
function withClosedStdout(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the command writes anything: its first write meets a pipe with no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('disposal inventory into a closed pipe', () => {
  it(
    'ends quietly with exit 0 under | head -c 300 and a closed stdout',
    { timeout: 300_000 },
    async () => {
      const city = await seedCity('sqlite');
      try {
        const args = ['--data', city.data, '--now', city.step(), 'disposal', 'inventory', '--json'];
        // The document is larger than a pipe buffer and head's read together (64 KiB + 8 KiB).
        const full = spawnSync(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 26 });
        expect(full.status).toBe(0);
        expect(full.stdout.length).toBeGreaterThan(72 * 1024);

        const quoted = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
        const head = spawnSync(
          'bash',
          ['-c', `${quoted} | head -c 300; exit "\${PIPESTATUS[0]}"`],
          { env },
        );
        // 300 bytes: head counts bytes, and a cut may fall inside a multi-byte character.
        expect(head.stdout.length).toBe(300);
        expect(head.stderr.toString('utf8')).toBe('');
        expect(head.status).toBe(0);

        const closed = await withClosedStdout(args);
        expect(closed.stderr).toBe('');
        expect(closed.code).toBe(0);
      } finally {
        await city.cleanup();
      }
    },
  );
});
