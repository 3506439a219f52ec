// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `DIALECTS` loop (STYLE.md §11): every repository test runs on SQLite and on
 * PostgreSQL. Each call gets a fresh data dir and, on PostgreSQL, a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Store, type StoreOptions } from '../../src/platform/runtime/index.js';
import { openInstance } from '../../src/edges/app/index.js';
import type { DialectName } from '../../src/platform/db/index.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Creates an empty PostgreSQL database on the test server and returns its URL. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject('pgAdminUrl');
  const name = `hc_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestInstance {
  readonly store: Store;
  readonly dataDir: string;
  /** Set on PostgreSQL: pass as HEALTHCODE_DB_URL to child processes. */
  readonly dbUrl: string | undefined;
  cleanup(): Promise<void>;
}

/** A fresh data dir (and database) on the given engine. */
export async function createTestInstance(
  dialect: DialectName,
  options: Partial<StoreOptions> = {},
): Promise<TestInstance> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'hc-test-')), 'data');
  const pgDb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const store = await openInstance({ dataDir, dbUrl: pgDb?.url, create: true, ...options });
  return {
    store,
    dataDir,
    dbUrl: pgDb?.url,
    async cleanup() {
      await store.close();
      await pgDb?.drop();
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}
