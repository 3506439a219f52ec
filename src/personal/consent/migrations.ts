// SPDX-License-Identifier: Apache-2.0
/**
 * @module Schema of the consent capability: catalogue, notices, PIA records, the ledger,
 * receipts and keys, deletion triggers and repurposing campaigns. The built-in catalogue is
 * seeded at first use (see catalogue-service.ts), with the instance's clock.
 */
import type { Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

export const consentMigrations: Record<string, Migration> = {
  '202611270300_consent_catalogue': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('consent_purposes')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('valid_from', t.bigint, (c) => c.notNull())
        .addColumn('valid_to', t.bigint)
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('retention', 'text', (c) => c.notNull())
        .addColumn('separate_consent', t.bool, (c) => c.notNull())
        .addColumn('guardian_rule', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('builtin', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('consent_services')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('purposes', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('core', t.bool, (c) => c.notNull())
        .addColumn('valid_from', t.bigint, (c) => c.notNull())
        .addColumn('valid_to', t.bigint)
        .addColumn('builtin', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('consent_version')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', t.bigint, (c) => c.notNull())
        .execute();
      // Version 0 means "catalogue not seeded yet"; the first user seeds it and moves to 1.
      await db
        .insertInto('consent_version')
        .values({ id: 1, version: 0 })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await db.schema
        .createTable('consent_notices')
        .ifNotExists()
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('published_at', t.bigint, (c) => c.notNull())
        .addColumn('superseded_at', t.bigint)
        .addUniqueConstraint('consent_notices_version_uq', ['kind', 'language', 'version'])
        .execute();
      await db.schema
        .createTable('consent_pia')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('lawfulness', 'text', (c) => c.notNull())
        .addColumn('necessity', 'text', (c) => c.notNull())
        .addColumn('impact', 'text', (c) => c.notNull())
        .addColumn('safeguards', 'text', (c) => c.notNull())
        .addColumn('assessor', 'text', (c) => c.notNull())
        .addColumn('assessed_at', t.bigint, (c) => c.notNull())
        .addColumn('keep_until', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consent_pia_kind_ref')
        .ifNotExists()
        .on('consent_pia')
        .columns(['kind', 'ref'])
        .execute();
    },
  },
  '202611270301_consent_ledger': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('consent_events')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('purpose_id', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('separate', t.bool, (c) => c.notNull())
        .addColumn('by_guardian', t.bool, (c) => c.notNull())
        .addColumn('guardian_id', 'text')
        .addColumn('notice_hash', 'text')
        .addColumn('collection_method', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', t.bigint, (c) => c.notNull())
        .addColumn('receipt_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consent_events_subject')
        .ifNotExists()
        .on('consent_events')
        .columns(['subject_id', 'at'])
        .execute();
      await db.schema
        .createTable('consent_current')
        .ifNotExists()
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('purpose_id', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('granted_at', t.bigint, (c) => c.notNull())
        .addColumn('withdrawn_at', t.bigint)
        .addColumn('separate', t.bool, (c) => c.notNull())
        .addColumn('by_guardian', t.bool, (c) => c.notNull())
        .addColumn('guardian_id', 'text')
        .addColumn('notice_hash', 'text', (c) => c.notNull())
        .addColumn('grant_event_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_current_pk', ['subject_id', 'purpose_id', 'category'])
        .execute();
      await db.schema
        .createIndex('consent_current_purpose')
        .ifNotExists()
        .on('consent_current')
        .columns(['purpose_id', 'subject_id'])
        .execute();
      await db.schema
        .createTable('consent_receipts')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('issued_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consent_receipts_subject')
        .ifNotExists()
        .on('consent_receipts')
        .columns(['subject_id', 'issued_at'])
        .execute();
      await db.schema
        .createTable('consent_receipt_keys')
        .ifNotExists()
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('public_key', t.blob, (c) => c.notNull())
        .addColumn('wrapped_private', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('retired_at', t.bigint)
        .execute();
      await db.schema
        .createTable('deletion_triggers')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('purpose_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('retained', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('consumed_at', t.bigint)
        .execute();
      await db.schema
        .createIndex('deletion_triggers_pending')
        .ifNotExists()
        .on('deletion_triggers')
        .columns(['consumed_at', 'created_at'])
        .execute();
    },
  },
  '202611270302_consent_campaigns': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('consent_campaigns')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('purpose_id', 'text', (c) => c.notNull())
        .addColumn('from_purposes', 'text', (c) => c.notNull())
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('notice_hash', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('closed_at', t.bigint)
        .execute();
      await db.schema
        .createTable('consent_campaign_invitations')
        .ifNotExists()
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('invited_at', t.bigint, (c) => c.notNull())
        .addColumn('answered_at', t.bigint)
        .addColumn('answer', 'text')
        .addPrimaryKeyConstraint('consent_campaign_invitations_pk', ['campaign_id', 'subject_id'])
        .execute();
    },
  },
  '202611271600_consent_guardian_index': {
    // The citizen portal lists a guardian's dependants from their consent acts (PIPL art. 31).
    async up(db) {
      await db.schema
        .createIndex('consent_events_guardian')
        .ifNotExists()
        .on('consent_events')
        .column('guardian_id')
        .execute();
    },
  },
};
