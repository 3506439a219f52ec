// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's tables and SQL (RFC 9162 §2.1 storage). `audit_leaves` is append-only
 * on both engines (triggers refuse UPDATE, DELETE and, on PostgreSQL, TRUNCATE); each row keeps
 * its leaf and the subtree hashes that leaf completed, so any complete subtree is one primary-key
 * read away. `audit_head` is the one row appenders lock (SQLite's write lock, PostgreSQL's row
 * lock) and carries the compact range of the current tree.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Db as DbHandle } from '../../platform/db/index.js';

export interface AuditLeavesTable {
  leaf_index: number;
  leaf: Uint8Array;
  /** Leaf hash, then every subtree this leaf completed, bottom-up (32 bytes each). */
  hashes: Uint8Array;
  /**
   * The subject's random audit id, or null. Deliberately not indexed: random keys would dirty a
   * B-tree page per append; a subject's trail (a rare data-subject request) scans instead.
   */
  subject: string | null;
}

export interface AuditHeadTable {
  id: number;
  size: number;
  /** The compact range of [0, size): peak hashes, largest first. */
  frontier: Uint8Array;
}

export interface AuditCheckpointsTable {
  size: number;
  root: Uint8Array;
  note: string;
  signed_at: number;
}

export interface AuditPeriodKeysTable {
  period: string;
  /** The month key wrapped through the KeyWrapper; null once destroyed. */
  wrapped: Uint8Array | null;
  created_at: number;
  destroyed_at: number | null;
}

export interface AuditLogKeyTable {
  id: number;
  /** The key name, which is also the checkpoint origin. */
  name: string;
  public_key: Uint8Array;
  /** The Ed25519 seed wrapped through the KeyWrapper. */
  wrapped: Uint8Array;
  created_at: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    audit_leaves: AuditLeavesTable;
    audit_head: AuditHeadTable;
    audit_checkpoints: AuditCheckpointsTable;
    audit_period_keys: AuditPeriodKeysTable;
    audit_log_key: AuditLogKeyTable;
  }
}

type Db = Kysely<Database>;

/** The head row, locked for this transaction (the first statement every appender runs). */
export async function lockHead(db: Db): Promise<{ size: number; frontier: Buffer }> {
  // An UPDATE takes SQLite's write lock up front (a read first could later fail to upgrade)
  // and PostgreSQL's row lock; RETURNING reads the head in the same statement.
  const row = await db
    .updateTable('audit_head')
    .set({ size: sql<number>`size` })
    .where('id', '=', 1)
    .returning(['size', 'frontier'])
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), frontier: Buffer.from(row.frontier) };
}

/** Reads the head without locking it. */
export async function readHead(db: Db): Promise<{ size: number; frontier: Buffer }> {
  const row = await db
    .selectFrom('audit_head')
    .select(['size', 'frontier'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { size: Number(row.size), frontier: Buffer.from(row.frontier) };
}

export async function writeHead(db: Db, size: number, frontier: Buffer): Promise<void> {
  await db.updateTable('audit_head').set({ size, frontier }).where('id', '=', 1).execute();
}

/** Rows per INSERT: well under both engines' bound-parameter limits. */
const INSERT_CHUNK = 500;

export async function insertLeaves(db: Db, rows: readonly AuditLeavesTable[]): Promise<void> {
  // A plain multi-row INSERT: the query builder's per-value parsing cost more than the insert.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const values = rows
      .slice(i, i + INSERT_CHUNK)
      .map((r) => sql`(${r.leaf_index}, ${r.leaf}, ${r.hashes}, ${r.subject})`);
    await sql`INSERT INTO audit_leaves (leaf_index, leaf, hashes, subject) VALUES ${sql.join(values)}`.execute(
      db,
    );
  }
}

/** The `hashes` column of the given rows (the rows holding the wanted complete subtrees). */
export async function readHashRows(
  db: Db,
  indexes: readonly number[],
): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  if (indexes.length === 0) {
    return out;
  }
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['leaf_index', 'hashes'])
    .where('leaf_index', 'in', [...new Set(indexes)])
    .execute();
  for (const r of rows) {
    out.set(Number(r.leaf_index), Buffer.from(r.hashes));
  }
  return out;
}

export async function readLeaf(
  db: Db,
  index: number,
): Promise<{ leaf: Buffer; hashes: Buffer } | undefined> {
  const row = await db
    .selectFrom('audit_leaves')
    .select(['leaf', 'hashes'])
    .where('leaf_index', '=', index)
    .executeTakeFirst();
  return row && { leaf: Buffer.from(row.leaf), hashes: Buffer.from(row.hashes) };
}

