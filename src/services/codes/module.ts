// SPDX-License-Identifier: Apache-2.0
/** @module The codes capability as one module object (colour rules, signed tokens, trust lists, DCC), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerCodesCommands } from './commands.js';
import type { CodesPorts } from './ports.js';

export type { CodesPorts } from './ports.js';

/** The codes module; the composition root hands it the instance vault as `ports`. */
export function codesModule(ports: CodesPorts): CapabilityModule {
  return {
    name: 'codes',
    migrations: async () => (await import('./repository.js')).codesMigrations,
    jobs: async () => (await import('./jobs.js')).codesJobs((store) => store.keyring.keyWrapper()),
    commands: (program) => registerCodesCommands(program, ports),
  };
}
