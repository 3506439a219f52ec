// SPDX-License-Identifier: Apache-2.0
/**
 * @module Canonical JSON (keys sorted, no whitespace; in the spirit of RFC 8785) and SHA-256
 * over it: what plan hashes, approvals and certificate signatures are computed on, so a plan
 * reformatted from YAML to JSON keeps its hash.
 */
import { createHash } from 'node:crypto';

/** Serialises plain JSON data with object keys sorted; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new RangeError('"value" must not contain NaN or Infinity');
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`"value" must be JSON data, got ${typeof value}`);
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
