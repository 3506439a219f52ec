// SPDX-License-Identifier: Apache-2.0
/** @module The tripcard capability as one module object (the carrier trip card), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerTripcardCommands } from './commands.js';
import type { TripcardPorts } from './ports.js';

/** The trip-card module, given the instance vault and code identity the root wires. */
export function tripcardModule(ports: TripcardPorts): CapabilityModule {
  return {
    name: 'tripcard',
    migrations: async () => (await import('./repository.js')).tripcardMigrations,
    jobs: async () => [(await import('./jobs.js')).tripcardPurgeJob(ports)],
    commands: (program) => registerTripcardCommands(program, ports),
  };
}
