// SPDX-License-Identifier: Apache-2.0
/** @module The consent capability as one module object (purposes, notices, the ledger and the guard), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerConsentCommands, type ConsentCommandDeps } from './commands.js';

/** The consent module, given what the root wires in (the vault's answer to a subject's age). */
export function consentModule(deps: ConsentCommandDeps): CapabilityModule {
  return {
    name: 'consent',
    migrations: async () => (await import('./migrations.js')).consentMigrations,
    commands: (program) => registerConsentCommands(program, deps),
  };
}
