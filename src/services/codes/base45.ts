// SPDX-License-Identifier: Apache-2.0
/**
 * @module A strict Base45 codec (RFC 9285): the QR alphanumeric alphabet, two bytes per three
 * characters. Decoding refuses what RFC 9285 §4.2 calls invalid instead of guessing: characters
 * outside the alphabet (lower case included), a dangling single character, and groups whose value
 * overflows (a triple above 65535, a pair above 255). The installed `base45` package maps unknown
 * characters to -1 and never checks ranges, so it is not used.
 */
import { CodesDecodeError } from './errors.js';

/** RFC 9285 §4 table 1: value → character. */
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

const ENCODE = Uint8Array.from(BASE45_ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i++) {
  DECODE[BASE45_ALPHABET.charCodeAt(i)] = i;
}

/**
 * Encodes bytes as Base45 (RFC 9285 §4.1).
 *
 * @example
 * encodeBase45(new TextEncoder().encode('AB')); // 'BB8'
 */
export function encodeBase45(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError('"bytes" expected Uint8Array');
  }
  const out = Buffer.allocUnsafe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
  const n = bytes.length - (bytes.length % 2);
  let o = 0;
  for (let i = 0; i < n; i += 2) {
    const v = bytes[i] * 256 + bytes[i + 1];
    const e = (v / 2025) | 0;
    const r = v - e * 2025;
    const d = (r / 45) | 0;
    out[o++] = ENCODE[r - d * 45]!;
    out[o++] = ENCODE[d]!;
    out[o++] = ENCODE[e]!;
  }
  if (n < bytes.length) {
    const v = bytes[n];
    const d = (v / 45) | 0;
    out[o] = ENCODE[v - d * 45]!;
    out[o + 1] = ENCODE[d]!;
  }
  return out.toString('latin1');
}

/**
 * Decodes Base45, or returns `undefined` when the text is not valid Base45 or would decode to
 * more than `maxBytes`. The verifiers use this form: a bad token is a verdict, not an exception.
 */
export function tryDecodeBase45(text: string, maxBytes = 65_536): Uint8Array | undefined {
  const len = text.length;
  const rem = len % 3;
  if (rem === 1) {
    return undefined;
  }
  const outLen = Math.floor(len / 3) * 2 + (rem === 2 ? 1 : 0);
  if (outLen > maxBytes) {
    return undefined;
  }
  const out = new Uint8Array(outLen);
  let o = 0;
  const full = len - rem;
  for (let i = 0; i < full; i += 3) {
    const c = char(text, i);
    const d = char(text, i + 1);
    const e = char(text, i + 2);
    if ((c | d | e) < 0) {
      return undefined;
    }
    const v = c + d * 45 + e * 2025;
    if (v > 0xffff) {
      return undefined;
    }
    out[o++] = v >> 8;
    out[o++] = v & 0xff;
  }
  if (rem === 2) {
    const c = char(text, full);
    const d = char(text, full + 1);
    if ((c | d) < 0) {
      return undefined;
    }
    const v = c + d * 45;
    if (v > 0xff) {
      return undefined;
    }
    out[o] = v;
  }
  return out;
}

function char(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? DECODE[code] : -1;
}

/**
 * Decodes Base45 strictly; throws {@link CodesDecodeError} (`details.stage = 'base45'`) on
 * invalid input.
 *
 * @example
 * new TextDecoder().decode(decodeBase45('QED8WEX0')); // 'ietf!'
 */
export function decodeBase45(text: string, maxBytes = 65_536): Uint8Array {
  if (typeof text !== 'string') {
    throw new TypeError('"text" expected a string');
  }
  const out = tryDecodeBase45(text, maxBytes);
  if (out === undefined) {
    throw new CodesDecodeError('not valid Base45 (RFC 9285 §4.2) or too long', {
      details: { stage: 'base45' },
    });
  }
  return out;
}
