// SPDX-License-Identifier: Apache-2.0
/** @module The vault capability as one module object (encrypted, purpose-scoped personal data), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerVaultCommands } from './commands.js';

export const vaultModule: CapabilityModule = {
  name: 'vault',
  migrations: async () => (await import('./repository.js')).vaultMigrations,
  jobs: async () => [(await import('./jobs.js')).vaultResumeJob],
  commands: registerVaultCommands,
};
