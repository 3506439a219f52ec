// SPDX-License-Identifier: Apache-2.0
/**
 * @module Byte helpers with security hygiene (STYLE.md §15): constant-time comparison of secrets
 * (node:crypto `timingSafeEqual`, after noble-hashes `equalBytes`) and zeroing of key buffers
 * after use. JavaScript cannot promise that no copy of a key survives in the heap (the garbage
 * collector moves objects, strings are immutable); docs/key-providers.md states that limit.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time that depends only on their lengths. Unequal lengths compare
 * through a hash first, so the length check does not short-cut on the contents.
 *
 * @example
 * constantTimeEqual(Buffer.from('a'), Buffer.from('a')); // true
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) {
    throw new TypeError('"a" and "b" expected Uint8Array');
  }
  if (a.length !== b.length) {
    // Hash both so the work done does not reveal where the inputs differ (hono's timingSafeEqual).
    const ha = createHash('sha256').update(a).digest();
    const hb = createHash('sha256').update(b).digest();
    timingSafeEqual(ha, hb);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Overwrites each buffer with zeros (best effort; see the module note). */
export function zeroize(...buffers: readonly (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) {
    b?.fill(0);
  }
}

/** URL-safe base64 without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decodes {@link toBase64Url}; a `RangeError` on anything that is not canonical base64url. */
export function fromBase64Url(text: string, label = 'value'): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new RangeError(`"${label}" expected base64url text`);
  }
  const out = Buffer.from(text, 'base64url');
  if (out.toString('base64url') !== text) {
    throw new RangeError(`"${label}" is not canonical base64url`);
  }
  return out;
}
