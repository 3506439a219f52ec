// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's command declarations, in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerDomainCommands } from '../domain/commands.js';
import { registerScanCommands } from '../scan/commands.js';
import { registerSimCommands } from '../sim/commands.js';
import { registerHttpCommands } from '../http/commands.js';
import { registerJobCommands } from '../app/commands.js';
import { registerPrivacyCommands } from '../privacy/commands.js';
import { registerAuditCommands } from '../audit/commands.js';
import { registerCodesCommands } from '../codes/commands.js';
import { registerConsentCommands } from '../consent/commands.js';
import { registerImportCommands, registerRightsCommands } from '../rights/commands.js';
import { registerDisposalCommands } from '../disposal/commands.js';
import { registerAccountsCommands } from '../accounts/commands.js';
import { registerKeysCommands } from '../keys/commands.js';
import { registerVaultCommands } from '../vault/commands.js';
import { registerTripcardCommands } from '../tripcard/commands.js';

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
      (await (await import('../vault/index.js')).instanceVault(store)).vault,
  });
  registerRightsCommands(program);
  registerImportCommands(program);
  registerDisposalCommands(program);
  registerAccountsCommands(program);
  registerKeysCommands(program);
  registerVaultCommands(program);
  registerTripcardCommands(program);
}
