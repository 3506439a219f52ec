// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every capability's migrations, collected at the composition root (the only place that
 * knows all capabilities). Names are timestamped, so the order is global.
 */
import type { Migration } from '../db/index.js';
import { appMigrations } from './schema.js';
import { accountsMigrations } from '../accounts/index.js';

export const allMigrations: Record<string, Migration> = {
  ...appMigrations,
  ...accountsMigrations,
};
