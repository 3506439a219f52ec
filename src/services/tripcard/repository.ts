// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL of the trip card (STYLE.md §2: SQL only). One table, `tripcard_event`, holding no
 * plaintext personal data (docs/tripcard.md, "Row layout"). A row is a bundle: the events of one
 * subscriber on one local day that arrived in one ingest batch.
 * - `subject_id`: the opaque id of the phone's `subscriber` subject in the vault;
 * - `day`: the local day number, the coarse bucket the rolling purge deletes by;
 * - `bid`: the bundle id (the first event's index below), unique within subject and day;
 * - `eids`: the events' 16-byte HMAC-SHA-256 blind indexes of their carrier ids, concatenated —
 *   what makes a re-sent event a duplicate, read without any key;
 * - `gen`, `ct`: the events (instant and prefecture-level place) sealed with AES-256-GCM under the
 *   subject's `itinerary` data key of generation `gen`, the row bound as associated data.
 * Primary key `(subject_id, day, bid)`, so a query reads one phone's rows as one key range; index
 * `(day)` for the purge. The itinerary read fetches the rows and the wrapped data keys they name
 * in one statement (a join on the key store's `dek` primary key), so liveness is read together
 * with the rows.
 */
import { sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db, Database, Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

export interface TripcardEventTable {
  subject_id: string;
  day: number;
  bid: Buffer;
  eids: Buffer;
  gen: number;
  ct: Buffer;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    tripcard_event: TripcardEventTable;
  }
}

/** Bytes of one event index in `eids`. */
export const EID_BYTES = 16;

export const tripcardMigrations: Record<string, Migration> = {
  '202611270400_tripcard_events': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      // Clustered by subscriber and day (SQLite: WITHOUT ROWID): one phone's rows are one key
      // range, and an ingest batch, grouped by phone, touches a few pages per phone.
      let create = db.schema
        .createTable('tripcard_event')
        .ifNotExists()
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('bid', t.blob, (c) => c.notNull())
        .addColumn('eids', t.blob, (c) => c.notNull())
        .addColumn('gen', 'integer', (c) => c.notNull())
        .addColumn('ct', t.blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('tripcard_event_pk', ['subject_id', 'day', 'bid']);
      if (dialect === 'sqlite') {
        create = create.modifyEnd(sql`without rowid`);
      }
      await create.execute();
      await db.schema
        .createIndex('tripcard_event_day')
        .ifNotExists()
        .on('tripcard_event')
        .column('day')
        .execute();
    },
  },
};

/** `subject\0day` — the key of a (subject, day) slot. */
export function slotKey(subjectId: string, day: number): string {
  return `${subjectId}\u0000${day}`;
}

/**
 * The event indexes already stored for each (subject, day) slot, as latin1 strings. Run it inside
 * the ingest's write transaction so that concurrent ingests see each other's bundles.
 */
export async function storedEids(
  db: Db,
  trx: Kysely<Database>,
  slots: readonly { subjectId: string; day: number }[],
  table = 'tripcard_event',
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const add = (subjectId: string, day: number, eids: Buffer) => {
    const k = slotKey(subjectId, day);
    let set = out.get(k);
    if (set === undefined) {
      set = new Set();
      out.set(k, set);
    }
    for (let i = 0; i + EID_BYTES <= eids.length; i += EID_BYTES) {
      set.add(eids.toString('latin1', i, i + EID_BYTES));
    }
  };
  if (db.dialect === 'sqlite') {
    const stmt = db.sqlite!.prepare(`select eids from ${table} where subject_id = ? and day = ?`);
    for (const s of slots) {
      for (const r of stmt.all(s.subjectId, s.day) as { eids: Buffer }[]) {
        add(s.subjectId, s.day, r.eids);
      }
    }
    return out;
  }
  const wanted = new Set(slots.map((s) => slotKey(s.subjectId, s.day)));
  const subjects = [...new Set(slots.map((s) => s.subjectId))];
  const days = [...new Set(slots.map((s) => s.day))];
  for (let i = 0; i < subjects.length; i += 1000) {
    const res = await sql<{
      subject_id: string;
      day: number;
      eids: Buffer;
    }>`select subject_id, day, eids from ${sql.table(table)} where subject_id in (${sql.join(
      subjects.slice(i, i + 1000),
    )}) and day in (${sql.join(days)})`.execute(trx);
    for (const r of res.rows) {
      if (wanted.has(slotKey(r.subject_id, Number(r.day)))) {
        add(r.subject_id, Number(r.day), r.eids);
      }
    }
  }
  return out;
}

/**
 * The PostgreSQL ingest lock (an arbitrary constant, "trip"): taken first in every ingest write
 * transaction, it serialises the check-then-insert of event indexes, so under READ COMMITTED a
 * second ingest of the same events reads the first one's commit (each statement takes a fresh
 * snapshot once the lock is granted) and stores nothing twice. SQLite needs none: the write
 * transaction holds the database's only write lock from its first statement (keys/tx.ts).
 */
const INGEST_LOCK = 0x74726970;

/** Serialises ingest write transactions on PostgreSQL; call first inside the transaction. */
export async function lockIngest(db: Db, trx: Kysely<Database>): Promise<void> {
  if (db.dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${INGEST_LOCK})`.execute(trx);
  }
}

/** Inserts bundles inside the caller's transaction (SQLite: prepared statement, same connection). */
export async function insertBundles(
  db: Db,
  trx: Kysely<Database>,
  rows: readonly TripcardEventTable[],
  table = 'tripcard_event',
): Promise<void> {
  if (db.dialect === 'sqlite') {
    const stmt = db.sqlite!.prepare(
      `insert into ${table} (subject_id, day, bid, eids, gen, ct) values (?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) {
      stmt.run(r.subject_id, r.day, r.bid, r.eids, r.gen, r.ct);
    }
    return;
  }
  // 6 parameters a row: 2,000 rows stay far below PostgreSQL's 65,535-parameter cap.
  for (let i = 0; i < rows.length; i += 2000) {
    await sql`insert into ${sql.table(table)} (subject_id, day, bid, eids, gen, ct) values ${sql.join(
      rows
        .slice(i, i + 2000)
        .map((r) => sql`(${r.subject_id}, ${r.day}, ${r.bid}, ${r.eids}, ${r.gen}, ${r.ct})`),
    )}`.execute(trx);
  }
}

