// SPDX-License-Identifier: Apache-2.0
/** @module The scan capability as one module object (the residual scan for canary values), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerScanCommands } from './commands.js';

export const scanModule: CapabilityModule = { name: 'scan', commands: registerScanCommands };
