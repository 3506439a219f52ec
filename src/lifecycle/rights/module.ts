// SPDX-License-Identifier: Apache-2.0
/** @module The rights capability as one module object (data-subject requests and portability), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerImportCommands, registerRightsCommands } from './commands.js';
import type { RightsPorts } from './runtime.js';

/** The rights module, given the runtime and instance vault the root assembles. */
export function rightsModule(ports: RightsPorts): CapabilityModule {
  return {
    name: 'rights',
    migrations: async () => (await import('./repository.js')).rightsMigrations,
    jobs: async () => (await import('./jobs.js')).rightsJobs(ports),
    commands: (program) => {
      registerRightsCommands(program, ports);
      registerImportCommands(program, ports);
    },
  };
}
