// SPDX-License-Identifier: Apache-2.0
/**
 * @module Bounded zlib (RFC 1950/1951) for the compression layer of DCC tokens and, where it pays,
 * of ours. Inflation stops at a size cap, so a zlib bomb costs at most the cap in memory
 * (node's `maxOutputLength`); a stream with bytes after its end, or a truncated one, is refused.
 */
import { deflateSync, inflateSync } from 'node:zlib';

/** Largest inflated payload we accept: a QR code carries < 3 KB, this leaves ample room. */
export const MAX_INFLATED_BYTES = 64 * 1024;

export type InflateResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly problem: 'not-zlib' | 'too-large' | 'trailing-data' };

/** Inflates a zlib stream (RFC 1950) of at most `maxOutput` bytes; never throws. */
export function tryInflate(data: Uint8Array, maxOutput = MAX_INFLATED_BYTES): InflateResult {
  // RFC 1950 §2.2: CM = 8 (deflate), CINFO ≤ 7, and the header checksum is a multiple of 31.
  if (data.length < 6 || (data[0] & 0x0f) !== 8 || data[0] >> 4 > 7) {
    return { ok: false, problem: 'not-zlib' };
  }
  if ((data[0] * 256 + data[1]) % 31 !== 0) {
    return { ok: false, problem: 'not-zlib' };
  }
  try {
    const r = inflateSync(data, { maxOutputLength: maxOutput, info: true }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    if (r.engine.bytesWritten !== data.length) {
      return { ok: false, problem: 'trailing-data' };
    }
    return { ok: true, bytes: r.buffer };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, problem: code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'not-zlib' };
  }
}

/** Compresses with zlib at the highest level (issuers run this once per token). */
export function deflate(data: Uint8Array): Uint8Array {
  return deflateSync(data, { level: 9 });
}
