// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmarks of the vault (issue 3, "Figures to reach"), each against a bare baseline
 * measured in the same run:
 * - encrypted ingest (the vault's bulk sink) vs a plaintext insert of the same rows, on SQLite
 *   and on PostgreSQL (≥ 50 %), batch by batch interleaved so both sides see the same load;
 * - erasing 100,000 subjects (keys destroyed, tombstones, rows deleted) vs a bare DELETE of the
 *   same rows on a copy of the same database (≥ 50 %);
 * - KEK rotation vs a bare loop of unwrap + wrap + UPDATE over the same data keys (≥ 50 %).
 * With `--crash`, the long crash loop (kill -9 during batch ingest and erase) runs as well.
 * PostgreSQL: `HEALTHCODE_BENCH_PG_URL` (an admin URL), else a throw-away local cluster.
 */
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BenchContext, BenchResult, BenchRatio } from './harness.js';
import { atLeast, round, rssMb } from './harness.js';
import { bareDeleteSqlite, subjectIds } from './baselines.js';
import { bareInsertPg, bareInsertSqlite, bareRows, END } from './seed.bench.js';
import { type Store } from '../src/platform/runtime/index.js';
import { openInstance } from '../src/edges/app/index.js';
import { FixedClock, PooledRandom } from '../src/kernel/shared/index.js';
import type { AuditPort } from '../src/platform/runtime/audit-port.js';
import { computeIdCheckChar } from '../src/kernel/domain/index.js';
import { generatePopulation, type SyntheticRecord } from '../src/foundation/sim/index.js';
import { createVaultSink, openVault } from '../src/personal/vault/index.js';
import { NoncePool, open, seal, associatedData } from '../src/kernel/crypto/index.js';
import { rotateKeys } from '../src/platform/keys/rotation.js';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { runCrashLoop } from '../test/slow/crash-loop.js';

const MASTER = Buffer.alloc(32, 0x5e).toString('base64');
const noAudit: AuditPort = { append: () => Promise.resolve() };

async function instance(dir: string, dbUrl?: string): Promise<Store> {
  process.env.HEALTHCODE_MASTER_KEY = MASTER;
  return openInstance({ dataDir: dir, dbUrl, create: true, clock: new FixedClock(END) });
}

async function pgServer(ctx: BenchContext): Promise<{ admin: string; stop(): void }> {
  const url = process.env.HEALTHCODE_BENCH_PG_URL;
  if (url) {
    return { admin: url, stop: () => undefined };
  }
  ctx.log('starting a throw-away PostgreSQL cluster…');
  const c = await startPgCluster();
  return { admin: c.url, stop: () => c.stop() };
}

