// SPDX-License-Identifier: Apache-2.0
/** @module The tripcard capability as one module object (the carrier trip card), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerTripcardCommands } from './commands.js';

export const tripcardModule: CapabilityModule = {
  name: 'tripcard',
  migrations: async () => (await import('./repository.js')).tripcardMigrations,
  jobs: async () => [(await import('./jobs.js')).tripcardPurgeJob],
  commands: registerTripcardCommands,
};
