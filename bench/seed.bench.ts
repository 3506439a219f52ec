// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of seeding (issue 3, "Figures to reach"): the synthetic city from the sim
 * generator through the vault's encrypted sink into SQLite, against a bare better-sqlite3 insert
 * of the same rows — same tables (subjects, records, data-key rows in the key-store file), same
 * row count, same transactions per batch — with the values in plaintext and no keys, blind
 * indexes, wrapping or audit. Both sides get the same pre-generated batches, so generation time
 * is in neither figure. Target: vault ≥ 50 % of bare (residents/s).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchContext, BenchResult } from './harness.js';
import { atLeast, round, rssMb } from './harness.js';
import { type Store } from '../src/platform/runtime/index.js';
import { openInstance, seedingSink } from '../src/edges/app/index.js';
import { FixedClock, PooledRandom } from '../src/kernel/shared/index.js';
import { generatePopulation, type SyntheticRecord } from '../src/foundation/sim/index.js';
import { createVaultSink } from '../src/personal/vault/index.js';
import type { AuditPort } from '../src/platform/runtime/audit-port.js';

export const END = new Date('2026-11-28T20:00:00+08:00');
const DAYS = 14;
const BATCH = 250;
const MASTER = Buffer.alloc(32, 0x5e).toString('base64');

function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

const noAudit: AuditPort = { append: () => Promise.resolve() };

async function instance(dir: string): Promise<Store> {
  process.env.HEALTHCODE_MASTER_KEY = MASTER;
  return openInstance({ dataDir: dir, create: true, clock: new FixedClock(END) });
}

/** Plaintext rows in the vault's layout: data-key rows, subject rows, record rows. */
export interface BareRows {
  readonly deks: unknown[][];
  readonly subjects: unknown[][];
  readonly records: unknown[][];
}

/** The bare baseline's rows for a batch: the sink's mapping with no crypto, no index, no audit. */
export function bareRows(batch: readonly SyntheticRecord[], random = new PooledRandom()): BareRows {
  const id = () => random.bytes(16).toString('base64url');
  const at = END.getTime();
  const subjects: unknown[][] = [];
  const records: unknown[][] = [];
  const deks: unknown[][] = [];
  const citizens = new Map<number, string>();
  const phones = new Map<string, string>();
  const scopes = new Map<string, Set<string>>();
  const subject = (kind: string, key: string, meta: unknown) => {
    const sid = id();
    subjects.push([sid, kind, Buffer.from(key), 1, Buffer.from(JSON.stringify(meta)), at]);
    scopes.set(sid, new Set(['subject']));
    return sid;
  };
  const record = (
    sid: string,
    grp: string,
    category: string,
    value: unknown,
    bucket: number | null = null,
    entries: string | null = null,
  ) => {
    scopes.get(sid)!.add(grp);
    records.push([
      id(),
      sid,
      grp,
      category,
      bucket,
      1,
      entries,
      Buffer.from(JSON.stringify(value)),
      at,
      at,
    ]);
  };
  for (const r of batch) {
    if (r.type === 'resident') {
      const x = r.resident;
      const c = subject('citizen', x.idNumber, { a: id(), b: x.birthDate });
      citizens.set(x.seq, c);
      record(c, 'basic', 'identity', {
        name: x.name,
        idNumber: x.idNumber,
        sex: x.sex,
        birthDate: x.birthDate,
        nationality: x.nationality,
        documentType: 'resident-id-card',
      });
      record(c, 'basic', 'contact', {
        phone: x.phone,
        carrier: x.carrier,
        ...(x.secondPhone
          ? { secondPhone: x.secondPhone.phone, secondCarrier: x.secondPhone.carrier }
          : {}),
      });
      record(c, 'basic', 'address', {
        householdRegion: x.householdRegion,
        address: x.address,
        homeCell: x.homeCell,
        workCell: x.workCell,
      });
      if (x.medicalHistory.length > 0) {
        record(c, 'basic', 'medical-history', { conditions: x.medicalHistory });
      }
      for (const sim of [
        { phone: x.phone, carrier: x.carrier },
        ...(x.secondPhone ? [x.secondPhone] : []),
      ]) {
        const s = subject('subscriber', sim.phone, { a: id() });
        phones.set(sim.phone, s);
        record(s, 'basic', 'contact', sim);
      }
    } else if (r.type === 'location-events') {
      const day = Date.parse(`${r.day}T00:00:00Z`) / 86_400_000;
      record(
        phones.get(r.phone)!,
        'itinerary',
        'location-events',
        r.events,
        day,
        r.events.map((e) => e.id).join('\n'),
      );
    } else if (r.type === 'declaration') {
      record(citizens.get(r.seq)!, 'health', 'temperature', { celsius: r.temperature, at: r.time });
      record(citizens.get(r.seq)!, 'health', 'symptoms', { symptoms: r.symptoms, at: r.time });
    } else if (r.type === 'test-result') {
      record(citizens.get(r.seq)!, 'certification', 'test-results', {
        kind: r.kind,
        result: r.result,
        at: r.time,
      });
    } else {
      record(citizens.get(r.seq)!, 'certification', 'vaccination', {
        date: r.date,
        vaccine: r.vaccine,
        dose: r.dose,
      });
    }
  }
  for (const [sid, set] of scopes) {
    for (const g of set) {
      deks.push([sid, g, 1, 1, random.bytes(32), at]);
    }
  }
  return { deks, subjects, records };
}

