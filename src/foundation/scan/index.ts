// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan's public door (issue 3 item 10; DOMAIN.md §6 req. 17): find canary
 * values in every file of a data dir, backup or export, in UTF-8, UTF-16LE/BE, hex and base64,
 * with an aligned-word filter run by a WebAssembly kernel on every core (issue 7).
 */
export {
  scanPaths,
  listFiles,
  CanaryScanner,
  PARALLEL_MIN_BYTES,
  POOL_MIN_BYTES,
  KERNEL_MIN_BYTES,
} from './service.js';
export type { ScanHit, ScanOptions, ScanResult, ScanFileOptions } from './service.js';
export {
  buildNeedles,
  parseCanaryText,
  alignedBase64,
  SCAN_ENCODINGS,
  MIN_CANARY_CHARS,
  MIN_CANARY_BYTES,
} from './needles.js';
export type { Canary, Needle, NeedleLabel, ScanEncoding } from './needles.js';
export { MultiPatternMatcher } from './matcher.js';
export * as scanErrors from './errors.js';
