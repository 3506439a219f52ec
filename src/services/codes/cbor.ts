// SPDX-License-Identifier: Apache-2.0
/**
 * @module Strict, bounded CBOR decoding (RFC 8949) for tokens read from the outside. Before cborg
 * builds any object, a non-recursive scan checks that the bytes are one well-formed item
 * (§5.3.1) within a nesting depth, with no reserved or unassigned simple values, only the tags the
 * caller allows, no indefinite-length strings (cborg cannot rebuild them), container counts that fit the remaining bytes (so a 4-byte header cannot ask for
 * 2^32 slots), optionally minimal-length heads (§4.2.1 preferred serialization) and no duplicate
 * map keys (§5.6: compared by their encoded bytes). cborg then decodes with Maps for integer keys.
 */
import { decode } from 'cborg';
import { CodesDecodeError } from './errors.js';

/** A tagged item kept as such, so callers can insist on the tags they expect. */
export class CborTag {
  readonly tag: number;
  readonly value: unknown;
  constructor(tag: number, value: unknown) {
    this.tag = tag;
    this.value = value;
  }
}

export interface CborProfile {
  /** Containers and tags nested deeper than this are refused. */
  readonly maxDepth: number;
  /** Indefinite-length strings, arrays and maps. */
  readonly allowIndefinite: boolean;
  /** Require the shortest head for every integer, length and tag (our own tokens). */
  readonly minimalHeads: boolean;
  /** Tag numbers that may appear; any other tag is refused. */
  readonly tags: readonly number[];
}

interface Frame {
  /** Items still expected; Infinity for an indefinite container. */
  left: number;
  kind: 'array' | 'map' | 'tag';
  /** Items completed so far (maps: keys and values). */
  index: number;
  keyStart: number;
  keys: Set<string> | undefined;
}

/** True when `bytes` hold exactly one well-formed item within the profile's limits. */
export function isWellFormedCbor(bytes: Uint8Array, p: CborProfile): boolean {
  const n = bytes.length;
  const stack: Frame[] = [];
  let pos = 0;
  for (;;) {
    if (pos >= n) {
      return false;
    }
    const start = pos;
    const ib = bytes[pos++];
    const top = stack[stack.length - 1];
    if (ib === 0xff) {
      if (top === undefined || top.left !== Infinity || (top.kind === 'map' && top.index % 2)) {
        return false;
      }
      stack.pop();
      if (finish(stack, bytes, pos)) {
        return pos === n;
      }
      if (stack.length === 0) {
        return false;
      }
      continue;
    }
    const mt = ib >> 5;
    const ai = ib & 31;
    if (top?.kind === 'map' && top.index % 2 === 0) {
      top.keyStart = start;
    }
    let arg = 0;
    if (ai < 24) {
      arg = ai;
    } else if (ai <= 27) {
      const len = 1 << (ai - 24);
      if (pos + len > n) {
        return false;
      }
      for (let i = 0; i < len; i++) {
        arg = arg * 256 + bytes[pos + i];
      }
      pos += len;
      if (p.minimalHeads && mt !== 7 && arg < (ai === 24 ? 24 : 2 ** (8 * (len / 2)))) {
        return false;
      }
    } else if (ai !== 31 || mt === 0 || mt === 1 || mt === 6 || mt === 7 || !p.allowIndefinite) {
      return false;
    }
    let leaf = true;
    switch (mt) {
      case 0:
      case 1:
        break;
      case 2:
      case 3:
        if (ai === 31) {
          // cborg cannot rebuild chunked strings; nothing we read needs them.
          return false;
        } else if (arg > n - pos) {
          return false;
        } else {
          pos += arg;
        }
        break;
      case 4:
      case 5: {
        const items = ai === 31 ? Infinity : mt === 5 ? arg * 2 : arg;
        if (items !== Infinity && items > n - pos) {
          return false;
        }
        if (items !== 0) {
          if (!push(stack, p, mt === 5 ? 'map' : 'array', items)) {
            return false;
          }
          leaf = false;
        }
        break;
      }
      case 6:
        if (!p.tags.includes(arg) || !push(stack, p, 'tag', 1)) {
          return false;
        }
        leaf = false;
        break;
      default:
        // Simple values: only false, true, null and the three float widths.
        if (ai < 20 || ai === 23 || ai === 24) {
          return false;
        }
    }
    if (leaf && finish(stack, bytes, pos)) {
      return pos === n;
    }
  }
}

function push(stack: Frame[], p: CborProfile, kind: Frame['kind'], left: number) {
  if (stack.length + 1 > p.maxDepth) {
    return false;
  }
  const keys = kind === 'map' ? new Set<string>() : undefined;
  stack.push({ left, kind, index: 0, keyStart: 0, keys });
  return true;
}

/** Records one completed item; true when the top-level item is complete. Throws on a duplicate key. */
function finish(stack: Frame[], bytes: Uint8Array, pos: number): boolean {
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return true;
    }
    if (top.keys !== undefined && top.index % 2 === 0) {
      const key = Buffer.from(
        bytes.buffer,
        bytes.byteOffset + top.keyStart,
        pos - top.keyStart,
      ).toString('latin1');
      if (top.keys.has(key)) {
        throw DUPLICATE;
      }
      top.keys.add(key);
    }
    top.index++;
    if (top.left === Infinity) {
      return false;
    }
    top.left--;
    if (top.left > 0) {
      return false;
    }
    stack.pop();
  }
}

const DUPLICATE = new Error('duplicate map key');

/**
 * Decodes one CBOR item under `profile`, or throws {@link CodesDecodeError} with
 * `details.stage = 'cbor'` and a non-personal `details.why`.
 */
export function decodeCbor(bytes: Uint8Array, profile: CborProfile): unknown {
  let ok: boolean;
  try {
    ok = isWellFormedCbor(bytes, profile);
  } catch (err) {
    if (err === DUPLICATE) {
      throw new CodesDecodeError('CBOR map has a duplicate key', {
        details: { stage: 'cbor', why: 'duplicate-key' },
      });
    }
    throw err;
  }
  if (!ok) {
    throw new CodesDecodeError('not one well-formed CBOR item within limits', {
      details: { stage: 'cbor', why: 'malformed' },
    });
  }
  const tags: Record<number, (d: () => unknown) => unknown> = {};
  for (const t of profile.tags) {
    tags[t] = (d) => new CborTag(t, d());
  }
  try {
    return decode(bytes, {
      useMaps: true,
      rejectDuplicateMapKeys: true,
      allowUndefined: false,
      allowIndefinite: profile.allowIndefinite,
      allowBigInt: false,
      allowNaN: false,
      allowInfinity: false,
      strict: profile.minimalHeads,
      tags,
    });
  } catch (err) {
    throw new CodesDecodeError('CBOR item refused by the decoder', {
      cause: err,
      details: { stage: 'cbor', why: 'decoder' },
    });
  }
}
