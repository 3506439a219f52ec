// SPDX-License-Identifier: Apache-2.0
/**
 * @module Timestamped migrations, contributed by each capability and run by the composition root.
 * A migration receives the dialect so it can pick engine-specific column types in one place.
 */
import { Migrator, type Kysely, type Migration as KyselyMigration } from 'kysely';
import type { Db } from './connect.js';
import type { DialectName } from './schema.js';

/** One schema step. Names sort in time order: `YYYYMMDDHHMM_capability_what`. */
export interface Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Column types that differ between the engines. */
export function columnTypes(dialect: DialectName) {
  return dialect === 'sqlite'
    ? ({ blob: 'blob', bigint: 'integer', text: 'text', bool: 'integer', json: 'text' } as const)
    : ({ blob: 'bytea', bigint: 'bigint', text: 'text', bool: 'boolean', json: 'text' } as const);
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(
  db: Db,
  migrations: Record<string, Migration>,
): Promise<void> {
  const bound: Record<string, KyselyMigration> = {};
  for (const [name, m] of Object.entries(migrations)) {
    bound[name] = { up: (k) => m.up(k, db.dialect) };
  }
  const migrator = new Migrator({
    db: db.kysely,
    // Capabilities land independently; each migration touches only its own tables.
    allowUnorderedMigrations: true,
    provider: { getMigrations: () => Promise.resolve(bound) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? '(unknown)'} failed`, {
      cause: error,
    });
  }
}
