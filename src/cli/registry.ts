// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's command declarations, in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerDomainCommands } from '../domain/commands.js';
import { registerScanCommands } from '../scan/commands.js';
import { registerSimCommands } from '../sim/commands.js';
import { registerHttpCommands } from '../http/commands.js';
import { registerJobCommands } from '../app/commands.js';

export function registerAll(program: Command): void {
  registerHttpCommands(program);
  registerSimCommands(program);
  registerDomainCommands(program);
  registerScanCommands(program);
  registerJobCommands(program);
}
