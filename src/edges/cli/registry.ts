// SPDX-License-Identifier: Apache-2.0
/** @module Every command declaration, in the order `--help` lists them. */
import type { Command } from 'commander';
import { registerJobCommands } from '../app/commands.js';
import { moduleNamed, modules } from '../app/modules.js';
import { registerHttpCommands } from '../http/commands.js';
import { bindInstance } from '../../platform/runtime/cli-kit.js';
import { collectMigrations } from '../../platform/runtime/module.js';
import { registerDomainCommands } from './reference-commands.js';

/** Binds the instance's migrations to the program and declares every command. */
export function registerAll(program: Command): void {
  bindInstance(program, { migrations: () => collectMigrations(modules) });
  const commands = (name: string) => moduleNamed(name).commands?.(program);
  registerHttpCommands(program);
  commands('sim');
  registerDomainCommands(program);
  commands('scan');
  registerJobCommands(program);
  commands('analytics');
  commands('audit');
  commands('codes');
  commands('consent');
  commands('rights');
  commands('disposal');
  commands('accounts');
  commands('keys');
  commands('vault');
  commands('tripcard');
}
