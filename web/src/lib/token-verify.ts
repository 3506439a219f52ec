// SPDX-License-Identifier: Apache-2.0
/**
 * @module The offline verifier (验码) in the browser: the same checks, in the same order, as
 * src/services/codes/verify.ts — `HCN1:` prefix → Base45 (RFC 9285) → zlib when the first byte says so →
 * strict CBOR COSE_Sign1, tag 18 (RFC 9052 §4.2) → key from the cached trust list → signature over
 * the Sig_structure (§4.4; EdDSA and ES256 with @noble/curves, PS256 with WebCrypto) → CWT claims
 * (RFC 8392) → revocation (salted signature hashes) → key window → list freshness → token window.
 * It discloses colour, validity and masked name only (DOMAIN.md §6 req. 7).
 */
import { decode, encode } from 'cborg';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase45 } from './base45.js';
import { concat, toBase64, toHex } from './bytes.js';
import {
  rawKey,
  SPKI_ED25519,
  SPKI_P256,
  type AlgName,
  type BrowserTrustList,
} from './trust-list.js';

export const TOKEN_PREFIX = 'HCN1:';
export const MAX_TOKEN_TEXT = 2048;
export const COLOURS = ['green', 'yellow', 'red', 'gray'] as const;
export type Colour = (typeof COLOURS)[number];

export type VerdictReason =
  | 'ok'
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'revoked'
  | 'key-expired'
  | 'trust-list-expired'
  | 'not-yet-valid'
  | 'expired';

export interface BrowserVerdict {
  readonly ok: boolean;
  readonly reason: VerdictReason;
  readonly colour?: Colour;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly maskedName?: string;
}

const STRICT = {
  useMaps: true,
  rejectDuplicateMapKeys: true,
  allowUndefined: false,
  allowIndefinite: false,
  allowBigInt: false,
  allowNaN: false,
  allowInfinity: false,
  strict: true,
} as const;

const fail = (reason: VerdictReason): BrowserVerdict => ({ ok: false, reason });

interface Sign1 {
  protectedBytes: Uint8Array;
  protectedHeader: Map<unknown, unknown>;
  unprotected: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

function readSign1(bytes: Uint8Array): Sign1 | undefined {
  let item: unknown;
  let tagged = false;
  try {
    item = decode(bytes, {
      ...STRICT,
      tags: {
        18: (inner) => {
          tagged = true;
          return inner();
        },
      },
    });
  } catch {
    return undefined;
  }
  if (!tagged || !Array.isArray(item) || item.length !== 4) {
    return undefined;
  }
  const [p, u, payload, signature] = item as unknown[];
  if (!(p instanceof Uint8Array) || !(u instanceof Map)) {
    return undefined;
  }
  if (!(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return undefined;
  }
  let protectedHeader: unknown;
  try {
    protectedHeader = decode(p, STRICT);
  } catch {
    return undefined;
  }
  if (!(protectedHeader instanceof Map)) {
    return undefined;
  }
  return {
    protectedBytes: p,
    protectedHeader: protectedHeader as Map<unknown, unknown>,
    unprotected: u as Map<unknown, unknown>,
    payload,
    signature,
  };
}

/** zlib (RFC 1950) through the browser's DecompressionStream, capped. */
async function inflate(bytes: Uint8Array, cap: number): Promise<Uint8Array | undefined> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('deflate'));
    const reader = stream.getReader();
    const parts: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return concat(...parts);
      }
      n += value.length;
      if (n > cap) {
        await reader.cancel();
        return undefined;
      }
      parts.push(value);
    }
  } catch {
    return undefined;
  }
}

const ALG_IDS: Record<number, AlgName> = { [-8]: 'EdDSA', [-7]: 'ES256', [-37]: 'PS256' };

async function verifySignature(
  alg: AlgName,
  spki: Uint8Array,
  data: Uint8Array,
  sig: Uint8Array,
): Promise<boolean> {
  try {
    switch (alg) {
      case 'EdDSA': {
        const raw = rawKey(spki, SPKI_ED25519, 32);
        return raw !== undefined && sig.length === 64 && ed25519.verify(sig, data, raw);
      }
      case 'ES256': {
        const raw = rawKey(spki, SPKI_P256, 65);
        // COSE ES256 is raw r‖s (RFC 9053 §2.1); high-S is valid ECDSA, as node:crypto accepts it.
        return (
          raw !== undefined &&
          sig.length === 64 &&
          p256.verify(sig, data, raw, { prehash: true, lowS: false, format: 'compact' })
        );
      }
      case 'PS256': {
        const key = await crypto.subtle.importKey(
          'spki',
          spki as Uint8Array<ArrayBuffer>,
          { name: 'RSA-PSS', hash: 'SHA-256' },
          false,
          ['verify'],
        );
        return await crypto.subtle.verify(
          { name: 'RSA-PSS', saltLength: 32 },
          key,
          sig as Uint8Array<ArrayBuffer>,
          data as Uint8Array<ArrayBuffer>,
        );
      }
    }
  } catch {
    return false;
  }
}

