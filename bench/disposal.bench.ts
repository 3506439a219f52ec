// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of disposal (issue 7, "Figures to reach"), ratios against baselines measured
 * in the same run:
 * - disposing the bench city (`--retire all`: snapshot, batches through the vault with audit
 *   events, scrub, verification, signed certificate) vs a bare DELETE of the same rows (data keys,
 *   records, subjects) followed by the same scrub (secure_delete is on; WAL checkpoint, VACUUM),
 *   on a copy of the same SQLite database (target ≥ 50 %); PostgreSQL reported likewise;
 * - the residual scan of the city's files with up to 1,000 canaries in every encoding vs a
 *   single-pass read of the same files (target ≥ 30 %), with the scanner's worker threads
 *   started; one thread and a cold one-shot call are reported beside it.
 * With `--crash`, the long crash loop (kill -9 of the executor's process group at 100 random
 * points across 10 runs on SQLite, 20 on PostgreSQL) runs as well.
 * PostgreSQL: `HEALTHCODE_BENCH_PG_URL` (an admin URL), else a throw-away local cluster;
 * `HEALTHCODE_BENCH_PG_URL=none` skips the PostgreSQL part (a long `--scale 1e6` run on SQLite).
 */
import { cpSync, mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { BenchContext, BenchResult, BenchRatio } from './harness.js';
import { atLeast, round, rssMb, timeOnce } from './harness.js';
import { bareDeletePg, bareDeleteSqlite, subjectIds } from './baselines.js';
import { type Store } from '../src/platform/runtime/index.js';
import { disposalContext, openInstance } from '../src/edges/app/index.js';
import { addAccount } from '../src/foundation/accounts/index.js';
import { FixedClock } from '../src/kernel/shared/index.js';
import type { AuditPort } from '../src/platform/runtime/audit-port.js';
import { generatePopulation } from '../src/foundation/sim/index.js';
import { createVaultSink } from '../src/personal/vault/index.js';
import { CanaryScanner, scanPaths } from '../src/foundation/scan/index.js';
import { approve, draft, run } from '../src/lifecycle/disposal/index.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { runCrashLoop } from '../test/slow/disposal-crash.js';

const END = new Date('2026-11-28T20:00:00+08:00');
const MASTER = Buffer.alloc(32, 0x6d).toString('base64');
const noAudit: AuditPort = { append: () => Promise.resolve() };

async function instance(dir: string, dbUrl?: string): Promise<Store> {
  process.env.HEALTHCODE_MASTER_KEY = MASTER;
  return openInstance({ dataDir: dir, dbUrl, create: true, clock: new FixedClock(END) });
}

/** Seeds the city (1 day of records) and returns up to 1,000 canary values drawn from it. */
async function seed(store: Store, people: number): Promise<string[]> {
  const sink = createVaultSink(store, { actor: 'system:seed', audit: noAudit });
  const canaries: string[] = [];
  for (const batch of generatePopulation({ people, days: 1, seed: 17, end: END, batchSize: 250 })) {
    for (const r of batch) {
      if (
        r.type === 'resident' &&
        canaries.length < 999 &&
        r.resident.seq % Math.max(1, Math.floor(people / 333)) === 0
      ) {
        canaries.push(r.resident.idNumber, r.resident.phone, r.resident.name);
      }
    }
    await sink.write(batch);
  }
  await sink.finish();
  return canaries.filter((c) => c.length >= 4);
}

/** The bare baseline: DELETE the same rows in batches of 1,000 subjects, then the same scrub. */
async function bareDelete(store: Store, ids: readonly string[]): Promise<number> {
  const t = performance.now();
  if (store.db.dialect === 'sqlite') {
    const db = store.db.sqlite!;
    for (let i = 0; i < ids.length; i += 1000) {
      bareDeleteSqlite(db, ids.slice(i, i + 1000));
    }
    db.pragma('main.wal_checkpoint(TRUNCATE)');
    db.exec('vacuum main');
    db.pragma('main.wal_checkpoint(TRUNCATE)');
    db.pragma('healthcode_keys.wal_checkpoint(TRUNCATE)');
  } else {
    const k = store.db.kysely;
    for (let i = 0; i < ids.length; i += 1000) {
      await bareDeletePg(k, ids.slice(i, i + 1000));
    }
    await sql`vacuum vault_record, vault_subject, healthcode_keys.dek`.execute(k);
  }
  return performance.now() - t;
}

/** Disposal of everything through the product, from approval to certificate. */
async function dispose(
  ctx: BenchContext,
  store: Store,
  label: string,
): Promise<{ ms: number; subjects: number }> {
  const d = disposalContext(store, 'operator:bench');
  await d.prepare();
  await addAccount(store, { name: 'bench', role: 'operator' }, { wrapper: d.wrapper });
  const file = join(ctx.tmpDir, `${label}-plan.json`);
  await draft(d, 'all', file);
  await approve(d, file, 'bench');
  const t = performance.now();
  const out = await run(d, file, { batchSize: 1000 });
  const ms = performance.now() - t;
  return { ms, subjects: out.kind === 'completed' ? out.subjects : 0 };
}

/** One pass over every byte of the files (the scan's lower bound). */
function readAll(files: readonly string[]): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  for (const f of files) {
    const fd = openSync(f, 'r');
    try {
      for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
        bytes += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  return bytes;
}

async function pgServer(ctx: BenchContext): Promise<{ admin: string; stop(): void }> {
  const url = process.env.HEALTHCODE_BENCH_PG_URL;
  if (url === 'none') {
    throw new Error('not asked for (HEALTHCODE_BENCH_PG_URL=none)');
  }
  if (url) {
    return { admin: url, stop: () => undefined };
  }
  ctx.log('starting a throw-away PostgreSQL cluster…');
  const c = await startPgCluster();
  return { admin: c.url, stop: () => c.stop() };
}

async function pgDatabase(
  admin: string,
  template?: string,
): Promise<{ name: string; url: string }> {
  const name = `hc_bench_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await c.end();
  return { name, url: admin.replace(/\/[^/]*$/, `/${name}`) };
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const ratios: BenchRatio[] = [];
  const metrics: Record<string, number | string> = {
    date: new Date().toISOString(),
    residents: ctx.scale,
  };

  // ---- SQLite: disposal vs bare DELETE + scrub ---------------------------------------------------
  const seedDir = join(ctx.tmpDir, 'city');
  const seeded = await instance(seedDir);
  let t = performance.now();
  const canaries = await seed(seeded, ctx.scale);
  const ids = await subjectIds(seeded);
  const rows = Number(
    (
      await seeded.db.kysely
        .selectFrom('vault_record')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await seeded.close();
  ctx.log(`seeded ${ids.length} subjects, ${rows} records in ${round(performance.now() - t)} ms`);
  const bareDir = join(ctx.tmpDir, 'bare');
  const scanDir = join(ctx.tmpDir, 'scan');
  cpSync(seedDir, bareDir, { recursive: true });
  cpSync(seedDir, scanDir, { recursive: true });

  const bare = await instance(bareDir);
  const bareMs = await bareDelete(bare, ids);
  await bare.close();
  ctx.log(`bare DELETE + scrub: ${round(bareMs)} ms`);
  const mine = await instance(seedDir);
  const d = await dispose(ctx, mine, 'sqlite');
  await mine.close();
  ctx.log(`disposal of ${d.subjects} subjects: ${round(d.ms)} ms`);
  ratios.push(
    atLeast(`disposal / bare DELETE + scrub (SQLite, ${ids.length} subjects)`, bareMs / d.ms, 0.5),
  );
  metrics.sqliteSubjects = ids.length;
  metrics.sqliteRecords = rows;
  metrics.sqliteDisposalMs = round(d.ms);
  metrics.sqliteBareMs = round(bareMs);
  metrics.sqliteSubjectsPerSec = round((ids.length * 1000) / d.ms, 1);

  // ---- residual scan vs a single-pass read --------------------------------------------------------
  const files = ['healthcode.db', join('keys', 'keystore.sqlite')]
    .map((f) => join(scanDir, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false }));
  const scanner = new CanaryScanner(canaries);
  let bytes = readAll(files); // warm the page cache and the JIT on both sides
  let scan = await scanPaths(files, scanner, { threads: 1 }); // compiles the kernel, builds the index
  // The target figure is the scan bench's: scanPaths with the scanner's worker threads started
  // (verification of a large instance pays the ~0.5 s start once). Beside it, one thread, and a
  // cold call with the canary list, as one `disposal verify --canaries` run makes it.
  await scanner.pool(availableParallelism());
  // The machine is shared: alternate read and scans in rounds and keep the medians.
  const times = {
    read: [] as number[],
    scan: [] as number[],
    single: [] as number[],
    cold: [] as number[],
  };
  for (let r = 0; r < 3; r++) {
    const read = await timeOnce(() => readAll(files));
    const par = await timeOnce(() => scanPaths(files, scanner));
    times.read.push(read.ms);
    times.scan.push(par.ms);
    times.single.push((await timeOnce(() => scanPaths(files, scanner, { threads: 1 }))).ms);
    times.cold.push((await timeOnce(() => scanPaths(files, canaries))).ms);
    bytes = read.value;
    scan = par.value;
  }
  await scanner.close();
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1];
  const readMs = median(times.read);
  const scanMs = median(times.scan);
  ctx.log(
    `scan of ${round(bytes / 1e6, 1)} MB with ${canaries.length} canaries (${scanner.needleCount} needles): ${round(scanMs)} ms; read: ${round(readMs)} ms; hits ${scan.hits.length}`,
  );
  ratios.push(
    atLeast(
      `residual scan (${canaries.length} canaries, all encodings, workers started) / single-pass read`,
      readMs / scanMs,
      0.3,
    ),
  );
  metrics.scanMB = round(bytes / 1e6, 1);
  metrics.scanMBps = round(bytes / 1e3 / scanMs, 1);
  metrics.readMBps = round(bytes / 1e3 / readMs, 1);
  metrics.scanSingleThreadVsRead = round(readMs / median(times.single));
  metrics.scanColdCallVsRead = round(readMs / median(times.cold));
  metrics.scanHitsInCiphertext = scan.hits.length;

  if (ctx.crash) {
    ctx.log('crash loop: 100 kills across 10 runs on SQLite…');
    t = performance.now();
    const sq = await runCrashLoop({ kills: 100, rounds: 10, people: 200, log: (m) => ctx.log(m) });
    metrics.crashKillsSqlite = sq.reduce((n, r) => n + r.kills, 0);
    metrics.crashExactSqlite = sq.every(
      (r) => r.certifiedRecords === r.rowsBefore && r.rowsAfter === 0 && r.verified,
    )
      ? 'yes'
      : 'NO';
    metrics.crashMinutesSqlite = round((performance.now() - t) / 60_000, 1);
  }

  // ---- PostgreSQL ---------------------------------------------------------------------------------
  let server: { admin: string; stop(): void } | undefined;
  try {
    server = await pgServer(ctx);
    const a = await pgDatabase(server.admin);
    const pgDir = join(ctx.tmpDir, 'pg');
    mkdirSync(pgDir, { recursive: true });
    const pgSeed = await instance(join(pgDir, 'a'), a.url);
    t = performance.now();
    await seed(pgSeed, ctx.scale);
    const pgIds = await subjectIds(pgSeed);
    await pgSeed.close();
    ctx.log(`PostgreSQL: seeded ${pgIds.length} subjects in ${round(performance.now() - t)} ms`);
    const b = await pgDatabase(server.admin, a.name);
    cpSync(join(pgDir, 'a'), join(pgDir, 'b'), { recursive: true });
    const pgBare = await instance(join(pgDir, 'b'), b.url);
    const pgBareMs = await bareDelete(pgBare, pgIds);
    await pgBare.close();
    const pgMine = await instance(join(pgDir, 'a'), a.url);
    const pd = await dispose(ctx, pgMine, 'pg');
    await pgMine.close();
    ctx.log(`PostgreSQL: disposal ${round(pd.ms)} ms; bare DELETE + VACUUM ${round(pgBareMs)} ms`);
    ratios.push(
      atLeast(
        `disposal / bare DELETE + VACUUM (PostgreSQL, ${pgIds.length} subjects)`,
        pgBareMs / pd.ms,
        0.5,
      ),
    );
    metrics.pgDisposalMs = round(pd.ms);
    metrics.pgBareMs = round(pgBareMs);
    metrics.pgSubjectsPerSec = round((pgIds.length * 1000) / pd.ms, 1);

    if (ctx.crash) {
      ctx.log('crash loop: 20 kills across 2 runs on PostgreSQL…');
      const admin = server.admin;
      const pq = await runCrashLoop({
        kills: 20,
        rounds: 2,
        people: 100,
        log: (m) => ctx.log(m),
        newPgDatabase: async () => {
          const db = await pgDatabase(admin);
          return {
            url: db.url,
            async drop() {
              const c = new pg.Client({ connectionString: admin });
              await c.connect();
              await c.query(`drop database if exists ${db.name} with (force)`);
              await c.end();
            },
          };
        },
      });
      metrics.crashKillsPg = pq.reduce((n, r) => n + r.kills, 0);
      metrics.crashExactPg = pq.every(
        (r) => r.certifiedRecords === r.rowsBefore && r.rowsAfter === 0 && r.verified,
      )
        ? 'yes'
        : 'NO';
    }
  } catch (err) {
    ctx.log(`PostgreSQL part skipped: ${(err as Error).message}`);
    metrics.pg = `skipped: ${(err as Error).message.slice(0, 120)}`;
  } finally {
    server?.stop();
  }
  metrics.rssMb = rssMb();
  return { name: 'disposal', metrics, ratios };
}
