// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test aid for the crash-safety loops (issue 3, "Bad input and faults"): a child process
 * that ingests a synthetic population or erases subjects in batches and prints one `ack` line on
 * stdout — written synchronously — after each batch has committed (and `ready` before the first),
 * so the parent that kills it with SIGKILL knows exactly which writes were acknowledged. Not part
 * of the public door.
 *
 *   node dist/test/workers/vault-crash-worker.js ingest DATA_DIR PEOPLE BATCH SEED
 *   node dist/test/workers/vault-crash-worker.js erase DATA_DIR SUBJECT_FILE BATCH
 *
 * Environment: HEALTHCODE_MASTER_KEY, optionally HEALTHCODE_DB_URL (PostgreSQL).
 */
import { readFileSync, writeSync } from 'node:fs';
import { openInstance } from '../../src/edges/app/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { generatePopulation } from '../../src/foundation/sim/index.js';
import { createVaultSink } from '../../src/personal/vault/sink.js';
import { VaultCore } from '../../src/personal/vault/core.js';
import { Vault } from '../../src/personal/vault/service.js';
import type { AuditPort } from '../../src/platform/runtime/audit-port.js';

/** The crash loops' fixed instant (the population window ends here). */
export const CRASH_NOW = new Date('2026-11-28T20:00:00+08:00');

const noAudit: AuditPort = { append: () => Promise.resolve() };

async function main(argv: readonly string[]): Promise<void> {
  const [mode, dataDir] = argv;
  const store = await openInstance({
    dataDir: dataDir,
    dbUrl: process.env.HEALTHCODE_DB_URL || undefined,
    create: true,
    clock: new FixedClock(CRASH_NOW),
  });
  try {
    writeSync(1, 'ready\n');
    if (mode === 'ingest') {
      const [people, batch, seed] = argv.slice(2).map(Number);
      const sink = createVaultSink(store, { actor: 'system:seed', audit: noAudit });
      let seen = 0;
      for (const b of generatePopulation({
        people: people,
        days: 2,
        seed: seed,
        end: CRASH_NOW,
        batchSize: batch,
      })) {
        await sink.write(b);
        seen += b.filter((r) => r.type === 'resident').length;
        writeSync(1, `ack ${seen}\n`);
      }
    } else if (mode === 'erase') {
      const ids = readFileSync(argv[2], 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const batch = Number(argv[3]);
      const vault = new Vault(new VaultCore(store, { audit: noAudit }));
      for (let i = 0; i < ids.length; i += batch) {
        await vault.eraseMany(
          ids.slice(i, i + batch).map((subjectId) => ({ subjectId })),
          { actor: 'job:crash-test', batchSize: batch, scrub: false },
        );
        writeSync(1, `ack ${Math.min(i + batch, ids.length)}\n`);
      }
    } else {
      throw new RangeError('mode must be ingest or erase');
    }
  } finally {
    await store.close();
  }
}

await main(process.argv.slice(2));