const DEK_SQL =
  'insert into healthcode_keys.dek (subject_id, scope, gen, kek_version, wrapped, created_at, destroyed_at) values (?, ?, ?, ?, ?, ?, null)';
const SUBJECT_SQL =
  'insert into vault_subject (id, kind, lookup, gen, meta, created_at) values (?, ?, ?, ?, ?, ?)';
const RECORD_SQL =
  'insert into vault_record (id, subject_id, grp, category, bucket, gen, entries, ct, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** The bare baseline on SQLite: prepared statements, one key-store and one data transaction. */
export function bareInsertSqlite(store: Store, rows: BareRows): number {
  const db = store.db.sqlite!;
  const dek = db.prepare(DEK_SQL);
  db.transaction(() => rows.deks.forEach((d) => dek.run(...d)))();
  const s = db.prepare(SUBJECT_SQL);
  const q = db.prepare(RECORD_SQL);
  db.transaction(() => {
    rows.subjects.forEach((x) => s.run(...x));
    rows.records.forEach((x) => q.run(...x));
  })();
  return rows.records.length;
}

/** The bare baseline on PostgreSQL: multi-row INSERTs of 500, one transaction each side. */
export async function bareInsertPg(store: Store, rows: BareRows): Promise<number> {
  const k = store.db.kysely;
  const chunks = <T>(xs: readonly T[]) =>
    Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
  await k.transaction().execute(async (trx) => {
    for (const c of chunks(rows.deks)) {
      await trx
        .withSchema('healthcode_keys')
        .insertInto('dek' as never)
        .values(
          c.map(([subject_id, scope, gen, kek_version, wrapped, created_at]) => ({
            subject_id,
            scope,
            gen,
            kek_version,
            wrapped,
            created_at,
            destroyed_at: null,
          })),
        )
        .execute();
    }
  });
  await k.transaction().execute(async (trx) => {
    for (const c of chunks(rows.subjects)) {
      await trx
        .insertInto('vault_subject')
        .values(
          c.map(
            ([id, kind, lookup, gen, meta, created_at]) =>
              ({ id, kind, lookup, gen, meta, created_at }) as never,
          ),
        )
        .execute();
    }
    for (const c of chunks(rows.records)) {
      await trx
        .insertInto('vault_record')
        .values(
          c.map(
            ([id, subject_id, grp, category, bucket, gen, entries, ct, created_at, updated_at]) =>
              ({
                id,
                subject_id,
                grp,
                category,
                bucket,
                gen,
                entries,
                ct,
                created_at,
                updated_at,
              }) as never,
          ),
        )
        .execute();
    }
  });
  return rows.records.length;
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const people = Math.min(ctx.scale, 5000);
  ctx.log(`generating ${people} residents × ${DAYS} days (not timed)…`);
  const batches = [
    ...generatePopulation({ people, days: DAYS, seed: 11, end: END, batchSize: BATCH }),
  ];
  const events = batches
    .flat()
    .reduce((n, r) => n + (r.type === 'location-events' ? r.events.length : 0), 0);

  // Interleaved batch by batch, so both sides see the same load on a shared machine.
  const bare = await instance(join(ctx.tmpDir, 'bare'));
  const vaultStore = await instance(join(ctx.tmpDir, 'vault'));
  const sink = createVaultSink(vaultStore, { actor: 'system:seed', audit: noAudit });
  let bareMs = 0;
  let vaultMs = 0;
  let bareCpu = 0;
  let vaultCpu = 0;
  let rows = 0;
  for (const b of batches) {
    let c = process.cpuUsage();
    let t = performance.now();
    rows += bareInsertSqlite(bare, bareRows(b));
    bareMs += performance.now() - t;
    bareCpu += cpuMs(c);
    c = process.cpuUsage();
    t = performance.now();
    await sink.write(b);
    vaultMs += performance.now() - t;
    vaultCpu += cpuMs(c);
  }
  const done = await sink.finish();
  await bare.close();
  await vaultStore.close();
  ctx.log(`bare insert: ${round(bareMs)} ms (cpu ${round(bareCpu)}) for ${rows} record rows`);
  ctx.log(
    `vault sink: ${round(vaultMs)} ms (cpu ${round(vaultCpu)}) for ${done.records} records, ${done.subjects} subjects`,
  );

  // The same sink with the instance's real audit log (RFC 9162 leaves), for information.
  const audited = await instance(join(ctx.tmpDir, 'audited'));
  const sink2 = await seedingSink(audited, { actor: 'system:seed' });
  const t2 = performance.now();
  for (const b of batches) {
    await sink2.write(b);
  }
  await sink2.finish();
  const auditedMs = performance.now() - t2;
  await audited.close();
  ctx.log(`vault sink with the audit log: ${round(auditedMs)} ms`);
  return {
    name: 'seed',
    metrics: {
      residents: people,
      days: DAYS,
      locationEvents: events,
      recordRows: rows,
      bareResidentsPerSec: round((people * 1000) / bareMs, 1),
      vaultResidentsPerSec: round((people * 1000) / vaultMs, 1),
      bareCpuMs: round(bareCpu),
      vaultCpuMs: round(vaultCpu),
      vaultWithAuditLogResidentsPerSec: round((people * 1000) / auditedMs, 1),
      rssMb: rssMb(),
    },
    ratios: [atLeast('seed vault sink / bare insert (SQLite)', bareMs / vaultMs, 0.5)],
  };
}
