// SPDX-License-Identifier: Apache-2.0
/** @module Shared ports and primitives: errors, clock, randomness, assertions. */
export { AppError, UsageError, NotFoundError, isAppError } from './errors.js';
export type { AppErrorOptions } from './errors.js';
export { systemClock, FixedClock, offsetClock, parseRfc3339 } from './clock.js';
export type { Clock } from './clock.js';
export { systemRandom, randomId, PooledRandom } from './random.js';
export type { Random } from './random.js';
export { assertNever, assertBytes, assertInteger } from './assert.js';
export type { KeyWrapper } from './key-wrapper.js';
export * as sharedErrors from './errors.js';
