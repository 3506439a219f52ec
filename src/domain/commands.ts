// SPDX-License-Identifier: Apache-2.0
/** @module CLI declarations for the domain capability; implementations load lazily. */
import type { Command } from 'commander';

export function registerDomainCommands(_program: Command): void {}