async function pgDatabase(admin: string): Promise<string> {
  const name = `hc_bench_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

// ---- ingest -------------------------------------------------------------------------------------

async function ingest(
  ctx: BenchContext,
  label: string,
  batches: readonly SyntheticRecord[][],
  bare: Store,
  vault: Store,
): Promise<{ bareMs: number; vaultMs: number; rows: number }> {
  const sink = createVaultSink(vault, { actor: 'system:seed', audit: noAudit });
  let bareMs = 0;
  let vaultMs = 0;
  let rows = 0;
  for (const b of batches) {
    let t = performance.now();
    const r = bareRows(b);
    rows += bare.db.dialect === 'sqlite' ? bareInsertSqlite(bare, r) : await bareInsertPg(bare, r);
    bareMs += performance.now() - t;
    t = performance.now();
    await sink.write(b);
    vaultMs += performance.now() - t;
  }
  await sink.finish();
  ctx.log(
    `ingest ${label}: bare ${round(bareMs)} ms, vault ${round(vaultMs)} ms, ${rows} record rows`,
  );
  return { bareMs, vaultMs, rows };
}

// ---- a population of many light subjects, for erasure and rotation -----------------------------

/** `n` residents with one SIM, a declaration and a day of 3 events each: 2n subjects. */
function* lightResidents(n: number, batch: number): Generator<SyntheticRecord[]> {
  const day = '2026-11-27';
  for (let start = 0; start < n; start += batch) {
    const out: SyntheticRecord[] = [];
    for (let seq = start; seq < Math.min(n, start + batch); seq++) {
      const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(seq / 900) * 86_400_000);
      const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
      const body = `110105${ymd}${String(100 + (seq % 900)).padStart(3, '0')}`;
      const idNumber = body + computeIdCheckChar(body);
      const phone = `+86138${String(seq).padStart(8, '0')}`;
      out.push({
        type: 'resident',
        resident: {
          seq,
          name: '测试人',
          idNumber,
          sex: Number(body[16]) % 2 === 1 ? '1' : '2',
          birthDate: birth.toISOString().slice(0, 10),
          nationality: 'CN',
          phone,
          carrier: 'cmcc',
          householdRegion: '110105',
          address: '合成路 1 号',
          homeCell: '8831aa0d0bfffff',
          workCell: '8831aa0d0dfffff',
          medicalHistory: [],
        },
      });
      out.push({
        type: 'declaration',
        seq,
        time: `${day}T08:00:00+08:00`,
        temperature: 36.5,
        symptoms: ['none'],
      });
      out.push({
        type: 'location-events',
        seq,
        phone,
        carrier: 'cmcc',
        day,
        events: [0, 1, 2].map((i) => ({
          id: `b.${seq.toString(36)}.${i}`,
          time: `${day}T0${i + 7}:00:00+08:00`,
          cell: '8831aa0d0bfffff',
        })),
      });
    }
    yield out;
  }
}

export async function erasure(
  ctx: BenchContext,
  subjectsWanted: number,
): Promise<{ ratios: BenchRatio[]; metrics: Record<string, number> }> {
  const residents = Math.ceil(subjectsWanted / 2);
  const seedDir = join(ctx.tmpDir, 'erase-seed');
  const seeded = await instance(seedDir);
  const sink = createVaultSink(seeded, { actor: 'system:seed', audit: noAudit });
  const t0 = performance.now();
  for (const b of lightResidents(residents, 1000)) {
    await sink.write(b);
  }
  const s = await sink.finish();
  ctx.log(
    `seeded ${s.subjects} subjects, ${s.records} records in ${round(performance.now() - t0)} ms`,
  );
  const ids = await subjectIds(seeded);
  const dekCount = Number(
    (
      await seeded.keyring.store
        .selectFrom('dek')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await seeded.close();
  const copy = (name: string) => {
    const dir = join(ctx.tmpDir, name);
    cpSync(seedDir, dir, { recursive: true });
    return dir;
  };
  const bareDir = copy('erase-bare');
  const rotDir = copy('rotate-vault');
  const rotBareDir = copy('rotate-bare');

  // Erasure: the vault's batch erase (its final VACUUM timed apart) vs bare DELETEs of the same
  // rows on a copy — interleaved: after each vault batch the bare side deletes the same subjects,
  // timed separately, so both see the same machine load.
  const mine = await instance(seedDir);
  const bare = await instance(bareDir);
  const vault = openVault(mine, { audit: noAudit });
  const db = bare.db.sqlite!;
  let bareEraseMs = 0;
  let bareDone = 0;
  const bareBatch = (upTo: number) => {
    const t = performance.now();
    const batch = ids.slice(bareDone, upTo);
    bareDone = upTo;
    bareDeleteSqlite(db, batch);
    bareEraseMs += performance.now() - t;
  };
  let t = performance.now();
  const report = await vault.eraseMany(
    ids.map((subjectId) => ({ subjectId })),
    {
      actor: 'job:bench',
      batchSize: 1000,
      scrub: false,
      onProgress: (done) => bareBatch(done),
    },
  );
  const eraseMs = performance.now() - t - bareEraseMs;
  t = performance.now();
  await vault.scrub();
  const scrubMs = performance.now() - t;
  await mine.close();
  await bare.close();
  ctx.log(
    `erase: ${report.erased} subjects, ${report.rowsDeleted} rows in ${round(eraseMs)} ms (+ scrub ${round(scrubMs)} ms)`,
  );
  ctx.log(`bare DELETE of the same rows: ${round(bareEraseMs)} ms`);

  // Rotation: the keyring's resumable rotation vs bare unwrap + wrap + UPDATE of the same data
  // keys on a copy, interleaved batch by batch in the same way.
  const rot = await instance(rotDir);
  const rb = await instance(rotBareDir);
  const oldKek = await rb.keyring.kek(1);
  const newKek = randomBytes(32);
  const nonces = new NoncePool(new PooledRandom());
  const rdb = rb.db.sqlite!;
  const sel = rdb.prepare(
    'select subject_id, scope, gen, wrapped from healthcode_keys.dek where kek_version = 1 limit 5000',
  );
  const upd = rdb.prepare(
    'update healthcode_keys.dek set kek_version = 2, wrapped = ? where subject_id = ? and scope = ? and gen = ?',
  );
  let bareRotateMs = 0;
  const bareRewrap = () => {
    const t0 = performance.now();
    const rows = sel.all() as Array<{
      subject_id: string;
      scope: string;
      gen: number;
      wrapped: Buffer;
    }>;
    rdb.transaction(() => {
      for (const r of rows) {
        const key = open(
          oldKek,
          r.wrapped,
          associatedData('healthcode_keys.dek', r.subject_id, r.scope, r.gen, 1),
        );
        const w = seal(
          newKek,
          key,
          associatedData('healthcode_keys.dek', r.subject_id, r.scope, r.gen, 2),
          nonces,
        );
        upd.run(w, r.subject_id, r.scope, r.gen);
      }
    })();
    bareRotateMs += performance.now() - t0;
    return rows.length;
  };
  t = performance.now();
  const rr = await rotateKeys(rot.keyring, rot.db, {
    batchSize: 5000,
    onProgress: (done) => done > 0 && bareRewrap(),
  });
  const rotateMs = performance.now() - t - bareRotateMs;
  while (bareRewrap() > 0) {
    // the bare side finishes whatever is left (normally nothing)
  }
  await rot.close();
  await rb.close();
  ctx.log(
    `rotation: ${rr.rewrapped} data keys in ${round(rotateMs)} ms; bare unwrap + wrap + UPDATE: ${round(bareRotateMs)} ms`,
  );

  return {
    ratios: [
      atLeast(`erase ${ids.length} subjects / bare DELETE (SQLite)`, bareEraseMs / eraseMs, 0.5),
      atLeast(
        `key rotation / bare unwrap+wrap+UPDATE (SQLite, ${dekCount} data keys)`,
        bareRotateMs / rotateMs,
        0.5,
      ),
    ],
    metrics: {
      eraseSubjects: ids.length,
      eraseSubjectsPerSec: round((ids.length * 1000) / eraseMs, 1),
      bareDeleteSubjectsPerSec: round((ids.length * 1000) / bareEraseMs, 1),
      eraseScrubMs: round(scrubMs),
      rotationDataKeys: dekCount,
      rotationKeysPerSec: round((rr.rewrapped * 1000) / rotateMs, 1),
      bareRewrapKeysPerSec: round((dekCount * 1000) / bareRotateMs, 1),
    },
  };
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const ratios: BenchRatio[] = [];
  const metrics: Record<string, number | string> = {};
  const people = Math.min(ctx.scale, 1500);
  ctx.log(`generating ${people} residents × 7 days for ingest (not timed)…`);
  const batches = [...generatePopulation({ people, days: 7, seed: 5, end: END, batchSize: 250 })];

  const sb = await instance(join(ctx.tmpDir, 'ingest-bare'));
  const sv = await instance(join(ctx.tmpDir, 'ingest-vault'));
  const sq = await ingest(ctx, 'SQLite', batches, sb, sv);
  await sb.close();
  await sv.close();
  ratios.push(atLeast('encrypted ingest / plaintext insert (SQLite)', sq.bareMs / sq.vaultMs, 0.5));
  metrics.ingestResidents = people;
  metrics.ingestRecordRows = sq.rows;
  metrics.sqliteVaultResidentsPerSec = round((people * 1000) / sq.vaultMs, 1);
  metrics.sqliteBareResidentsPerSec = round((people * 1000) / sq.bareMs, 1);

  const server = await pgServer(ctx);
  try {
    const pb = await instance(join(ctx.tmpDir, 'pg-bare'), await pgDatabase(server.admin));
    const pv = await instance(join(ctx.tmpDir, 'pg-vault'), await pgDatabase(server.admin));
    const p = await ingest(ctx, 'PostgreSQL', batches, pb, pv);
    await pb.close();
    await pv.close();
    ratios.push(
      atLeast('encrypted ingest / plaintext insert (PostgreSQL)', p.bareMs / p.vaultMs, 0.5),
    );
    metrics.pgVaultResidentsPerSec = round((people * 1000) / p.vaultMs, 1);
    metrics.pgBareResidentsPerSec = round((people * 1000) / p.bareMs, 1);

    const e = await erasure(ctx, Math.min(ctx.scale, 100_000));
    ratios.push(...e.ratios);
    Object.assign(metrics, e.metrics);

    if (ctx.crash) {
      const worker = resolve('dist/test/workers/vault-crash-worker.js');
      for (const [label, pgUrl] of [
        ['SQLite', undefined],
        [
          'PostgreSQL',
          async () => ({ url: await pgDatabase(server.admin), drop: () => Promise.resolve() }),
        ],
      ] as const) {
        const r = await runCrashLoop({
          iterations: label === 'SQLite' ? 20 : 8,
          people: 60,
          batch: 6,
          worker,
          ...(pgUrl ? { pgUrl } : {}),
          log: (line) => ctx.log(line),
        });
        metrics[`crash${label}Kills`] = r.kills;
        metrics[`crash${label}Violations`] = r.violations.length;
        ratios.push({
          name: `crash loop ${label}: violations`,
          value: r.violations.length,
          target: '== 0',
          pass: r.violations.length === 0,
        });
        r.violations.slice(0, 5).forEach((v) => ctx.log(`violation: ${v}`));
      }
    }
  } finally {
    server.stop();
  }
  metrics.rssMb = rssMb();
  return { name: 'vault', metrics, ratios };
}
