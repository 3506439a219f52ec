// SPDX-License-Identifier: Apache-2.0
/** @module The codes capability as one module object (colour rules, signed tokens, trust lists, DCC), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerCodesCommands } from './commands.js';

export const codesModule: CapabilityModule = {
  name: 'codes',
  migrations: async () => (await import('./repository.js')).codesMigrations,
  jobs: async () => (await import('./jobs.js')).codesJobs((store) => store.keyring.keyWrapper()),
  commands: registerCodesCommands,
};
