// SPDX-License-Identifier: Apache-2.0
/**
 * @module The offline verifier (验码) of our tokens: string → verdict with a stable reason, using
 * only a trust list and a revocation list — no network, no data dir, nothing recorded about where
 * the code was scanned. The verdict discloses colour, validity window and masked name, nothing
 * else (DOMAIN.md §6 req. 7). Order: shape → key → signature → (only then) claims → revocation →
 * key window → list freshness → token window; the payload of a token is parsed only once its
 * signature holds.
 */
import { algFromId, verifyWith } from './algorithms.js';
import { tryDecodeBase45 } from './base45.js';
import { decode } from 'cborg';
import { HEADER, cborHead, parseCompactSign1, parseSign1, sigStructure } from './cose.js';
import type { Sign1 } from './cose.js';
import { tryInflate } from './inflate.js';
import { instantFromDate, type Instant } from './instant.js';
import { isColour, type TokenContent, type Verdict, type VerdictReason } from './model.js';
import { isRevoked, tokenHashOfSignature, type RevocationList } from './revocation.js';
import { CLAIM, HC, MAX_TOKEN_TEXT, TOKEN_PREFIX, TOKEN_SIGN1_POLICY } from './token.js';
import type { TrustList } from './trust-list.js';

export interface VerifyOptions {
  readonly trustList: TrustList;
  readonly revocations?: RevocationList;
  /** The verifier's validation time. */
  readonly at: Date | Instant;
  /** Tolerated clock lead of an issuer over the verifier, seconds (default 60). */
  readonly skewSeconds?: number;
}

const fail = (reason: VerdictReason): Verdict => ({ ok: false, reason });

const CLAIMS_DECODE = {
  useMaps: true,
  rejectDuplicateMapKeys: true,
  allowUndefined: false,
  allowIndefinite: false,
  allowBigInt: false,
  allowNaN: false,
  allowInfinity: false,
  strict: true,
  tags: [],
} as const;

/**
 * Verifies an `HCN1:` token offline.
 *
 * @example
 * const { trustList, revocations } = parseTrustList(readFileSync('trust.json', 'utf8'));
 * verifyToken(text, { trustList, revocations, at: new Date() }); // { ok: true, reason: 'ok', colour: 'green', … }
 */
export function verifyToken(text: string, options: VerifyOptions): Verdict {
  if (typeof text !== 'string' || text.length > MAX_TOKEN_TEXT || !text.startsWith(TOKEN_PREFIX)) {
    return fail('malformed');
  }
  let bytes = tryDecodeBase45(text.slice(TOKEN_PREFIX.length), MAX_TOKEN_TEXT);
  if (bytes === undefined || bytes.length === 0) {
    return fail('malformed');
  }
  if (bytes[0] === 0x78) {
    const inflated = tryInflate(bytes, 4 * MAX_TOKEN_TEXT);
    if (!inflated.ok) {
      return fail('malformed');
    }
    bytes = inflated.bytes;
  }
  const msg = readSign1(bytes);
  if (msg === undefined) {
    return fail('malformed');
  }
  // Our issuer writes alg and kid protected and nothing unprotected; anything else is not ours.
  if (!msg.emptyUnprotected) {
    return fail('malformed');
  }
  const alg = algFromId(msg.algId);
  const kidBytes = msg.kid;
  if (!(kidBytes instanceof Uint8Array) || kidBytes.length !== 8) {
    return fail('malformed');
  }
  if (alg === undefined) {
    return fail('unsupported-algorithm');
  }
  const kid = Buffer.from(kidBytes.buffer, kidBytes.byteOffset, 8).toString('hex');
  const key = options.trustList.keys.get(kid);
  if (key === undefined) {
    return fail('unknown-key');
  }
  if (key.alg !== alg) {
    return fail('unsupported-algorithm');
  }
  if (!verifyWith(alg, key.publicKey, toBeSigned(msg.protectedBytes, msg.payload), msg.signature)) {
    return fail('bad-signature');
  }
  const claims = readClaims(msg.payload);
  if (claims === undefined || claims.issuer !== key.issuer) {
    // A key signs only for its issuer; a well-signed token naming another is not ours to trust.
    return fail(claims === undefined ? 'malformed' : 'unknown-key');
  }
  const window = {
    validFrom: new Date(claims.iat * 1000).toISOString(),
    validUntil: new Date(claims.exp * 1000).toISOString(),
  };
  const revocations = options.revocations;
  if (revocations && isRevoked(revocations, kid, () => tokenHashOfSignature(alg, msg.signature))) {
    return { ok: false, reason: 'revoked', ...window };
  }
  const skew = options.skewSeconds ?? 60;
  if (
    claims.iat < key.notBefore - skew ||
    claims.iat > key.notAfter + skew ||
    claims.exp > key.verifyUntil
  ) {
    return { ok: false, reason: 'key-expired', ...window };
  }
  const at = options.at instanceof Date ? instantFromDate(options.at) : options.at;
  // Whole seconds suffice here: every bound is a whole second and `at ≥ exp` is already invalid.
  const now = at.seconds;
  if (now >= options.trustList.expiresAt) {
    return { ok: false, reason: 'trust-list-expired', ...window };
  }
  if (now < claims.iat - skew) {
    return { ok: false, reason: 'not-yet-valid', ...window };
  }
  if (now >= claims.exp) {
    return { ok: false, reason: 'expired', ...window };
  }
  return {
    ok: true,
    reason: 'ok',
    colour: claims.colour,
    ...window,
    maskedName: claims.maskedName,
  };
}

