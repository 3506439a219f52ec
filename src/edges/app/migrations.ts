// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every capability's migrations, collected at the composition root (the only place that
 * knows all capabilities). Names are timestamped, so the order is global.
 */
import type { Migration } from '../../platform/db/index.js';
import { appMigrations } from '../../platform/runtime/schema.js';
import { auditMigrations } from '../../foundation/audit/index.js';
import { accountsMigrations } from '../../foundation/accounts/index.js';
import { privacyMigrations } from '../../foundation/privacy/index.js';
import { consentMigrations } from '../../personal/consent/index.js';
import { rightsMigrations } from '../../lifecycle/rights/index.js';
import { outboxMigrations } from '../../foundation/outbox/index.js';
import { disposalMigrations } from '../../lifecycle/disposal/index.js';
import { vaultMigrations } from '../../personal/vault/index.js';
import { codesMigrations } from '../../services/codes/index.js';
import { tripcardMigrations } from '../../services/tripcard/index.js';

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
