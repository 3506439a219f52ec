// SPDX-License-Identifier: Apache-2.0
/** @module The HTTP API and status page. */
export { buildHttpApp } from './app.js';
export type { HttpOptions } from './app.js';
export * as httpErrors from './errors.js';
