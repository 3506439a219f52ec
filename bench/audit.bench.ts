// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of the audit log (issue 4), on SQLite, in one run:
 * - appending leaves (CBOR, SHA-256, subtree hashes, head update, in the caller's transaction)
 *   against a bare INSERT of rows of the same size in the same batches (target ≥ 50 %); sealing
 *   access details (AES-256-GCM under the month key) is measured separately;
 * - an inclusion proof in a 10,000,000-leaf log (at the default scale: 100 × scale leaves)
 *   against one in a 10,000-leaf log (target ≤ 3×). Both logs are bulk-loaded straight into the
 *   tables (leaves and their stored subtree hashes, computed as an append computes them), so the
 *   big one takes about a minute to build rather than hours of appends.
 */
import { join } from 'node:path';
import type { BenchContext, BenchResult } from './harness.js';
import { atLeast, atMost, measure, round } from './harness.js';
import { type Store } from '../src/platform/runtime/index.js';
import { openInstance } from '../src/edges/app/index.js';
import { createAuditLog, type AuditLog } from '../src/foundation/audit/index.js';
import { CompactRange, leafHash } from '../src/foundation/audit/merkle.js';
import type { AuditEvent } from '../src/platform/runtime/audit-port.js';
import { sql } from 'kysely';

const BATCH = 100;

function event(i: number, kind: 'write' | 'access'): AuditEvent {
  return {
    kind,
    actor: 'operator:desk-17',
    purpose: 'epidemic-control',
    subjectAuditId: `s${(i * 2654435761) % 4294967296}`.padEnd(22, 'x'),
    category: 'health',
    action: kind === 'access' ? 'get' : 'put',
    outcome: 'ok',
    at: new Date(Date.UTC(2026, 11, 1) + i * 1000),
    details: { record: `r-${i}`, rows: 1 },
  };
}

async function open(ctx: BenchContext, name: string): Promise<{ store: Store; log: AuditLog }> {
  const store = await openInstance({ dataDir: join(ctx.tmpDir, name), create: true });
  const log = createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() });
  await log.init();
  return { store, log };
}

