// SPDX-License-Identifier: Apache-2.0
/**
 * @module The byte strings a residual scan looks for: each canary value as UTF-8, UTF-16LE,
 * UTF-16BE, hex (lower and upper case) and base64 (RFC 4648 §4, and the §5 URL alphabet where it
 * differs) at each of the three byte alignments. DOMAIN.md §6 req. 17: after deletion, no store
 * may hold the subject's identifiers in any common encoding.
 *
 * A value embedded in a longer base64 text is encoded differently depending on its offset mod 3
 * within the encoded bytes, and the first and last characters of its run mix in neighbouring
 * bits. So for each alignment k ∈ {0,1,2} we encode k filler bytes + value and keep only the
 * characters whose six bits come entirely from the value: indexes ⌈8k/6⌉ … ⌊8(k+n)/6⌋ − 1.
 */
import { CanaryError } from './errors.js';

export const SCAN_ENCODINGS = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'hex',
  'hex-lower',
  'hex-upper',
  'base64',
  'base64url',
] as const;
export type ScanEncoding = (typeof SCAN_ENCODINGS)[number];

/** One canary value and its 1-based line in the canary file. */
export interface Canary {
  readonly value: string;
  readonly line: number;
}

/** What a needle stands for (several canaries or encodings can share identical bytes). */
export interface NeedleLabel {
  readonly line: number;
  readonly encoding: ScanEncoding;
  /** For base64 encodings: the value's byte offset mod 3 in the encoded data. */
  readonly alignment?: 0 | 1 | 2;
}

export interface Needle {
  readonly bytes: Uint8Array;
  readonly labels: NeedleLabel[];
}

/** Shortest canary accepted, in Unicode characters and in UTF-8 bytes: shorter values would make
 * needles of a few bytes that random data matches by chance. */
export const MIN_CANARY_CHARS = 4;
export const MIN_CANARY_BYTES = 6;

/** The base64 run of `value` at alignment k with the unstable edge characters trimmed. */
export function alignedBase64(value: Uint8Array, k: 0 | 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(k), value]);
  const text = padded.toString('base64');
  const from = Math.ceil((8 * k) / 6);
  const to = Math.floor((8 * (k + value.length)) / 6);
  return text.slice(from, to);
}

/** Parses a canary file: UTF-8, one value per line, blank lines skipped (line numbers kept). */
export function parseCanaryText(bytes: Uint8Array): Canary[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CanaryError('the canary file is not valid UTF-8');
  }
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
  }
  const out: Canary[] = [];
  text.split('\n').forEach((raw, i) => {
    const value = raw.replace(/\r$/, '').trim();
    if (value !== '') {
      out.push({ value, line: i + 1 });
    }
  });
  if (out.length === 0) {
    throw new CanaryError('the canary file holds no values');
  }
  return out;
}

/** Normalises the accepted canary forms (strings get line numbers by position). */
export function toCanaries(input: ReadonlyArray<string | Canary>): Canary[] {
  return input.map((c, i) => (typeof c === 'string' ? { value: c, line: i + 1 } : c));
}

/**
 * Builds the de-duplicated needle set for a list of canaries. Throws `ERR_SCAN_CANARIES` (naming
 * only the line) when a value is too short.
 */
export function buildNeedles(canaries: readonly Canary[]): Needle[] {
  if (canaries.length === 0) {
    throw new CanaryError('no canary values given');
  }
  const byKey = new Map<string, Needle>();
  const add = (bytes: Uint8Array, label: NeedleLabel) => {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, { bytes, labels: [label] });
    } else {
      existing.labels.push(label);
    }
  };
  for (const { value, line } of canaries) {
    const utf8 = Buffer.from(value, 'utf8');
    if ([...value].length < MIN_CANARY_CHARS || utf8.length < MIN_CANARY_BYTES) {
      throw new CanaryError(
        `canary on line ${line} is shorter than ${MIN_CANARY_CHARS} characters / ${MIN_CANARY_BYTES} bytes`,
      );
    }
    add(utf8, { line, encoding: 'utf-8' });
    const le = Buffer.from(value, 'utf16le');
    add(le, { line, encoding: 'utf-16le' });
    add(Buffer.from(le).swap16(), { line, encoding: 'utf-16be' });
    const lower = utf8.toString('hex');
    const upper = lower.toUpperCase();
    if (lower === upper) {
      add(Buffer.from(lower, 'latin1'), { line, encoding: 'hex' });
    } else {
      add(Buffer.from(lower, 'latin1'), { line, encoding: 'hex-lower' });
      add(Buffer.from(upper, 'latin1'), { line, encoding: 'hex-upper' });
    }
    for (const k of [0, 1, 2] as const) {
      const std = alignedBase64(utf8, k);
      add(Buffer.from(std, 'latin1'), { line, encoding: 'base64', alignment: k });
      const url = std.replaceAll('+', '-').replaceAll('/', '_');
      if (url !== std) {
        add(Buffer.from(url, 'latin1'), { line, encoding: 'base64url', alignment: k });
      }
    }
  }
  return [...byKey.values()];
}
