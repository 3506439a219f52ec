// SPDX-License-Identifier: Apache-2.0
/**
 * @module The PostgreSQL pool survives the server closing its idle connections (a restart, a
 * failover, an administrator's pg_terminate_backend): the next query reconnects and the process
 * does not die of an unhandled 'error' event.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPgDatabase } from '../../../test/support/dialects.js';
import { openDb, type Db } from './connect.js';

describe('PostgreSQL connections', () => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await db?.close();
    await drop?.();
  });

  it('reconnects after the server terminates the idle pooled connections', async () => {
    const pgDb = await createPgDatabase();
    drop = () => pgDb.drop();
    db = await openDb({ kind: 'postgres', url: pgDb.url });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // Hold two pooled connections open at once, so the pool keeps two idle clients afterwards.
    await Promise.all([
      sql`select pg_sleep(0.05)`.execute(db.kysely),
      sql`select pg_sleep(0.05)`.execute(db.kysely),
    ]);
    const name = new URL(pgDb.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: pgDb.url });
    await admin.connect();
    const terminated = await admin.query<{ n: string }>(
      'select count(*) as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()) t',
      [name],
    );
    await admin.end();
    expect(Number(terminated.rows[0]?.n)).toBe(2);
    // The idle clients learn of it asynchronously; wait until both have reported.
    await vi.waitFor(() => {
      const warnings = stderr.mock.calls.filter((c) =>
        String(c[0]).includes('PostgreSQL closed an idle connection [57P01]'),
      );
      expect(warnings).toHaveLength(2);
    });
    const r = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
    expect(r.rows).toEqual([{ one: 1 }]);
  });
});
