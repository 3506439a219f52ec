// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every capability's migrations, collected at the composition root (the only place that
 * knows all capabilities). Names are timestamped, so the order is global.
 */
import type { Migration } from '../db/index.js';
import { appMigrations } from './schema.js';
import { auditMigrations } from '../audit/index.js';
import { accountsMigrations } from '../accounts/index.js';
import { privacyMigrations } from '../privacy/index.js';
import { consentMigrations } from '../consent/index.js';
import { rightsMigrations } from '../rights/index.js';
import { outboxMigrations } from '../outbox/index.js';
import { disposalMigrations } from '../disposal/index.js';
import { vaultMigrations } from '../vault/index.js';
import { codesMigrations } from '../codes/index.js';
import { tripcardMigrations } from '../tripcard/index.js';

export const allMigrations: Record<string, Migration> = {
  ...appMigrations,
  ...auditMigrations,
  ...accountsMigrations,
  ...privacyMigrations,
  ...consentMigrations,
  ...rightsMigrations,
  ...outboxMigrations,
  ...disposalMigrations,
  ...vaultMigrations,
  ...codesMigrations,
  ...tripcardMigrations,
};
