// SPDX-License-Identifier: Apache-2.0
/**
 * @module The root command's own flags never capture a subcommand's option value. Subject ids are
 * random base64url, so one in 4096 starts with `-V`: the root once read `--guardian -Vab…` as its
 * `-V` (print the version) and stdout held `0.1.0` instead of the command's JSON document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'hc-main-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data dir that does not exist: a command that really runs says so with its error code. */
const missing = ['--data', join(root, 'none')];

describe('healthcode (root command)', () => {
  for (const id of ['-Vq3kZ0aB1cD2eF3gH4iJ5k', '-hq3kZ0aB1cD2eF3gH4iJ5k']) {
    it(`hands an option value starting with ${id.slice(0, 2)} to the subcommand`, async () => {
      for (const args of [
        ['code', 'issue', '--json', '--guardian', id, '--', 'Aq3kZ0aB1cD2eF3gH4iJ5k'],
        ['code', 'explain', '--json', '--guardian', id, '--', 'Aq3kZ0aB1cD2eF3gH4iJ5k'],
      ]) {
        const r = await runCli([...missing, ...args]);
        expect(r.stdout).toBe('');
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('[ERR_APP_DATA_DIR_MISSING]');
      }
    });
  }

  it('prints its version for -V and --version', async () => {
    for (const flag of ['-V', '--version']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('0.1.0\n');
    }
  });
});
