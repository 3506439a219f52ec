// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for the privacy budget ledger and the release register (SQL only). A budget is per
 * dataset and analyst, in zCDP ρ; each query reserves its charge before any work and settles it as
 * spent (something was revealed) or refunded (aborted before any reveal). Releases keep their
 * mechanism, k, suppressed count and linkage-test result (DOMAIN.md §6 req. 23–24). The ledger
 * lives here, above the privacy protocols (which know no database); its migrations keep their
 * names, so existing databases still match.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

export interface PrivacyBudgetTable {
  dataset: string;
  analyst: string;
  rho_budget: number;
  created_at: number;
}

export interface PrivacyChargeTable {
  id: string;
  dataset: string;
  analyst: string;
  job_id: string;
  rho: number;
  xi: number;
  /** `reserved` | `spent` | `refunded` */
  status: string;
  created_at: number;
  settled_at: number | null;
}

export interface PrivacyReleaseTable {
  id: string;
  job_id: string;
  dataset: string;
  analyst: string;
  query: string; // JSON
  mechanism: string; // JSON: noise, ρ, ξ, ε@δ, contribution bound
  k: number;
  suppressed: number;
  linkage: string; // JSON LinkageResult
  cells: string; // JSON released values
  created_at: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    privacy_budgets: PrivacyBudgetTable;
    privacy_charges: PrivacyChargeTable;
    privacy_releases: PrivacyReleaseTable;
  }
}

export const privacyLedgerMigrations: Record<string, Migration> = {
  '202611270900_privacy_ledger': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      const real = dialect === 'sqlite' ? 'real' : 'double precision';
      await db.schema
        .createTable('privacy_budgets')
        .ifNotExists()
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('analyst', 'text', (c) => c.notNull())
        .addColumn('rho_budget', sql.raw(real), (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('privacy_budgets_pk', ['dataset', 'analyst'])
        .execute();
      await db.schema
        .createTable('privacy_charges')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('analyst', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('rho', sql.raw(real), (c) => c.notNull())
        .addColumn('xi', sql.raw(real), (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('settled_at', t.bigint)
        .execute();
      await db.schema
        .createIndex('privacy_charges_owner')
        .ifNotExists()
        .on('privacy_charges')
        .columns(['dataset', 'analyst'])
        .execute();
    },
  },
  '202611270901_privacy_releases': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('privacy_releases')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('dataset', 'text', (c) => c.notNull())
        .addColumn('analyst', 'text', (c) => c.notNull())
        .addColumn('query', t.json, (c) => c.notNull())
        .addColumn('mechanism', t.json, (c) => c.notNull())
        .addColumn('k', 'integer', (c) => c.notNull())
        .addColumn('suppressed', 'integer', (c) => c.notNull())
        .addColumn('linkage', t.json, (c) => c.notNull())
        .addColumn('cells', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
};

type Db = Kysely<Database> | Transaction<Database>;

/** Inserts the budget row when missing (first use of a dataset by an analyst). */
export async function ensureBudget(
  db: Db,
  row: { dataset: string; analyst: string; rhoBudget: number; at: number },
): Promise<void> {
  await db
    .insertInto('privacy_budgets')
    .values({
      dataset: row.dataset,
      analyst: row.analyst,
      rho_budget: row.rhoBudget,
      created_at: row.at,
    })
    .onConflict((oc) => oc.columns(['dataset', 'analyst']).doNothing())
    .execute();
}

/** Sets a budget (an operator decision). */
export async function setBudget(
  db: Db,
  dataset: string,
  analyst: string,
  rho: number,
  at: number,
): Promise<void> {
  await db
    .insertInto('privacy_budgets')
    .values({ dataset, analyst, rho_budget: rho, created_at: at })
    .onConflict((oc) => oc.columns(['dataset', 'analyst']).doUpdateSet({ rho_budget: rho }))
    .execute();
}

/** Reads a budget row, locking it on PostgreSQL so concurrent reservations serialise. */
export async function lockBudget(
  db: Db,
  dataset: string,
  analyst: string,
  lock: boolean,
): Promise<{ rho_budget: number } | undefined> {
  let q = db
    .selectFrom('privacy_budgets')
    .select('rho_budget')
    .where('dataset', '=', dataset)
    .where('analyst', '=', analyst);
  if (lock) {
    q = q.forUpdate();
  }
  return q.executeTakeFirst();
}

/** The ρ + ξ already reserved or spent. */
export async function committedCharge(db: Db, dataset: string, analyst: string): Promise<number> {
  const rows = await db
    .selectFrom('privacy_charges')
    .select(['rho', 'xi'])
    .where('dataset', '=', dataset)
    .where('analyst', '=', analyst)
    .where('status', 'in', ['reserved', 'spent'])
    .execute();
  return rows.reduce((a, r) => a + Number(r.rho) + Number(r.xi), 0);
}

export async function insertCharge(db: Db, row: PrivacyChargeTable): Promise<void> {
  await db.insertInto('privacy_charges').values(row).execute();
}

/** Moves a reserved charge to `spent` or `refunded`; returns false when it was not reserved. */
export async function settleCharge(
  db: Db,
  id: string,
  status: 'spent' | 'refunded',
  at: number,
): Promise<boolean> {
  const r = await db
    .updateTable('privacy_charges')
    .set({ status, settled_at: at })
    .where('id', '=', id)
    .where('status', '=', 'reserved')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertRelease(db: Db, row: PrivacyReleaseTable): Promise<void> {
  await db.insertInto('privacy_releases').values(row).execute();
}

export async function findRelease(db: Db, id: string): Promise<PrivacyReleaseTable | undefined> {
  return db.selectFrom('privacy_releases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listReleases(db: Db, dataset: string): Promise<PrivacyReleaseTable[]> {
  return db
    .selectFrom('privacy_releases')
    .selectAll()
    .where('dataset', '=', dataset)
    .orderBy('created_at')
    .execute();
}