/** A page of rows in index order from `from` (keyset paging, for the full verification). */
export async function readLeafPage(
  db: Db,
  from: number,
  limit: number,
): Promise<{ leaf_index: number; leaf: Buffer; hashes: Buffer }[]> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['leaf_index', 'leaf', 'hashes'])
    .where('leaf_index', '>=', from)
    .orderBy('leaf_index')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    leaf_index: Number(r.leaf_index),
    leaf: Buffer.from(r.leaf),
    hashes: Buffer.from(r.hashes),
  }));
}

export interface CheckpointRow {
  readonly size: number;
  readonly root: Buffer;
  readonly note: string;
  readonly signedAt: number;
}

function toCheckpoint(r: AuditCheckpointsTable): CheckpointRow {
  return {
    size: Number(r.size),
    root: Buffer.from(r.root),
    note: r.note,
    signedAt: Number(r.signed_at),
  };
}

export async function latestCheckpoint(db: Db): Promise<CheckpointRow | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toCheckpoint(row);
}

export async function checkpointAt(db: Db, size: number): Promise<CheckpointRow | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('size', '=', size)
    .executeTakeFirst();
  return row && toCheckpoint(row);
}

export async function allCheckpoints(db: Db): Promise<CheckpointRow[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute();
  return rows.map(toCheckpoint);
}

export async function insertCheckpoint(db: Db, row: CheckpointRow): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values({ size: row.size, root: row.root, note: row.note, signed_at: row.signedAt })
    .onConflict((oc) => oc.column('size').doNothing())
    .execute();
}

export async function readLogKey(
  db: Db,
): Promise<{ name: string; publicKey: Buffer; wrapped: Buffer } | undefined> {
  const row = await db
    .selectFrom('audit_log_key')
    .select(['name', 'public_key', 'wrapped'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return (
    row && {
      name: row.name,
      publicKey: Buffer.from(row.public_key),
      wrapped: Buffer.from(row.wrapped),
    }
  );
}

/** Stores the log key unless another process stored one first (then the caller re-reads). */
export async function insertLogKey(
  db: Db,
  key: { name: string; publicKey: Buffer; wrapped: Buffer; createdAt: number },
): Promise<void> {
  await db
    .insertInto('audit_log_key')
    .values({
      id: 1,
      name: key.name,
      public_key: key.publicKey,
      wrapped: key.wrapped,
      created_at: key.createdAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function readPeriodKey(
  db: Db,
  period: string,
): Promise<{ wrapped: Buffer | null; destroyed: boolean } | undefined> {
  const row = await db
    .selectFrom('audit_period_keys')
    .select(['wrapped', 'destroyed_at'])
    .where('period', '=', period)
    .executeTakeFirst();
  return (
    row && {
      wrapped: row.wrapped === null ? null : Buffer.from(row.wrapped),
      destroyed: row.destroyed_at !== null,
    }
  );
}

export async function insertPeriodKey(
  db: Db,
  period: string,
  wrapped: Buffer,
  createdAt: number,
): Promise<void> {
  await db
    .insertInto('audit_period_keys')
    .values({ period, wrapped, created_at: createdAt, destroyed_at: null })
    .onConflict((oc) => oc.column('period').doNothing())
    .execute();
}

export async function livePeriods(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_period_keys')
    .select('period')
    .where('destroyed_at', 'is', null)
    .orderBy('period')
    .execute();
  return rows.map((r) => r.period);
}

/** Destroys a period key: the wrapped bytes go, a tombstone (period, time) stays. */
export async function destroyPeriodKey(db: Db, period: string, at: number): Promise<void> {
  await db
    .updateTable('audit_period_keys')
    .set({ wrapped: null, destroyed_at: at })
    .where('period', '=', period)
    .execute();
}

/** A subject's leaves, in order (their trail). */
export async function leavesOfSubject(
  db: Db,
  subject: string,
): Promise<{ leafIndex: number; leaf: Buffer }[]> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['leaf_index', 'leaf'])
    .where('subject', '=', subject)
    .orderBy('leaf_index')
    .execute();
  return rows.map((r) => ({ leafIndex: Number(r.leaf_index), leaf: Buffer.from(r.leaf) }));
}

/**
 * After audit period keys are destroyed, makes sure their old bytes do not linger: SQLite
 * (secure_delete on) checkpoints and truncates the WAL; PostgreSQL vacuums the period-key table
 * so dead tuples go. (The vault scrubs its own freed pages its own way.)
 */
export async function scrubDestroyedPeriodKeys(db: DbHandle): Promise<void> {
  if (db.sqlite) {
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } else {
    await sql`VACUUM audit_period_keys`.execute(db.kysely);
  }
}
