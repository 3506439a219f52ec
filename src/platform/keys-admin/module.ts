// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keys capability as one module object (the keyring: master key, KEKs, data keys,
 * rotation, custody), collected by the composition root. Its commands and jobs live in this
 * folder, beside the keyring (`src/platform/keys`), because they run on an open store while the
 * runtime's store opens the keyring itself: keyring ← runtime ← keys-admin, no cycle.
 */
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
