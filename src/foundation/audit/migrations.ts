// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's schema (RFC 9162 §2.1 storage): its tables, and the triggers that make
 * `audit_leaves` and `audit_checkpoints` append-only on both engines (UPDATE and DELETE refused;
 * TRUNCATE too on PostgreSQL). Row types live in `repository.ts`.
 */
import { sql } from 'kysely';
import type { DialectName, Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

/** Tables whose rows may never change once written. */
export const APPEND_ONLY_TABLES = ['audit_leaves', 'audit_checkpoints'] as const;

/** The SQL that installs the append-only triggers on one table (also used by tests to restore). */
export function appendOnlyTriggerSql(dialect: DialectName, table: string): string[] {
  if (dialect === 'sqlite') {
    return ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
        `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    );
  }
  return [
    `CREATE OR REPLACE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table} ` +
      `FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    `CREATE OR REPLACE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} ` +
      `FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
  ];
}

/** The SQL an attacker with file access would run to lift the protection (tests only). */
export function dropTriggerSql(dialect: DialectName, table: string): string[] {
  return dialect === 'sqlite'
    ? [`DROP TRIGGER IF EXISTS ${table}_no_update`, `DROP TRIGGER IF EXISTS ${table}_no_delete`]
    : [
        `DROP TRIGGER IF EXISTS ${table}_no_change ON ${table}`,
        `DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table}`,
      ];
}

export const auditMigrations: Record<string, Migration> = {
  '202611270400_audit_log': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      const indexType = dialect === 'sqlite' ? 'integer' : 'bigint';
      await db.schema
        .createTable('audit_leaves')
        .ifNotExists()
        .addColumn('leaf_index', indexType, (c) => c.primaryKey())
        .addColumn('leaf', t.blob, (c) => c.notNull())
        .addColumn('hashes', t.blob, (c) => c.notNull())
        .addColumn('subject', 'text')
        .execute();
      await db.schema
        .createTable('audit_head')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('size', t.bigint, (c) => c.notNull())
        .addColumn('frontier', t.blob, (c) => c.notNull())
        .execute();
      await db
        .insertInto('audit_head')
        .values({ id: 1, size: 0, frontier: Buffer.alloc(0) })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await db.schema
        .createTable('audit_checkpoints')
        .ifNotExists()
        .addColumn('size', t.bigint, (c) => c.primaryKey())
        .addColumn('root', t.blob, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('signed_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_period_keys')
        .ifNotExists()
        .addColumn('period', 'text', (c) => c.primaryKey())
        .addColumn('wrapped', t.blob)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('destroyed_at', t.bigint)
        .execute();
      await db.schema
        .createTable('audit_log_key')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('public_key', t.blob, (c) => c.notNull())
        .addColumn('wrapped', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      if (dialect === 'postgres') {
        await sql`CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`.execute(db);
      }
      for (const table of APPEND_ONLY_TABLES) {
        for (const statement of appendOnlyTriggerSql(dialect, table)) {
          await sql.raw(statement).execute(db);
        }
      }
    },
  },
};
