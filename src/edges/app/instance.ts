// SPDX-License-Identifier: Apache-2.0
/**
 * @module Opens an instance with every capability's tables: the store of the runtime, handed the
 * migrations of every module. The server, tests and benchmarks open instances through it.
 */
import { collectJobs, collectMigrations, type Migrations } from '../../platform/runtime/module.js';
import { openStore, type Store, type StoreOptions } from '../../platform/runtime/store.js';
import type { Job } from '../../platform/runtime/jobs.js';
import { modules } from './modules.js';

let migrations: Promise<Migrations> | undefined;

/** Every module's migrations (collected once per process). */
export function allMigrations(): Promise<Migrations> {
  migrations ??= collectMigrations(modules);
  return migrations;
}

/** Every module's periodic jobs. */
export function allJobs(): Promise<Job[]> {
  return collectJobs(modules);
}

export type InstanceOptions = Omit<StoreOptions, 'migrations'>;

/** Opens (and, when allowed, creates) an instance with every capability's schema up to date. */
export async function openInstance(options: InstanceOptions): Promise<Store> {
  return openStore({ ...options, migrations: await allMigrations() });
}