/** What the verifier needs of a COSE_Sign1. */
interface ReadSign1 {
  readonly protectedBytes: Uint8Array;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  readonly algId: unknown;
  readonly kid: unknown;
  readonly emptyUnprotected: boolean;
}

/** Our exact layout, parsed directly; anything else through the general strict parser. */
function readSign1(bytes: Uint8Array): ReadSign1 | undefined {
  const compact = parseCompactSign1(bytes);
  if (compact !== undefined) {
    const p = compact.protectedBytes;
    // `{1: alg, 4: h'<8 bytes>'}` exactly as our issuer writes it: a2 01 <alg> 04 48 <kid>.
    if (p.length === 13 && p[0] === 0xa2 && p[1] === 0x01 && p[3] === 0x04 && p[4] === 0x48) {
      const algId = p[2] === 0x27 ? -8 : p[2] === 0x26 ? -7 : undefined;
      if (algId !== undefined) {
        return {
          protectedBytes: p,
          payload: compact.payload,
          signature: compact.signature,
          algId,
          kid: p.subarray(5),
          emptyUnprotected: compact.unprotectedHeader.size === 0,
        };
      }
    }
  }
  const parsed = parseSign1(bytes, TOKEN_SIGN1_POLICY);
  if (!parsed.ok) {
    return undefined;
  }
  const m: Sign1 = parsed.value;
  return {
    protectedBytes: m.protectedBytes,
    payload: m.payload,
    signature: m.signature,
    algId: m.protectedHeader.get(HEADER.alg),
    kid: m.protectedHeader.get(HEADER.kid),
    emptyUnprotected: m.unprotectedHeader.size === 0,
  };
}

const SIG1_HEAD = Uint8Array.of(0x84, 0x6a, ...new TextEncoder().encode('Signature1'));
/** Scratch for `Sig_structure`: verification is synchronous, so one buffer serves every call. */
const scratch = new Uint8Array(1024);

/** `Sig_structure` (RFC 9052 §4.4, empty external AAD) in the shared scratch buffer. */
function toBeSigned(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const ph = cborHead(2, protectedBytes.length);
  const pl = cborHead(2, payload.length);
  const n = SIG1_HEAD.length + ph.length + protectedBytes.length + 1 + pl.length + payload.length;
  if (n > scratch.length) {
    return sigStructure(protectedBytes, payload);
  }
  let o = 0;
  const put = (b: Uint8Array) => {
    scratch.set(b, o);
    o += b.length;
  };
  put(SIG1_HEAD);
  put(ph);
  put(protectedBytes);
  scratch[o++] = 0x40;
  put(pl);
  put(payload);
  return scratch.subarray(0, o);
}

interface ReadClaims extends TokenContent {
  readonly issuer: string;
  readonly iat: number;
  readonly exp: number;
}

