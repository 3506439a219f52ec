// SPDX-License-Identifier: Apache-2.0
/** @module SQL for accounts and API tokens. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { columnTypes, type Migration } from '../../platform/db/index.js';

export interface AccountsTable {
  id: string;
  name: string;
  role: string;
  public_key: string | null;
  /** The private signing key, wrapped through the keyring's KeyWrapper. */
  wrapped_private_key: Buffer | null;
  created_at: number;
  disabled_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  secret_hash: Buffer;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

/** A citizen's portal session after a one-time-code login: bound to an opaque subject id. */
export interface CitizenSessionsTable {
  id: string;
  subject_id: string;
  secret_hash: Buffer;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    accounts: AccountsTable;
    api_tokens: ApiTokensTable;
    citizen_sessions: CitizenSessionsTable;
  }
}

export const accountsMigrations: Record<string, Migration> = {
  '202611270130_accounts_tables': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text')
        .addColumn('wrapped_private_key', t.blob)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('disabled_at', t.bigint)
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('secret_hash', t.blob, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('revoked_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
  '202611270445_accounts_citizen_sessions': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('citizen_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('secret_hash', t.blob, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('revoked_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
};

export function findAccountByName(db: Kysely<Database>, name: string) {
  return db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listAccountRows(db: Kysely<Database>) {
  return db.selectFrom('accounts').selectAll().orderBy('name').execute();
}

export function findTokenWithAccount(db: Kysely<Database>, tokenId: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('accounts', 'accounts.id', 'api_tokens.account_id')
    .select([
      'api_tokens.id as id',
      'api_tokens.secret_hash as secret_hash',
      'api_tokens.expires_at as expires_at',
      'api_tokens.revoked_at as revoked_at',
      'accounts.name as account_name',
      'accounts.role as role',
      'accounts.disabled_at as disabled_at',
    ])
    .where('api_tokens.id', '=', tokenId)
    .executeTakeFirst();
}

export function findCitizenSession(db: Kysely<Database>, id: string) {
  return db.selectFrom('citizen_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}
