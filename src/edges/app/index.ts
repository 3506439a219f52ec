// SPDX-License-Identifier: Apache-2.0
/** @module The composition root: every capability module, and instances opened with all of them. */
export { modules, moduleNamed } from './modules.js';
export { openInstance, allMigrations, allJobs } from './instance.js';
export type { InstanceOptions } from './instance.js';
export {
  disposalContext,
  instanceVault,
  rightsRuntime,
  instanceIdentity,
  instanceTripcard,
  tripcardPorts,
} from './wiring/index.js';
export { seedingSink } from './seed/sink.js';
export type { SeedingSinkOptions } from './seed/sink.js';
