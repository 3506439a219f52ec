// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of the synthetic city (issue 2 item 6): generation throughput (records/s,
 * cell events/s) of `ctx.scale` residents × 14 days, against a bare baseline that allocates the
 * same number of event objects and strings with no city logic, in the same run; and the peak
 * RSS while streaming (budget < 500 MB at `--scale 1e6`).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchContext, BenchResult } from './harness.js';
import { atLeast, atMost, round, rssMb } from './harness.js';
import { generatePopulation } from '../src/foundation/sim/index.js';

const DAYS = 14;

function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}
const END = new Date('2026-03-10T23:59:59+08:00');

interface BareEvent {
  id: string;
  time: string;
  cell: string;
}

/**
 * The bare baseline: the same streaming shape (batches of 100 residents, one array of ~12 events
 * per resident-day, each event an object with id, time and cell strings) with a PRNG step per
 * event and no city logic. Batches are handed to the same counting loop, so nothing is optimised
 * away.
 */
function* bareBatches(events: number): Generator<BareEvent[][]> {
  const cells = Array.from(
    { length: 2000 },
    (_, i) => `88309e${i.toString(16).padStart(5, '0')}fffff`,
  );
  const minutes = Array.from(
    { length: 1440 },
    (_, m) =>
      `2026-03-10T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:`,
  );
  const seconds = Array.from({ length: 60 }, (_, x) => `${String(x).padStart(2, '0')}+08:00`);
  let x = 0x9e3779b9;
  let made = 0;
  let seq = 0;
  while (made < events) {
    const batch: BareEvent[][] = [];
    for (let r = 0; r < 100 && made < events; r++, seq++) {
      for (let d = 0; d < DAYS; d++) {
        const day: BareEvent[] = [];
        const prefix = `t.${seq.toString(36)}.${d}.`;
        for (let i = 0; i < 12; i++) {
          x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
          const t = x % 86_400;
          day.push({
            id: prefix + i,
            time: minutes[(t / 60) | 0] + seconds[t % 60],
            cell: cells[x % 2000],
          });
        }
        made += day.length;
        batch.push(day);
      }
    }
    yield batch;
  }
}

function baseline(events: number): number {
  let n = 0;
  for (const batch of bareBatches(events)) {
    for (const day of batch) {
      n += day.length;
    }
  }
  return n;
}

/**
 * Bare better-sqlite3 inserts of the same event rows (id, phone, time, cell) in transactions of
 * 10,000: what storage can absorb at best. Generation must outpace it by a wide margin, or seeding
 * could never reach its target of half the bare-insert rate.
 */
function sqliteBaseline(file: string, rows: number): { cpuSeconds: number; rows: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE events (id TEXT PRIMARY KEY, phone TEXT NOT NULL, time TEXT NOT NULL, cell TEXT NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO events (id, phone, time, cell) VALUES (?, ?, ?, ?)');
  const many = db.transaction((batch: BareEvent[][]) => {
    for (const day of batch) {
      for (const e of day) {
        insert.run(e.id, '+8613800138000', e.time, e.cell);
      }
    }
  });
  const c0 = process.cpuUsage();
  let n = 0;
  for (const batch of bareBatches(rows)) {
    many(batch);
    n += batch.reduce((k, d) => k + d.length, 0);
  }
  const cpuSeconds = cpuSince(c0);
  db.close();
  return { cpuSeconds, rows: n };
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const people = ctx.scale;
  let records = 0;
  let events = 0;
  let residents = 0;
  let peak = rssMb();
  ctx.log(`generating ${people} residents × ${DAYS} days`);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let batches = 0;
  for (const batch of generatePopulation({ people, days: DAYS, seed: 1, end: END })) {
    records += batch.length;
    for (const r of batch) {
      if (r.type === 'location-events') {
        events += r.events.length;
      } else if (r.type === 'resident') {
        residents++;
      }
    }
    if (++batches % 200 === 0) {
      peak = Math.max(peak, rssMb());
      if (batches % 2000 === 0) {
        ctx.log(`${residents} residents, rss ${rssMb()} MB`);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpuSince(cpu0);
  peak = Math.max(peak, rssMb());
  ctx.log(`baseline: ${events} bare event objects`);
  const b0 = performance.now();
  const bc0 = process.cpuUsage();
  baseline(events);
  const baseSeconds = (performance.now() - b0) / 1000;
  const baseCpuSeconds = cpuSince(bc0);
  const sqliteRows = Math.min(events, 1_000_000);
  ctx.log(`baseline: ${sqliteRows} bare SQLite event inserts`);
  const sqlite = sqliteBaseline(join(ctx.tmpDir, 'bare.db'), sqliteRows);
  const sqlitePerCpuSec = sqlite.rows / sqlite.cpuSeconds;
  await Promise.resolve();
  const eventsPerSec = events / seconds;
  const baseEventsPerSec = events / baseSeconds;
  // On a shared machine wall time mostly measures the neighbours; the ratio uses CPU time.
  const cpuRatio = baseCpuSeconds / cpuSeconds;
  return {
    name: 'sim',
    metrics: {
      residents,
      days: DAYS,
      records,
      events,
      seconds: round(seconds, 2),
      cpuSeconds: round(cpuSeconds, 2),
      baselineCpuSeconds: round(baseCpuSeconds, 2),
      recordsPerSec: Math.round(records / seconds),
      eventsPerSec: Math.round(eventsPerSec),
      baselineEventsPerSec: Math.round(baseEventsPerSec),
      eventsPerCpuSec: Math.round(events / cpuSeconds),
      baselineEventsPerCpuSec: Math.round(events / baseCpuSeconds),
      sqliteInsertsPerCpuSec: Math.round(sqlitePerCpuSec),
      eventsPerPersonDay: round(events / residents / DAYS, 2),
      rssMb: peak,
    },
    ratios: [
      // Generation must not be what limits seeding: ≥ 4× the bare insert rate of the same rows.
      atLeast(
        'generated events vs bare SQLite inserts (per CPU-s)',
        events / cpuSeconds / sqlitePerCpuSec,
        4,
      ),
      // The city logic (identities, plans, jitter, health records) costs ≤ 10× bare allocation.
      atLeast('generated events vs bare event allocation (per CPU-s)', cpuRatio, 0.1),
      atMost('peak RSS MB (budget at --scale 1e6)', peak, 500),
    ],
  };
}
