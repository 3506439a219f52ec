// SPDX-License-Identifier: Apache-2.0
/** @module The rights capability as one module object (data-subject requests and portability), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerImportCommands, registerRightsCommands } from './commands.js';

export const rightsModule: CapabilityModule = {
  name: 'rights',
  migrations: async () => (await import('./repository.js')).rightsMigrations,
  jobs: async () => (await import('./jobs.js')).rightsJobs,
  commands: (program) => {
    registerRightsCommands(program);
    registerImportCommands(program);
  },
};