/** Prepared statements per SQLite connection (preparing costs as much as a small read). */
const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/**
 * A cached prepared statement; `rows: 'arrays'` returns each row as an array (better-sqlite3's
 * raw mode), which the caller turns into objects of one shape — cheaper than the driver building
 * each object property by property, and the itinerary read is measured against a raw read.
 */
function statement(
  sqlite: BetterSqlite3.Database,
  text: string,
  rows: 'objects' | 'arrays' = 'objects',
): BetterSqlite3.Statement {
  let m = prepared.get(sqlite);
  if (m === undefined) {
    m = new Map();
    prepared.set(sqlite, m);
  }
  const k = `${rows}\u0000${text}`;
  let st = m.get(k);
  if (st === undefined) {
    st = sqlite.prepare(text);
    if (rows === 'arrays') {
      st.raw(true);
    }
    m.set(k, st);
  }
  return st;
}

const EVENTS_OF =
  'select subject_id, day, bid, eids, gen, ct from tripcard_event where subject_id = ? and day >= ?';

/**
 * One subject's bundles from day `fromDay` on (a range of the primary key), read raw: the
 * baseline the itinerary query is measured against, and a test helper.
 */
export async function eventsOf(
  db: Db,
  subjectId: string,
  fromDay: number,
): Promise<TripcardEventTable[]> {
  if (db.dialect === 'sqlite') {
    return statement(db.sqlite!, EVENTS_OF).all(subjectId, fromDay) as TripcardEventTable[];
  }
  const res = await sql<TripcardEventTable>`select subject_id, day, bid, eids, gen, ct
    from tripcard_event where subject_id = ${subjectId} and day >= ${fromDay}`.execute(db.kysely);
  return res.rows;
}

