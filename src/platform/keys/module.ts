// SPDX-License-Identifier: Apache-2.0
/** @module The keys capability as one module object (the keyring: master key, KEKs, data keys, rotation, custody), collected by the composition root. */
import type { CapabilityModule } from '../runtime/module.js';
import { registerKeysCommands } from './commands.js';
import type { KeysPorts } from './ports.js';

export type { KeysPorts } from './ports.js';

/** The keys module; the composition root hands it the audit log as `ports`. */
export function keysModule(ports: KeysPorts): CapabilityModule {
  return {
    name: 'keys',
    jobs: async () => [(await import('./jobs.js')).keysRotateJob],
    commands: (program) => registerKeysCommands(program, ports),
  };
}
