// SPDX-License-Identifier: Apache-2.0
/** @module The accounts capability as one module object (staff accounts and bearer tokens), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerAccountsCommands } from './commands.js';

export const accountsModule: CapabilityModule = {
  name: 'accounts',
  migrations: async () => (await import('./repository.js')).accountsMigrations,
  commands: registerAccountsCommands,
};
