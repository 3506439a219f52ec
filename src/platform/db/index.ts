// SPDX-License-Identifier: Apache-2.0
/** @module The storage layer: Kysely on SQLite or PostgreSQL, and migrations. */
export { openDb } from './connect.js';
export type { Db, DbTarget } from './connect.js';
export { migrateToLatest, columnTypes } from './migrate.js';
export type { Migration } from './migrate.js';
export type { Database, DialectName } from './schema.js';
