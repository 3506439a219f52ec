// SPDX-License-Identifier: Apache-2.0
/**
 * @module The root's assemblies of several capabilities over one open instance: the instance
 * vault (audit log and consent guard), disposal's context, the rights runtime, the trip card and the keys' audit events. Module objects get
 * them as ports (src/edges/app/modules.ts); the server, tests and benchmarks call them directly.
 */
export { instanceVault } from './vault.js';
export { disposalContext } from './disposal.js';
export { rightsRuntime, instanceIdentity } from './rights.js';
export { instanceTripcard, tripcardPorts } from './tripcard.js';
export { recordKeyEvent } from './key-events.js';
