// SPDX-License-Identifier: Apache-2.0
/**
 * @module Strict Base45 decoding (RFC 9285 §4.2) for the browser verifier. The `base45` npm
 * package decodes into Node's `Buffer` and accepts out-of-alphabet characters and triples above
 * 65535, so the browser uses this strict twin of src/services/codes/base45.ts instead.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Decodes Base45 text; `undefined` for any input RFC 9285 does not allow. */
export function decodeBase45(text: string, maxChars = 4096): Uint8Array | undefined {
  if (text.length > maxChars || text.length % 3 === 1) {
    return undefined;
  }
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = VALUE.get(text[i]);
    const d = VALUE.get(text[i + 1]);
    if (c === undefined || d === undefined) {
      return undefined;
    }
    if (i + 2 < text.length) {
      const e = VALUE.get(text[i + 2]);
      if (e === undefined) {
        return undefined;
      }
      const n = c + d * 45 + e * 45 * 45;
      if (n > 0xffff) {
        return undefined;
      }
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) {
        return undefined;
      }
      out[o++] = n;
    }
  }
  return out;
}
