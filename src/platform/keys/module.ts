// SPDX-License-Identifier: Apache-2.0
/** @module The keys capability as one module object (the keyring: master key, KEKs, data keys, rotation, custody), collected by the composition root. */
import type { CapabilityModule } from '../runtime/module.js';
import { registerKeysCommands } from './commands.js';

export const keysModule: CapabilityModule = {
  name: 'keys',
  jobs: async () => [(await import('./jobs.js')).keysRotateJob],
  commands: registerKeysCommands,
};
