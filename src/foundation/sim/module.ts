// SPDX-License-Identifier: Apache-2.0
/** @module The sim capability as one module object (the deterministic synthetic city), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerSimCommands } from './commands.js';

export const simModule: CapabilityModule = { name: 'sim', commands: registerSimCommands };
