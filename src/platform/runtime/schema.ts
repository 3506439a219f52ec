// SPDX-License-Identifier: Apache-2.0
/** @module Tables owned by the runtime itself: job state. */
import type { Migration } from '../db/index.js';
import { columnTypes } from '../db/index.js';

export interface JobsTable {
  name: string;
  last_run_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    jobs: JobsTable;
  }
}

export const runtimeMigrations: Record<string, Migration> = {
  '202611270000_app_jobs': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('jobs')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('last_run_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
};
