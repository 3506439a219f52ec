// SPDX-License-Identifier: Apache-2.0
/**
 * @module Assertions for caller bugs (STYLE.md §6): wrong types or impossible states throw
 * `TypeError` / `RangeError` naming the parameter; bad *data* throws a typed {@link AppError}.
 */

export function assertNever(value: never, label = 'value'): never {
  throw new TypeError(`unexpected ${label}: ${String(value)}`);
}

export function assertBytes(
  value: unknown,
  label: string,
  length?: number,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`"${label}" expected Uint8Array`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`"${label}" expected ${length} bytes, got ${value.length}`);
  }
}

export function assertInteger(
  value: unknown,
  label: string,
  min = -Infinity,
  max = Infinity,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `"${label}" expected an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
}
