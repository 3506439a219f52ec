// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keys commands record what they did in the audit log through the port the
 * composition root wires (the keyring sits below the log), end to end through the compiled CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/support/cli.js';
import { DIALECTS, createTestInstance } from '../../../../test/support/dialects.js';
import { createAuditLog } from '../../../foundation/audit/index.js';
import { openInstance } from '../instance.js';

describe('keys commands → audit log', () => {
  for (const dialect of DIALECTS) {
    it(`records rotate, export-shares and key-backup as key events (${dialect})`, async () => {
      const t = await createTestInstance(dialect);
      const work = mkdtempSync(join(tmpdir(), 'hc-key-events-'));
      try {
        await t.store.close();
        const env = t.dbUrl === undefined ? {} : { HEALTHCODE_DB_URL: t.dbUrl };
        const cli = (args: string[]) => runCli(['--data', t.dataDir, ...args], { env });
        for (const args of [
          ['keys', 'rotate', '--json'],
          ['keys', 'export', '--shares', '2/3', '--out', join(work, 'shares')],
          ['keys', 'backup', join(work, 'keys.backup')],
        ]) {
          const r = await cli(args);
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
        }
        const store = await openInstance({ dataDir: t.dataDir, dbUrl: t.dbUrl, create: false });
        try {
          const log = createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() });
          const size = await log.size();
          const entries = await Promise.all(Array.from({ length: size }, (_, i) => log.entry(i)));
          const keyEvents = entries.filter((e) => e.kind === 'key');
          expect(keyEvents.map((e) => [e.actor, e.action])).toEqual([
            ['operator:cli', 'rotate'],
            ['operator:cli', 'export-shares'],
            ['operator:cli', 'key-backup'],
          ]);
          // Each command signed a checkpoint over what it appended.
          expect((await log.latestCheckpoint())?.size).toBe(size);
        } finally {
          await store.close();
        }
      } finally {
        await t.cleanup();
        rmSync(work, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
