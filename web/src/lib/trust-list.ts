// SPDX-License-Identifier: Apache-2.0
/**
 * @module The browser's reading of the signed trust list (`healthcode.trust-list.v1`, the twin of
 * src/services/codes/trust-list.ts; docs/health-code-token.md): the body is accepted only when the Ed25519
 * trust anchor's signature over `format.body` verifies and the anchor's key id is SHA-256 over its
 * SubjectPublicKeyInfo, first 8 bytes. Keys are kept as raw public keys ready for @noble/curves.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, fromBase64, toHex } from './bytes.js';

export const TRUST_LIST_FORMAT = 'healthcode.trust-list.v1';

export type AlgName = 'EdDSA' | 'ES256' | 'PS256';

/** A token-signing key as the browser holds it. Times in epoch seconds. */
export interface BrowserTrustedKey {
  readonly kid: string;
  readonly issuer: string;
  readonly alg: AlgName;
  /** The SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly verifyUntil: number;
}

export interface BrowserTrustList {
  readonly anchorKid: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly keys: ReadonlyMap<string, BrowserTrustedKey>;
  readonly revocations: {
    readonly salt: Uint8Array;
    readonly tokens: ReadonlySet<string>;
    readonly keys: ReadonlySet<string>;
  };
}

/** DER prefixes of SubjectPublicKeyInfo for the two curves (RFC 8410 §4; RFC 5480 §2). */
export const SPKI_ED25519 = Uint8Array.of(
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
);
export const SPKI_P256 = Uint8Array.of(
  0x30,
  0x59,
  0x30,
  0x13,
  0x06,
  0x07,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x02,
  0x01,
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
  0x03,
  0x42,
  0x00,
);

/** The raw key after a known SPKI prefix, or `undefined`. */
export function rawKey(
  spki: Uint8Array,
  prefix: Uint8Array,
  rawLength: number,
): Uint8Array | undefined {
  if (
    spki.length !== prefix.length + rawLength ||
    !equalBytes(spki.subarray(0, prefix.length), prefix)
  ) {
    return undefined;
  }
  return spki.subarray(prefix.length);
}

export const keyIdOfSpki = (spki: Uint8Array): string => toHex(sha256(spki).subarray(0, 8));

export class TrustListRejected extends Error {
  override readonly name = 'TrustListRejected';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const seconds = (iso: unknown): number => {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) {
    throw new TrustListRejected('trust list time unreadable');
  }
  return Math.floor(t / 1000);
};
const bytes = (b64: unknown): Uint8Array => {
  const out = typeof b64 === 'string' ? fromBase64(b64) : undefined;
  if (out === undefined) {
    throw new TrustListRejected('trust list field is not base64');
  }
  return out;
};

/**
 * Checks the anchor signature and reads the list. `pinnedAnchor`, when given, must equal the
 * anchor's key id (the verifier pins the anchor it first trusted).
 */
export function parseBrowserTrustList(text: string, pinnedAnchor?: string): BrowserTrustList {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TrustListRejected('trust list is not JSON');
  }
  if (!isObject(doc) || doc.format !== TRUST_LIST_FORMAT || !isObject(doc.anchor)) {
    throw new TrustListRejected('not a healthcode trust list');
  }
  if (typeof doc.body !== 'string' || doc.anchor.alg !== 'EdDSA') {
    throw new TrustListRejected('not a healthcode trust list');
  }
  const anchorSpki = bytes(doc.anchor.publicKey);
  const anchorRaw = rawKey(anchorSpki, SPKI_ED25519, 32);
  const anchorKid = keyIdOfSpki(anchorSpki);
  if (anchorRaw === undefined || anchorKid !== doc.anchor.kid) {
    throw new TrustListRejected('trust anchor key id does not match its key');
  }
  if (pinnedAnchor !== undefined && pinnedAnchor !== anchorKid) {
    throw new TrustListRejected('trust list signed by an anchor that is not pinned');
  }
  const signed = new TextEncoder().encode(`${TRUST_LIST_FORMAT}.${doc.body}`);
  let ok: boolean;
  try {
    ok = ed25519.verify(bytes(doc.signature), signed, anchorRaw);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new TrustListRejected('trust list signature does not verify');
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes(doc.body)));
  } catch {
    throw new TrustListRejected('trust list body malformed');
  }
  if (!isObject(body) || !Array.isArray(body.keys) || !isObject(body.revocations)) {
    throw new TrustListRejected('trust list body malformed');
  }
  const keys = new Map<string, BrowserTrustedKey>();
  for (const k of body.keys as unknown[]) {
    if (!isObject(k) || typeof k.kid !== 'string' || typeof k.issuer !== 'string') {
      throw new TrustListRejected('trust list key malformed');
    }
    if (k.alg !== 'EdDSA' && k.alg !== 'ES256' && k.alg !== 'PS256') {
      throw new TrustListRejected('trust list key algorithm unknown');
    }
    const spki = bytes(k.publicKey);
    if (keyIdOfSpki(spki) !== k.kid) {
      throw new TrustListRejected('trust list key does not match its id');
    }
    keys.set(k.kid, {
      kid: k.kid,
      issuer: k.issuer,
      alg: k.alg,
      spki,
      notBefore: seconds(k.notBefore),
      notAfter: seconds(k.notAfter),
      verifyUntil: seconds(k.verifyUntil),
    });
  }
  const rev = body.revocations;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : [];
  return {
    anchorKid,
    issuedAt: seconds(body.issuedAt),
    expiresAt: seconds(body.expiresAt),
    keys,
    revocations: {
      salt: bytes(rev.salt),
      tokens: new Set(strings(rev.hashes)),
      keys: new Set(strings(rev.keys)),
    },
  };
}
