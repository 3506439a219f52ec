// SPDX-License-Identifier: Apache-2.0
/**
 * @module What a scan finds: one occurrence of a canary. Its own file, so the thread pool
 * (parallel.ts) and the scanner (service.ts) both use it without importing each other.
 */
import type { ScanEncoding } from './needles.js';

/** One occurrence of a canary. */
export interface ScanHit {
  readonly file: string;
  readonly encoding: ScanEncoding;
  /** For base64 encodings: the value's offset mod 3 in the encoded bytes. */
  readonly alignment?: 0 | 1 | 2;
  /** Byte offset of the encoded value in the file. */
  readonly offset: number;
  /** 1-based line of the canary in the canary file. */
  readonly canaryLine: number;
}
