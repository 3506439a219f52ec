// SPDX-License-Identifier: Apache-2.0
/**
 * @module COSE_Sign1 (RFC 9052 §4.2) reading and writing. Reading is a pure structural check —
 * four elements, a protected header that is a byte string holding a map (or empty), an
 * unprotected map, an attached payload and a signature — plus the `crit` rule of §3.1: a
 * critical label this code does not process makes the message unusable. The signature input is
 * the `Sig_structure` of §4.4, built from the protected bytes exactly as received.
 */
import { CborTag, decodeCbor, type CborProfile } from './cbor.js';

/** CBOR tags around a COSE_Sign1: 18 = COSE_Sign1 (RFC 9052 §2), 61 = CWT (RFC 8392 §6). */
export const TAG_COSE_SIGN1 = 18;
export const TAG_CWT = 61;

/** Common header labels (RFC 9052 §3.1). */
export const HEADER = Object.freeze({ alg: 1, crit: 2, contentType: 3, kid: 4 });

/** Header labels this code processes; anything else listed in `crit` is refused. */
const UNDERSTOOD = new Set<unknown>([HEADER.alg, HEADER.kid]);

export type HeaderMap = Map<unknown, unknown>;

/** A structurally valid COSE_Sign1. */
export interface Sign1 {
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: HeaderMap;
  readonly unprotectedHeader: HeaderMap;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** Tags that wrapped the message, outermost first (e.g. `[61, 18]`). */
  readonly tags: readonly number[];
}

/** Why a COSE_Sign1 was refused; stable strings used in verdict details. */
export type CoseProblem =
  'cbor' | 'duplicate-key' | 'tag' | 'structure' | 'protected-header' | 'unknown-critical-header';

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: CoseProblem };

export interface Sign1Policy {
  readonly cbor: CborProfile;
  /** Accepted tag sequences, outermost first; `[]` means untagged. */
  readonly tagSequences: readonly (readonly number[])[];
}

/**
 * Parses a COSE_Sign1 under a policy. Never throws for bad input.
 *
 * @example
 * const r = parseSign1(bytes, OUR_SIGN1_POLICY);
 * if (r.ok) console.log(r.value.payload.length);
 */
