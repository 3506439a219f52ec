// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's command declarations, in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerDomainCommands } from './reference-commands.js';
import { registerScanCommands } from '../../foundation/scan/commands.js';
import { registerSimCommands } from '../../foundation/sim/commands.js';
import { registerHttpCommands } from '../http/commands.js';
import { registerJobCommands } from '../app/commands.js';
import { registerPrivacyCommands } from '../../foundation/privacy/commands.js';
import { registerAuditCommands } from '../../foundation/audit/commands.js';
import { registerCodesCommands } from '../../services/codes/commands.js';
import { registerConsentCommands } from '../../personal/consent/commands.js';
import { registerImportCommands, registerRightsCommands } from '../../lifecycle/rights/commands.js';
import { registerDisposalCommands } from '../../lifecycle/disposal/commands.js';
import { registerAccountsCommands } from '../../foundation/accounts/commands.js';
import { registerKeysCommands } from '../../platform/keys/commands.js';
import { registerVaultCommands } from '../../personal/vault/commands.js';
import { registerTripcardCommands } from '../../services/tripcard/commands.js';

export function registerAll(program: Command): void {
  registerHttpCommands(program);
  registerSimCommands(program);
  registerDomainCommands(program);
  registerScanCommands(program);
  registerJobCommands(program);
  registerPrivacyCommands(program);
  registerAuditCommands(program);
  registerCodesCommands(program);
  registerConsentCommands(program, {
    // The vault knows each subject's age (PIPL art. 31); the consent ledger asks it, never argv.
    subjectFacts: async (store) =>
      (await (await import('../../personal/vault/index.js')).instanceVault(store)).vault,
  });
  registerRightsCommands(program);
  registerImportCommands(program);
  registerDisposalCommands(program);
  registerAccountsCommands(program);
  registerKeysCommands(program);
  registerVaultCommands(program);
  registerTripcardCommands(program);
}
