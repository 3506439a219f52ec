// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan of database content: on PostgreSQL the data files are not ours to
 * read, so every table is streamed row by row (text and bytea alike) into the scanner; on
 * SQLite the file scan already reads the database, WAL and key store byte for byte, so this adds
 * only a logical pass. Table names come from introspection, never from input.
 */
import { sql } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import type { Scanner, ScanHit } from './ports.js';

const PAGE = 2000;

async function* tableChunks(store: Store): AsyncIterable<{ label: string; bytes: Buffer }> {
  const db = store.db.kysely;
  const tables = await db.introspection.getTables({ withInternalKyselyTables: false });
  for (const t of tables) {
    if (t.isView) {
      continue;
    }
    const name =
      t.schema !== undefined && t.schema !== 'main' && t.schema !== 'public'
        ? `${t.schema}.${t.name}`
        : t.name;
    const ref = sql.table(name);
    for (let offset = 0; ; offset += PAGE) {
      const res = await sql<
        Record<string, unknown>
      >`select * from ${ref} limit ${PAGE} offset ${offset}`.execute(db);
      const parts: Buffer[] = [];
      for (const row of res.rows) {
        for (const v of Object.values(row)) {
          if (v instanceof Uint8Array) {
            parts.push(Buffer.from(v), Buffer.from([0]));
          } else if (v !== null && v !== undefined) {
            parts.push(Buffer.from(String(v as string | number), 'utf8'), Buffer.from([0]));
          }
        }
      }
      if (parts.length > 0) {
        yield { label: `db:${name}`, bytes: Buffer.concat(parts) };
      }
      if (res.rows.length < PAGE) {
        break;
      }
    }
  }
}

/** Hits of canaries in the database's logical content. */
export async function scanDatabase(
  store: Store,
  scanner: Scanner,
  canaries: readonly string[],
): Promise<ScanHit[]> {
  if (scanner.scanBuffers === undefined) {
    return [];
  }
  return (await scanner.scanBuffers(tableChunks(store), canaries)).hits;
}
