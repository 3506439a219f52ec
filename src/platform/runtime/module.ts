// SPDX-License-Identifier: Apache-2.0
/**
 * @module The capability module: what one capability contributes to an instance — its tables, its
 * periodic jobs, its commands — as one object. Only the composition root (src/edges/app) collects
 * them; a capability never reaches for another's module. Tables and jobs load through the module's
 * own loaders, so declaring every command (what `healthcode --help` needs) loads no implementation.
 */
import type { Command } from 'commander';
import type { Migration } from '../db/index.js';
import type { Job } from './jobs.js';

export type Migrations = Readonly<Record<string, Migration>>;

export interface CapabilityModule {
  /** The capability's name, e.g. `vault`; unique among modules. */
  readonly name: string;
  /** Its timestamped migrations (names order them globally), loaded when an instance opens. */
  readonly migrations?: () => Promise<Migrations>;
  /** Its periodic jobs, loaded when jobs run or are listed. */
  readonly jobs?: () => Promise<readonly Job[]>;
  /** Declares its commands on the program; each implementation loads when its command runs. */
  readonly commands?: (program: Command) => void;
}

/** Every module's migrations in one record; a name declared twice is a programming error. */
export async function collectMigrations(modules: readonly CapabilityModule[]): Promise<Migrations> {
  const all: Record<string, Migration> = {};
  for (const m of modules) {
    for (const [name, migration] of Object.entries((await m.migrations?.()) ?? {})) {
      if (name in all) {
        throw new RangeError(`migration ${name} is declared twice (module ${m.name})`);
      }
      all[name] = migration;
    }
  }
  return all;
}

/** Every module's jobs, in module order; a job name declared twice is a programming error. */
export async function collectJobs(modules: readonly CapabilityModule[]): Promise<Job[]> {
  const all: Job[] = [];
  for (const m of modules) {
    for (const job of (await m.jobs?.()) ?? []) {
      if (all.some((j) => j.name === job.name)) {
        throw new RangeError(`job ${job.name} is declared twice (module ${m.name})`);
      }
      all.push(job);
    }
  }
  return all;
}
