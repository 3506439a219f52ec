// SPDX-License-Identifier: Apache-2.0
/** @module The analytics capability as one module object (DP releases over the privacy protocols, their parties and the budget ledger), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerAnalyticsCommands } from './commands.js';
import type { AnalyticsPorts } from './ports.js';

export type { AnalyticsPorts } from './ports.js';

/** The analytics module; the composition root hands it the instance vault as `ports`. */
export function analyticsModule(ports: AnalyticsPorts): CapabilityModule {
  return {
    name: 'analytics',
    migrations: async () => (await import('./repository.js')).privacyLedgerMigrations,
    commands: (program) => registerAnalyticsCommands(program, ports),
  };
}
