// SPDX-License-Identifier: Apache-2.0
/** @module The vault capability as one module object (encrypted, purpose-scoped personal data), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerVaultCommands } from './commands.js';
import type { VaultPorts } from './instance.js';

/** The vault module, given the instance vault the root assembles (audit log and consent guard). */
export function vaultModule(ports: VaultPorts): CapabilityModule {
  return {
    name: 'vault',
    migrations: async () => (await import('./repository.js')).vaultMigrations,
    jobs: async () => [(await import('./jobs.js')).vaultResumeJob(ports)],
    commands: (program) => registerVaultCommands(program, ports),
  };
}
