// SPDX-License-Identifier: Apache-2.0
/** @module The privacy capability as one module object (secret sharing, DP, PSI and party processes), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerPrivacyCommands } from './commands.js';

export const privacyModule: CapabilityModule = {
  name: 'privacy',
  migrations: async () => (await import('./repository.js')).privacyMigrations,
  commands: registerPrivacyCommands,
};
