// SPDX-License-Identifier: Apache-2.0
/**
 * The bounded crash loop of the normal suite (issue 3): a worker killed with SIGKILL at random
 * points of batch ingest and batch erasure loses no acknowledged write and leaves no half-erased
 * subject, on both engines. Spawns the compiled worker (`npm test` builds first). The long loop
 * runs with `npm run bench -- vault --crash`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPgDatabase } from '../../test/support/dialects.js';
import { runCrashLoop } from '../../test/slow/crash-loop.js';

const worker = resolve('dist/src/vault/crash-worker.js');

describe('crash safety (kill -9 during batch ingest and erase)', () => {
  it.runIf(existsSync(worker))(
    'SQLite: no acknowledged write lost, no half-erased subject',
    async () => {
      const r = await runCrashLoop({ iterations: 3, people: 16, batch: 4, worker });
      expect(r.violations).toEqual([]);
      expect(r.kills).toBeGreaterThan(0);
    },
    90_000,
  );

  it.runIf(existsSync(worker))(
    'PostgreSQL: no acknowledged write lost, no half-erased subject',
    async () => {
      const r = await runCrashLoop({
        iterations: 1,
        people: 16,
        batch: 4,
        worker,
        pgUrl: createPgDatabase,
      });
      expect(r.violations).toEqual([]);
    },
    90_000,
  );
});