function readClaims(payload: Uint8Array): ReadClaims | undefined {
  return readCompactClaims(payload) ?? readClaimsGeneral(payload);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** −65537 then a 3-entry map and its first key. */
const HC_HEAD = [0x3a, 0x00, 0x01, 0x00, 0x00, 0xa3, 0x01];

/**
 * The exact claims layout {@link encodeClaims} writes, read with a cursor; `undefined` on any
 * difference (the general reader then decides). Only reached after the signature verified.
 * Exported for its own tests: a fast path that wrongly declines is invisible in the verdict.
 */
export function readCompactClaims(b: Uint8Array): ReadClaims | undefined {
  let o = 0;
  const uint = (major: number): number | undefined => {
    const ib = b[o++];
    if (ib === undefined || ib >> 5 !== major) {
      return undefined;
    }
    const ai = ib & 31;
    if (ai < 24) {
      return ai;
    }
    const len = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : 0;
    if (len === 0 || o + len > b.length) {
      return undefined;
    }
    let v = 0;
    for (let i = 0; i < len; i++) {
      v = v * 256 + b[o++];
    }
    // Shortest form only (RFC 8949 §4.2.1), as the strict general reader demands.
    return v < (len === 1 ? 24 : 2 ** (4 * len)) ? undefined : v;
  };
  const text = (): string | undefined => {
    const n = uint(3);
    if (n === undefined || o + n > b.length) {
      return undefined;
    }
    const start = o;
    o += n;
    let ascii = '';
    for (let i = start; i < o; i++) {
      const c = b[i];
      if (c >= 0x80) {
        try {
          return UTF8.decode(b.subarray(start, o));
        } catch {
          return undefined;
        }
      }
      ascii += String.fromCharCode(c);
    }
    return ascii;
  };
  const expect = (x: number) => b[o++] === x;
  if (!expect(0xa5) || !expect(0x01)) {
    return undefined;
  }
  const issuer = text();
  if (issuer === undefined || !expect(0x04)) {
    return undefined;
  }
  const exp = uint(0);
  if (exp === undefined || !expect(0x06)) {
    return undefined;
  }
  const iat = uint(0);
  if (iat === undefined || !expect(0x07) || !expect(0x50)) {
    return undefined;
  }
  o += 16; // cti: 16 random bytes
  if (!HC_HEAD.every(expect)) {
    return undefined;
  }
  const colour = text();
  if (colour === undefined || !expect(0x02)) {
    return undefined;
  }
  const maskedName = text();
  if (maskedName === undefined || !expect(0x03)) {
    return undefined;
  }
  const ruleSet = text();
  if (ruleSet === undefined || o !== b.length || !isColour(colour) || exp <= iat) {
    return undefined;
  }
  if (maskedName.length > 32 || ruleSet.length > 64) {
    return undefined;
  }
  return { issuer, iat, exp, colour, maskedName, ruleSet };
}

function readClaimsGeneral(payload: Uint8Array): ReadClaims | undefined {
  let m: unknown;
  try {
    // Only ever called on a payload whose signature verified: the issuer's own bytes. cborg alone
    // (strict, no tags, no indefinite lengths, duplicates refused) is enough; no pre-scan needed.
    m = decode(payload, CLAIMS_DECODE);
  } catch {
    return undefined;
  }
  if (!(m instanceof Map) || m.size !== 5) {
    return undefined;
  }
  const cm = m as Map<unknown, unknown>;
  const issuer = cm.get(CLAIM.iss);
  const iat = cm.get(CLAIM.iat);
  const exp = cm.get(CLAIM.exp);
  const cti = cm.get(CLAIM.cti);
  const hc = cm.get(CLAIM.hc);
  if (typeof issuer !== 'string' || !Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) {
    return undefined;
  }
  if (!(cti instanceof Uint8Array) || cti.length !== 16 || !(hc instanceof Map) || hc.size !== 3) {
    return undefined;
  }
  const hm = hc as Map<unknown, unknown>;
  const colour = hm.get(HC.colour);
  const maskedName = hm.get(HC.maskedName);
  const ruleSet = hm.get(HC.ruleSet);
  if (!isColour(colour) || typeof maskedName !== 'string' || typeof ruleSet !== 'string') {
    return undefined;
  }
  if ((exp as number) <= (iat as number) || maskedName.length > 32 || ruleSet.length > 64) {
    return undefined;
  }
  return { issuer, iat: iat as number, exp: exp as number, colour, maskedName, ruleSet };
}

/**
 * The revocation name of a token ({@link tokenHashOfSignature}) read from its structure, without
 * checking its signature; `undefined` when the text is not a readable token.
 */
export function tokenHashOfToken(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > MAX_TOKEN_TEXT || !text.startsWith(TOKEN_PREFIX)) {
    return undefined;
  }
  let bytes = tryDecodeBase45(text.slice(TOKEN_PREFIX.length), MAX_TOKEN_TEXT);
  if (bytes !== undefined && bytes[0] === 0x78) {
    const inflated = tryInflate(bytes, 4 * MAX_TOKEN_TEXT);
    bytes = inflated.ok ? inflated.bytes : undefined;
  }
  const parsed = bytes === undefined ? undefined : parseSign1(bytes, TOKEN_SIGN1_POLICY);
  const alg = parsed?.ok ? algFromId(parsed.value.protectedHeader.get(HEADER.alg)) : undefined;
  return parsed?.ok && alg !== undefined
    ? tokenHashOfSignature(alg, parsed.value.signature)
    : undefined;
}