/** Bulk-loads `n` small leaves with their subtree hashes, the head and a signed checkpoint. */
async function bulkLoad(ctx: BenchContext, store: Store, log: AuditLog, n: number): Promise<void> {
  const db = store.db.sqlite!;
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO audit_leaves (leaf_index, leaf, hashes, subject) VALUES (?, ?, ?, NULL)',
  );
  const range = new CompactRange();
  const chunk = 250_000;
  const started = Date.now();
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const leaf = Buffer.from(`bench leaf ${i}`);
        insert.run(i, leaf, Buffer.concat(range.push(leafHash(leaf))));
      }
    })();
    if (to % 2_000_000 === 0 || to === n) {
      ctx.log(
        `  loaded ${to.toLocaleString('en')} / ${n.toLocaleString('en')} leaves (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
  }
  db.prepare('UPDATE audit_head SET size = ?, frontier = ? WHERE id = 1').run(
    range.size,
    range.serialize(),
  );
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const { checkpoint } = await log.checkpoint();
  if (checkpoint.size !== n) {
    throw new Error('bulk load: checkpoint size mismatch');
  }
}

async function proofMs(log: AuditLog, n: number): Promise<number> {
  let x = 12345;
  const m = await measure(
    async () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      await log.prove(x % n);
    },
    { minMs: 3000 },
  );
  return 1000 / m.opsPerSec;
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  // 1. Appends against a bare insert of rows of the same size, batches of 100 per transaction.
  const { store, log } = await open(ctx, 'append');
  const kysely = store.db.kysely;
  await sql`CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, payload BLOB NOT NULL, subject TEXT)`.execute(
    kysely,
  );
  const sample = (await import('../src/foundation/audit/leaf.js')).encodeLeaf(event(1, 'write'));
  let next = 0;
  let bareId = 0;
  const bareBatch = async () => {
    await kysely.transaction().execute(async (trx) => {
      const rows = Array.from({ length: BATCH }, (_, i) => ({
        id: bareId++,
        payload: Buffer.alloc(sample.length + 64, i),
        subject: `s${bareId}`.padEnd(22, 'x'),
      }));
      await sql`INSERT INTO bench_bare (id, payload, subject) VALUES ${sql.join(rows.map((r) => sql`(${r.id}, ${r.payload}, ${r.subject})`))}`.execute(
        trx,
      );
    });
    return BATCH;
  };
  const appendBatch = (kind: 'write' | 'access') => async () => {
    await kysely.transaction().execute((trx) =>
      log.append(
        trx,
        Array.from({ length: BATCH }, () => event(next++, kind)),
      ),
    );
    return BATCH;
  };
  // The machine is shared: rounds alternate, so a burst of load hits both sides alike.
  const rates = { bare: 0, append: 0, sealed: 0 };
  const ROUNDS = 4;
  for (let r = 0; r < ROUNDS; r++) {
    rates.bare += (await measure(bareBatch, { minMs: 1000 })).opsPerSec / ROUNDS;
    rates.append += (await measure(appendBatch('write'), { minMs: 1000 })).opsPerSec / ROUNDS;
    rates.sealed += (await measure(appendBatch('access'), { minMs: 1000 })).opsPerSec / ROUNDS;
  }
  const bare = { opsPerSec: rates.bare };
  const append = { opsPerSec: rates.append };
  const sealed = { opsPerSec: rates.sealed };
  const single = await measure(
    async () => {
      await kysely.transaction().execute((trx) => log.append(trx, [event(next++, 'write')]));
    },
    { minMs: 2000 },
  );
  ctx.log(
    `append ${Math.round(append.opsPerSec)}/s, bare ${Math.round(bare.opsPerSec)}/s, sealed ${Math.round(sealed.opsPerSec)}/s`,
  );
  const report = await log.verify();
  if (!report.ok || report.size !== next) {
    throw new Error('the appended log does not verify');
  }
  await store.close();

  // 2. Proofs in a small and a big log, built the same way.
  const smallSize = 10_000;
  const bigSize = Math.max(100_000, ctx.scale * 100);
  const small = await open(ctx, 'small');
  await bulkLoad(ctx, small.store, small.log, smallSize);
  const smallMs = await proofMs(small.log, smallSize);
  await small.store.close();
  ctx.log(`building a ${bigSize.toLocaleString('en')}-leaf log…`);
  const big = await open(ctx, 'big');
  const built = Date.now();
  await bulkLoad(ctx, big.store, big.log, bigSize);
  const buildS = (Date.now() - built) / 1000;
  const bigMs = await proofMs(big.log, bigSize);
  await big.store.close();

  return {
    name: 'audit',
    metrics: {
      'append leaves/s (batches of 100, sqlite)': Math.round(append.opsPerSec),
      'bare insert rows/s (same size, same batches)': Math.round(bare.opsPerSec),
      'append sealed access leaves/s (AES-256-GCM details)': Math.round(sealed.opsPerSec),
      'append one leaf per transaction /s': Math.round(single.opsPerSec),
      'leaf bytes (clear write event)': sample.length,
      'proof ms, 10,000 leaves': round(smallMs, 4),
      [`proof ms, ${bigSize.toLocaleString('en')} leaves`]: round(bigMs, 4),
      'big log build s (bulk load)': round(buildS, 1),
    },
    ratios: [
      atLeast('append / bare insert', append.opsPerSec / bare.opsPerSec, 0.5),
      // Reported, not a target: what sealing access details (AES-256-GCM) costs on top.
      {
        name: 'sealed append / clear append (info)',
        value: round(sealed.opsPerSec / append.opsPerSec),
        target: 'info',
        pass: true,
      },
      atMost(`proof at ${bigSize.toLocaleString('en')} / at 10,000 leaves`, bigMs / smallMs, 3),
    ],
  };
}
