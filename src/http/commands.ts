// SPDX-License-Identifier: Apache-2.0
/** @module CLI declarations for the http capability; implementations load lazily. */
import type { Command } from 'commander';

export function registerHttpCommands(_program: Command): void {}
