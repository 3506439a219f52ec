// SPDX-License-Identifier: Apache-2.0
/**
 * @module What an end-to-end test reads behind the CLI's back: one `count(*) as n` query against an
 * instance's database files, on PostgreSQL (`pgUrl`) or on the SQLite files in `dataDir`. Tables of
 * the key store are written `healthcode_keys.<table>` (its PostgreSQL schema); on SQLite they live
 * in `keys/keystore.sqlite`.
 */
import { join } from 'node:path';
import pg from 'pg';

export async function countRows(
  dataDir: string,
  pgUrl: string | undefined,
  query: string,
): Promise<number> {
  if (pgUrl !== undefined) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      return Number((await c.query<{ n: string }>(query)).rows[0].n);
    } finally {
      await c.end();
    }
  }
  const { default: Sqlite } = await import('better-sqlite3');
  const keys = query.includes('healthcode_keys.');
  const db = new Sqlite(join(dataDir, keys ? 'keys/keystore.sqlite' : 'healthcode.db'), {
    readonly: true,
  });
  try {
    return Number((db.prepare(query.replaceAll('healthcode_keys.', '')).get() as { n: number }).n);
  } finally {
    db.close();
  }
}
