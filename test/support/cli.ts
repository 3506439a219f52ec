// SPDX-License-Identifier: Apache-2.0
/**
 * @module Runs the compiled CLI (`npm test` builds before vitest) as a child process, the way a
 * user or cron would, with stdin for personal data. Scenario steps pass `now` from the harness
 * clock (test/support/clock.ts); the CLI honours it because this harness allows the override.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLOCK_OVERRIDE_ENV } from './clock.js';

export const CLI = resolve(
  import.meta.dirname,
  '..',
  '..',
  'dist',
  'src',
  'edges',
  'cli',
  'main.js',
);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly stdin?: string;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** RFC 3339 instant the command runs at (`--now`), from the harness clock. */
  readonly now?: string;
}

/**
 * `path` (default: the compiled CLI) when the build made it; otherwise throws, so a test that
 * needs dist/ fails saying so instead of skipping or failing on a confusing exit code.
 */
export function requireCompiled(path: string = CLI): string {
  if (!existsSync(path)) {
    throw new Error(`compiled file missing at ${path}: run "npm run build" (npm test does)`);
  }
  return path;
}

/** Runs `healthcode [--now now] …args`; never throws on a non-zero exit. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  requireCompiled();
  return new Promise((resolvePromise, reject) => {
    const clock = options.now === undefined ? [] : ['--now', options.now];
    const child = spawn(process.execPath, [CLI, ...clock, ...args], {
      cwd: options.cwd ?? join(import.meta.dirname, '..', '..'),
      env: {
        ...process.env,
        HEALTHCODE_LOG_LEVEL: 'warn',
        ...CLOCK_OVERRIDE_ENV,
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
