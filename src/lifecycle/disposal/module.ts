// SPDX-License-Identifier: Apache-2.0
/** @module The disposal capability as one module object (inventory, plans, runs, verification, certificates), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerDisposalCommands } from './commands.js';
import type { DisposalPorts } from './context.js';

/** The disposal module, given the context the root assembles. */
export function disposalModule(ports: DisposalPorts): CapabilityModule {
  return {
    name: 'disposal',
    migrations: async () => (await import('./migrations.js')).disposalMigrations,
    jobs: async () => (await import('./jobs.js')).disposalJobs(ports),
    commands: (program) => registerDisposalCommands(program, ports),
  };
}