/** A bundle with the data key row its generation names (`wrapped` null: destroyed or missing). */
export interface BundleWithKey {
  readonly day: number;
  readonly bid: Buffer;
  readonly eids: Buffer;
  readonly gen: number;
  readonly ct: Buffer;
  readonly kek_version: number | null;
  readonly wrapped: Buffer | null;
}

const EVENTS_WITH_KEYS = `select e.day, e.bid, e.eids, e.gen, e.ct, d.kek_version, d.wrapped
  from tripcard_event e left join healthcode_keys.dek d
    on d.subject_id = e.subject_id and d.scope = ? and d.gen = e.gen
  where e.subject_id = ? and e.day >= ?`;

/**
 * One subject's bundles from day `fromDay` on, each with its wrapped data key, in one statement:
 * one round trip, and the key's liveness is read in the same snapshot as the rows — a key a
 * crypto-erasure destroyed comes back null, whatever any cache holds.
 */
export async function eventsWithKeys(
  db: Db,
  subjectId: string,
  fromDay: number,
  scope: string,
): Promise<BundleWithKey[]> {
  if (db.dialect === 'sqlite') {
    const rows = statement(db.sqlite!, EVENTS_WITH_KEYS, 'arrays').all(
      scope,
      subjectId,
      fromDay,
    ) as [number, Buffer, Buffer, number, Buffer, number | null, Buffer | null][];
    return rows.map(([day, bid, eids, gen, ct, kekVersion, wrapped]) => ({
      day,
      bid,
      eids,
      gen,
      ct,
      kek_version: kekVersion,
      wrapped,
    }));
  }
  const res = await sql<BundleWithKey>`select e.day, e.bid, e.eids, e.gen, e.ct, d.kek_version,
      d.wrapped from tripcard_event e left join healthcode_keys.dek d
      on d.subject_id = e.subject_id and d.scope = ${scope} and d.gen = e.gen
    where e.subject_id = ${subjectId} and e.day >= ${fromDay}`.execute(db.kysely);
  return res.rows.map((r) => ({
    ...r,
    day: Number(r.day),
    gen: Number(r.gen),
    kek_version: r.kek_version === null ? null : Number(r.kek_version),
  }));
}

/** Deletes every bundle of a day before `beforeDay`; returns how many events they held. */
export async function deleteBefore(db: Kysely<Database>, beforeDay: number): Promise<number> {
  const rows = await db
    .deleteFrom('tripcard_event')
    .where('day', '<', beforeDay)
    .returning('eids')
    .execute();
  return rows.reduce((n, r) => n + r.eids.length / EID_BYTES, 0);
}

/**
 * Deletes bundles whose data key is gone (destroyed by a crypto-erasure, or missing): they can no
 * longer be read, and physical deletion finishes what the erasure started. Returns the events.
 */
export async function deleteUnreadable(db: Kysely<Database>, scope: string): Promise<number> {
  const res = await sql<{ eids: Buffer }>`delete from tripcard_event where not exists (
      select 1 from healthcode_keys.dek d where d.subject_id = tripcard_event.subject_id
        and d.scope = ${scope} and d.gen = tripcard_event.gen and d.wrapped is not null)
    returning eids`.execute(db);
  return res.rows.reduce((n, r) => n + r.eids.length / EID_BYTES, 0);
}

/** Events stored (tests, reports). */
export async function countEvents(db: Kysely<Database>): Promise<number> {
  const rows = await db.selectFrom('tripcard_event').select('eids').execute();
  return rows.reduce((n, r) => n + r.eids.length / EID_BYTES, 0);
}
