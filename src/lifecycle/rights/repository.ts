// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for data-subject requests and their state history (PIPL arts. 44–50), on SQLite
 * and PostgreSQL. Rows hold the opaque subject id and non-personal parameters only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

export interface RightsRequestsTable {
  id: string;
  type: string;
  state: string;
  subject_id: string | null;
  channel: string;
  identity_method: string | null;
  /** JSON object of non-personal parameters. */
  params: string;
  opened_at: number;
  due_at: number;
  answer_by: number;
  verified_at: number | null;
  started_at: number | null;
  closed_at: number | null;
  refusal_reason: string | null;
  complaint_route: string | null;
  /** JSON object: non-personal outcome summary. */
  result: string | null;
  reminded_at: number | null;
}

export interface RightsRequestEventsTable {
  request_id: string;
  seq: number;
  at: number;
  from_state: string | null;
  to_state: string;
  actor: string;
}

/** Portability packages this instance imported (a package is imported once). */
export interface RightsImportsTable {
  package_id: string;
  key_id: string;
  issued_at: number;
  imported_at: number;
  subjects: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    rights_requests: RightsRequestsTable;
    rights_request_events: RightsRequestEventsTable;
    rights_imports: RightsImportsTable;
  }
}

export const rightsMigrations: Record<string, Migration> = {
  '202611270310_rights_requests': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('rights_requests')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('identity_method', 'text')
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('opened_at', t.bigint, (c) => c.notNull())
        .addColumn('due_at', t.bigint, (c) => c.notNull())
        .addColumn('answer_by', t.bigint, (c) => c.notNull())
        .addColumn('verified_at', t.bigint)
        .addColumn('started_at', t.bigint)
        .addColumn('closed_at', t.bigint)
        .addColumn('refusal_reason', 'text')
        .addColumn('complaint_route', 'text')
        .addColumn('result', 'text')
        .addColumn('reminded_at', t.bigint)
        .execute();
      await db.schema
        .createIndex('rights_requests_open_due')
        .ifNotExists()
        .on('rights_requests')
        .columns(['closed_at', 'due_at'])
        .execute();
      await db.schema
        .createIndex('rights_requests_subject')
        .ifNotExists()
        .on('rights_requests')
        .columns(['subject_id', 'opened_at'])
        .execute();
      await db.schema
        .createTable('rights_request_events')
        .ifNotExists()
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', t.bigint, (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rights_request_events_pk', ['request_id', 'seq'])
        .execute();
    },
  },
  '202611270530_rights_imports': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('rights_imports')
        .ifNotExists()
        .addColumn('package_id', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('issued_at', t.bigint, (c) => c.notNull())
        .addColumn('imported_at', t.bigint, (c) => c.notNull())
        .addColumn('subjects', 'integer', (c) => c.notNull())
        .execute();
    },
  },
};

export async function selectImport(
  db: Db,
  packageId: string,
): Promise<RightsImportsTable | undefined> {
  return db
    .selectFrom('rights_imports')
    .selectAll()
    .where('package_id', '=', packageId)
    .executeTakeFirst();
}

export async function insertImport(db: Db, row: RightsImportsTable): Promise<void> {
  await db.insertInto('rights_imports').values(row).execute();
}

type Db = Kysely<Database>;

export async function insertRequest(db: Db, row: RightsRequestsTable): Promise<void> {
  await db.insertInto('rights_requests').values(row).execute();
}

export async function selectRequest(db: Db, id: string): Promise<RightsRequestsTable | undefined> {
  return db.selectFrom('rights_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function selectRequests(
  db: Db,
  filter: { openOnly?: boolean; dueBefore?: number; subjectId?: string } = {},
): Promise<RightsRequestsTable[]> {
  let q = db.selectFrom('rights_requests').selectAll();
  if (filter.openOnly === true) {
    q = q.where('closed_at', 'is', null);
  }
  if (filter.dueBefore !== undefined) {
    q = q.where('due_at', '<=', filter.dueBefore);
  }
  if (filter.subjectId !== undefined) {
    q = q.where('subject_id', '=', filter.subjectId);
  }
  return q.orderBy('due_at').orderBy('id').execute();
}

/** Moves a request from `from` to a new state (optimistic: fails if another process moved it). */
export async function updateRequest(
  db: Db,
  id: string,
  from: string,
  set: Partial<Omit<RightsRequestsTable, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('rights_requests')
    .set(set)
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markReminded(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('rights_requests').set({ reminded_at: at }).where('id', '=', id).execute();
}

export async function insertRequestEvent(
  db: Db,
  row: Omit<RightsRequestEventsTable, 'seq'>,
): Promise<void> {
  const last = await db
    .selectFrom('rights_request_events')
    .select((eb) => eb.fn.max('seq').as('s'))
    .where('request_id', '=', row.request_id)
    .executeTakeFirst();
  await db
    .insertInto('rights_request_events')
    .values({ ...row, seq: Number(last?.s ?? 0) + 1 })
    .execute();
}

export async function selectRequestEvents(db: Db, id: string): Promise<RightsRequestEventsTable[]> {
  return db
    .selectFrom('rights_request_events')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('seq')
    .execute();
}
