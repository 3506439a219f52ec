// SPDX-License-Identifier: Apache-2.0
/** @module CLI declarations for the sim capability; implementations load lazily. */
import type { Command } from 'commander';

export function registerSimCommands(_program: Command): void {}