interface Claims {
  issuer: string;
  iat: number;
  exp: number;
  colour: Colour;
  maskedName: string;
}

function readClaims(payload: Uint8Array): Claims | undefined {
  let m: unknown;
  try {
    m = decode(payload, { ...STRICT, tags: {} });
  } catch {
    return undefined;
  }
  if (!(m instanceof Map) || m.size !== 5) {
    return undefined;
  }
  const cm = m as Map<unknown, unknown>;
  const issuer = cm.get(1);
  const exp = cm.get(4);
  const iat = cm.get(6);
  const cti = cm.get(7);
  const hc = cm.get(-65537);
  if (typeof issuer !== 'string' || !Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) {
    return undefined;
  }
  if (!(cti instanceof Uint8Array) || cti.length !== 16 || !(hc instanceof Map) || hc.size !== 3) {
    return undefined;
  }
  const hm = hc as Map<unknown, unknown>;
  const colour = hm.get(1);
  const maskedName = hm.get(2);
  const ruleSet = hm.get(3);
  if (!(COLOURS as readonly unknown[]).includes(colour) || typeof maskedName !== 'string') {
    return undefined;
  }
  if (typeof ruleSet !== 'string' || (exp as number) <= (iat as number)) {
    return undefined;
  }
  if (maskedName.length > 32 || ruleSet.length > 64) {
    return undefined;
  }
  return { issuer, iat: iat as number, exp: exp as number, colour: colour as Colour, maskedName };
}

/** The published form of a token hash: first 16 bytes of SHA-256(salt ‖ hash), base64. */
function saltedEntry(salt: Uint8Array, tokenHash: Uint8Array): string {
  return toBase64(sha256(concat(salt, tokenHash)).subarray(0, 16));
}

/** Verifies an `HCN1:` token against a cached trust list at `at`; never throws. */
export async function verifyTokenOffline(
  text: string,
  list: BrowserTrustList,
  at: Date,
  skewSeconds = 60,
): Promise<BrowserVerdict> {
  text = typeof text === 'string' ? text.trim() : text;
  if (typeof text !== 'string' || text.length > MAX_TOKEN_TEXT || !text.startsWith(TOKEN_PREFIX)) {
    return fail('malformed');
  }
  let bytes = decodeBase45(text.slice(TOKEN_PREFIX.length), MAX_TOKEN_TEXT);
  if (bytes === undefined || bytes.length === 0) {
    return fail('malformed');
  }
  if (bytes[0] === 0x78) {
    bytes = await inflate(bytes, 4 * MAX_TOKEN_TEXT);
    if (bytes === undefined) {
      return fail('malformed');
    }
  }
  const msg = readSign1(bytes);
  if (msg === undefined || msg.unprotected.size !== 0) {
    return fail('malformed');
  }
  const algId = msg.protectedHeader.get(1);
  const kidBytes = msg.protectedHeader.get(4);
  if (!(kidBytes instanceof Uint8Array) || kidBytes.length !== 8 || msg.protectedHeader.has(2)) {
    return fail('malformed');
  }
  const alg = typeof algId === 'number' ? ALG_IDS[algId] : undefined;
  if (alg === undefined) {
    return fail('unsupported-algorithm');
  }
  const kid = toHex(kidBytes);
  const key = list.keys.get(kid);
  if (key === undefined) {
    return fail('unknown-key');
  }
  if (key.alg !== alg) {
    return fail('unsupported-algorithm');
  }
  const sigStructure = encode(['Signature1', msg.protectedBytes, new Uint8Array(0), msg.payload]);
  if (!(await verifySignature(alg, key.spki, sigStructure, msg.signature))) {
    return fail('bad-signature');
  }
  const claims = readClaims(msg.payload);
  if (claims === undefined || claims.issuer !== key.issuer) {
    return fail(claims === undefined ? 'malformed' : 'unknown-key');
  }
  const window = {
    validFrom: new Date(claims.iat * 1000).toISOString(),
    validUntil: new Date(claims.exp * 1000).toISOString(),
  };
  const rev = list.revocations;
  if (rev.keys.has(kid)) {
    return { ok: false, reason: 'revoked', ...window };
  }
  if (rev.tokens.size > 0) {
    const signed = alg === 'ES256' ? msg.signature.subarray(0, 32) : msg.signature;
    if (rev.tokens.has(saltedEntry(rev.salt, sha256(signed)))) {
      return { ok: false, reason: 'revoked', ...window };
    }
  }
  if (
    claims.iat < key.notBefore - skewSeconds ||
    claims.iat > key.notAfter + skewSeconds ||
    claims.exp > key.verifyUntil
  ) {
    return { ok: false, reason: 'key-expired', ...window };
  }
  const now = Math.floor(at.getTime() / 1000);
  if (now >= list.expiresAt) {
    return { ok: false, reason: 'trust-list-expired', ...window };
  }
  if (now < claims.iat - skewSeconds) {
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
