// SPDX-License-Identifier: Apache-2.0
/** @module The composition root: config, data dir, store, jobs, logger. */
export { openStore } from './store.js';
export type { Store, StoreOptions } from './store.js';
export { parseConfig, defaultConfig, assertStorageRegion } from './config.js';
export * as runtimeErrors from './errors.js';
export type { Config } from './config.js';
export { openDataDir, dataPaths, writeFileAtomic, writeFileExclusive } from './data-dir.js';
export type { DataPaths } from './data-dir.js';
export { runDueJobs } from './jobs.js';
export type { Job, JobOutcome } from './jobs.js';
export { createLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
