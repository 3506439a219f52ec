// SPDX-License-Identifier: Apache-2.0
/** @module Decoded CBOR (Maps, byte strings, tags) as plain JSON for output (RFC 8949 §6.1). */
import { CborTag } from './cbor.js';

/** Maps become objects with string keys, byte strings base64, tags their content. */
export function cborToJson(value: unknown, depth = 0): unknown {
  if (depth > 64) {
    throw new RangeError('"value" nests too deeply');
  }
  if (value instanceof CborTag) {
    return cborToJson(value.value, depth + 1);
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map((v) => cborToJson(v, depth + 1));
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, String(k), {
        value: cborToJson(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