export function parseSign1(bytes: Uint8Array, policy: Sign1Policy): ParseResult<Sign1> {
  let item: unknown;
  try {
    item = decodeCbor(bytes, policy.cbor);
  } catch (err) {
    const why = (err as { details?: { why?: unknown } }).details?.why;
    return fail(why === 'duplicate-key' ? 'duplicate-key' : 'cbor');
  }
  const tags: number[] = [];
  while (item instanceof CborTag) {
    tags.push(item.tag);
    item = item.value;
  }
  if (!policy.tagSequences.some((seq) => sameTags(seq, tags))) {
    return fail('tag');
  }
  if (!Array.isArray(item) || item.length !== 4) {
    return fail('structure');
  }
  const [p, u, payload, signature] = item as unknown[];
  if (!(p instanceof Uint8Array) || !(u instanceof Map)) {
    return fail('structure');
  }
  if (!(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return fail('structure');
  }
  let protectedHeader: HeaderMap = new Map();
  if (p.length > 0) {
    try {
      const decoded = decodeCbor(p, { ...policy.cbor, tags: [] });
      if (!(decoded instanceof Map)) {
        return fail('protected-header');
      }
      protectedHeader = decoded;
    } catch {
      return fail('protected-header');
    }
  }
  if (u.has(HEADER.crit)) {
    return fail('structure');
  }
  if (protectedHeader.has(HEADER.crit)) {
    const crit = protectedHeader.get(HEADER.crit);
    if (!Array.isArray(crit) || crit.length === 0) {
      return fail('structure');
    }
    if (!crit.every((label) => UNDERSTOOD.has(label))) {
      return fail('unknown-critical-header');
    }
  }
  return {
    ok: true,
    value: {
      protectedBytes: p,
      protectedHeader,
      unprotectedHeader: u as HeaderMap,
      payload,
      signature,
      tags,
    },
  };
}

function sameTags(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function fail<T>(problem: CoseProblem): ParseResult<T> {
  return { ok: false, problem };
}

/** A header parameter: the protected bucket wins, the unprotected one is the fallback. */
export function headerParam(msg: Sign1, label: number): unknown {
  return msg.protectedHeader.has(label)
    ? msg.protectedHeader.get(label)
    : msg.unprotectedHeader.get(label);
}

/** The major-type head of a CBOR item (RFC 8949 §3), shortest form. */
export function cborHead(major: number, n: number): Uint8Array {
  const mt = major << 5;
  if (n < 24) {
    return Uint8Array.of(mt | n);
  }
  if (n < 0x100) {
    return Uint8Array.of(mt | 24, n);
  }
  if (n < 0x10000) {
    return Uint8Array.of(mt | 25, n >> 8, n & 0xff);
  }
  if (n <= 0xffffffff) {
    return Uint8Array.of(mt | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  }
  const hi = Math.floor(n / 2 ** 32);
  const lo = n >>> 0;
  return Uint8Array.of(
    mt | 27,
    hi >>> 24,
    (hi >> 16) & 0xff,
    (hi >> 8) & 0xff,
    hi & 0xff,
    lo >>> 24,
    (lo >> 16) & 0xff,
    (lo >> 8) & 0xff,
    lo & 0xff,
  );
}

const SIGNATURE1 = new TextEncoder().encode('Signature1');

/** `Sig_structure` for COSE_Sign1 with an empty external AAD (RFC 9052 §4.4). */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const ph = cborHead(2, protectedBytes.length);
  const pl = cborHead(2, payload.length);
  const out = new Uint8Array(
    12 + ph.length + protectedBytes.length + 1 + pl.length + payload.length,
  );
  out[0] = 0x84;
  out[1] = 0x6a; // text(10) "Signature1"
  out.set(SIGNATURE1, 2);
  let o = 12;
  out.set(ph, o);
  o += ph.length;
  out.set(protectedBytes, o);
  o += protectedBytes.length;
  out[o++] = 0x40;
  out.set(pl, o);
  o += pl.length;
  out.set(payload, o);
  return out;
}

/** Reads a byte-string head at `pos` in shortest form; `[length, start]` or undefined. */
function bstrAt(b: Uint8Array, pos: number): [number, number] | undefined {
  const ib = b[pos];
  if (ib === undefined || ib >> 5 !== 2) {
    return undefined;
  }
  const ai = ib & 31;
  if (ai < 24) {
    return [ai, pos + 1];
  }
  if (ai === 24 && pos + 1 < b.length && b[pos + 1] >= 24) {
    return [b[pos + 1], pos + 2];
  }
  if (ai === 25 && pos + 2 < b.length) {
    const n = b[pos + 1] * 256 + b[pos + 2];
    return n >= 256 ? [n, pos + 3] : undefined;
  }
  return undefined;
}

/**
 * The exact layout our issuer writes — `18([bstr, {}, bstr, bstr])`, every head shortest, nothing
 * after — read without a general CBOR decoder. `undefined` when the bytes differ in any way; the
 * caller then takes the general, equally strict path, so this only makes the common case fast.
 */
export function parseCompactSign1(bytes: Uint8Array): Omit<Sign1, 'protectedHeader'> | undefined {
  if (bytes[0] !== 0xd2 || bytes[1] !== 0x84) {
    return undefined;
  }
  const p = bstrAt(bytes, 2);
  if (p === undefined || p[1] + p[0] >= bytes.length || bytes[p[1] + p[0]] !== 0xa0) {
    return undefined;
  }
  const pl = bstrAt(bytes, p[1] + p[0] + 1);
  if (pl === undefined) {
    return undefined;
  }
  const sg = bstrAt(bytes, pl[1] + pl[0]);
  if (sg === undefined || sg[1] + sg[0] !== bytes.length) {
    return undefined;
  }
  return {
    protectedBytes: bytes.subarray(p[1], p[1] + p[0]),
    unprotectedHeader: new Map(),
    payload: bytes.subarray(pl[1], pl[1] + pl[0]),
    signature: bytes.subarray(sg[1], sg[1] + sg[0]),
    tags: [TAG_COSE_SIGN1],
  };
}

/** Encodes a tagged COSE_Sign1 with an empty unprotected header. */
export function encodeSign1(
  protectedBytes: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
): Uint8Array {
  const parts = [protectedBytes, payload, signature];
  const heads = parts.map((p) => cborHead(2, p.length));
  const out = new Uint8Array(3 + parts.reduce((n, p, i) => n + p.length + heads[i].length, 0));
  out[0] = 0xd2;
  out[1] = 0x84;
  let o = 2;
  parts.forEach((p, i) => {
    out.set(heads[i], o);
    o += heads[i].length;
    out.set(p, o);
    o += p.length;
    if (i === 0) {
      out[o++] = 0xa0; // the empty unprotected header
    }
  });
  return out;
}
