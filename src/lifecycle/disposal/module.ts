// SPDX-License-Identifier: Apache-2.0
/** @module The disposal capability as one module object (inventory, plans, runs, verification, certificates), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerDisposalCommands } from './commands.js';

export const disposalModule: CapabilityModule = {
  name: 'disposal',
  migrations: async () => (await import('./migrations.js')).disposalMigrations,
  jobs: async () => (await import('./jobs.js')).disposalJobs(),
  commands: registerDisposalCommands,
};
