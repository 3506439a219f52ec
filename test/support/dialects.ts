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

const ALL_DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/**
 * The engines named in `HEALTHCODE_TEST_DIALECTS` (comma-separated), or both when it is unset.
 * Only `npm run mutation` narrows it, to SQLite, so that each mutant's run stays short; a typo
 * fails loudly rather than silently running fewer engines.
 */
export function dialectsFromEnv(value: string | undefined): readonly DialectName[] {
  if (value === undefined || value.trim() === '') {
    return ALL_DIALECTS;
  }
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!ALL_DIALECTS.includes(name as DialectName)) {
      throw new Error(
        `HEALTHCODE_TEST_DIALECTS names an unknown engine "${name}"; use ${ALL_DIALECTS.join(' and/or ')}`,
      );
    }
  }
  return ALL_DIALECTS.filter((dialect) => names.includes(dialect));
}

export const DIALECTS: readonly DialectName[] = dialectsFromEnv(
  process.env.HEALTHCODE_TEST_DIALECTS,
);

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
