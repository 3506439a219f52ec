// SPDX-License-Identifier: Apache-2.0
/** @module Disposal's tables: runs, work items, locks, progress, recipients, notices, certificates. */
import { columnTypes, type Migration } from '../../platform/db/index.js';

export const disposalMigrations: Record<string, Migration> = {
  '202611271500_disposal_tables': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('disposal_runs')
        .ifNotExists()
        .addColumn('plan_id', 'text', (c) => c.primaryKey())
        .addColumn('plan_hash', 'text', (c) => c.notNull())
        .addColumn('plan_json', 'text', (c) => c.notNull())
        .addColumn('total', t.bigint, (c) => c.notNull())
        .addColumn('done', t.bigint, (c) => c.notNull())
        .addColumn('started_at', t.bigint, (c) => c.notNull())
        .addColumn('executed_at', t.bigint)
        .addColumn('before_json', 'text', (c) => c.notNull())
        .addColumn('after_json', 'text')
        .addColumn('anonymised_json', 'text')
        .addColumn('certificate_id', 'text')
        .execute();
      await db.schema
        .createTable('disposal_items')
        .ifNotExists()
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('erase_cats', 'text', (c) => c.notNull())
        .addColumn('restrict_cats', 'text', (c) => c.notNull())
        .addColumn('restrict_left', 'text', (c) => c.notNull())
        .addColumn('keep_cats', 'text', (c) => c.notNull())
        .addColumn('whole', 'integer', (c) => c.notNull())
        .addColumn('whole_after', 'integer', (c) => c.notNull())
        .addColumn('records_json', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('done_at', t.bigint)
        .addPrimaryKeyConstraint('disposal_items_pk', ['plan_id', 'seq'])
        .execute();
      await db.schema
        .createIndex('disposal_items_pending')
        .ifNotExists()
        .on('disposal_items')
        .columns(['plan_id', 'status', 'seq'])
        .execute();
      await db.schema
        .createTable('disposal_locks')
        .ifNotExists()
        .addColumn('plan_id', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('acquired_at', t.bigint, (c) => c.notNull())
        .addColumn('heartbeat_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('disposal_progress')
        .ifNotExists()
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('at', t.bigint, (c) => c.notNull())
        .addColumn('done', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disposal_progress_plan')
        .ifNotExists()
        .on('disposal_progress')
        .columns(['plan_id', 'at'])
        .execute();
      await db.schema
        .createTable('disposal_recipients')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('disposal_notices')
        .ifNotExists()
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('notice_id', 'text', (c) => c.notNull())
        .addColumn('sent_at', t.bigint, (c) => c.notNull())
        .addColumn('receipt', 'text')
        .addColumn('acked_at', t.bigint)
        .addPrimaryKeyConstraint('disposal_notices_pk', ['plan_id', 'party'])
        .execute();
      await db.schema
        .createTable('disposal_certificates')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('leaf_index', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('disposal_cert_requests')
        .ifNotExists()
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('certificate_id', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('issued_at', t.bigint)
        .execute();
      await db.schema
        .createTable('disposal_evidence')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('at', t.bigint, (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('disposal_keys')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('wrapped_private_key', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
};
