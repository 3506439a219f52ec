// SPDX-License-Identifier: Apache-2.0
/**
 * @module Our health-code token: CWT claims (RFC 8392) in a tagged COSE_Sign1 (RFC 9052), Base45
 * (RFC 9285) behind our own context prefix `HCN1:` (not the EU `HC1:`: a DCC verifier must not
 * mistake it, hcert spec §4.2.2). Claims: `iss` (1), `exp` (4), `iat` (6), a random 128-bit `cti`
 * (7), and one private claim (−65537, RFC 8392 §9.1 private-use range) holding colour, masked name
 * and rule-set version. Nothing identifies the person: two tokens of one person share no value that
 * two people with the same surname, colour and issuer would not also share. zlib is used only when
 * it makes the message smaller, and only tried above {@link COMPRESS_FROM} bytes, since short CWTs
 * never shrink (issue 5: ~13 µs for nothing).
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { encode } from 'cborg';
import { algForKey, COSE_ALGS, signWith, type AlgName } from './algorithms.js';
import { encodeBase45 } from './base45.js';
import type { CborProfile } from './cbor.js';
import { HEADER, TAG_COSE_SIGN1, cborHead, type Sign1Policy } from './cose.js';
import { deflate } from './inflate.js';
import type { TokenContent } from './model.js';
import { tokenHashOfSignature } from './revocation.js';

export const TOKEN_PREFIX = 'HCN1:';
/** Claim keys (RFC 8392 §3.1) and our private claim. */
export const CLAIM = Object.freeze({ iss: 1, exp: 4, iat: 6, cti: 7, hc: -65537 });
/** Keys inside the private claim. */
export const HC = Object.freeze({ colour: 1, maskedName: 2, ruleSet: 3 });
/** COSE messages at least this long are offered to zlib; shorter ones never shrink. */
export const COMPRESS_FROM = 320;
/** Token text longer than this is refused unread (ours are ~270 characters). */
export const MAX_TOKEN_TEXT = 2048;

/** Strict CBOR for our own tokens: shortest heads, definite lengths, shallow. */
export const TOKEN_CBOR: CborProfile = {
  maxDepth: 4,
  allowIndefinite: false,
  minimalHeads: true,
  tags: [TAG_COSE_SIGN1],
};
export const TOKEN_SIGN1_POLICY: Sign1Policy = {
  cbor: TOKEN_CBOR,
  tagSequences: [[TAG_COSE_SIGN1]],
};

/** The key id: first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER (as DCC does for DSCs). */
export function keyIdOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest().subarray(0, 8).toString('hex');
}

/** A private key ready to sign tokens, with its protected header encoded once. */
export interface TokenSigner {
  readonly kid: string;
  readonly alg: AlgName;
  readonly issuer: string;
  readonly privateKey: KeyObject;
  readonly protectedBytes: Uint8Array;
}

/** Prepares a signer; the algorithm follows the key type (Ed25519 → EdDSA, P-256 → ES256, RSA → PS256). */
export function tokenSigner(privateKey: KeyObject, issuer: string): TokenSigner {
  const alg = algForKey(privateKey);
  if (privateKey.type !== 'private' || alg === undefined) {
    throw new TypeError('"privateKey" expected an Ed25519, P-256 or RSA (≥ 2048) private key');
  }
  if (typeof issuer !== 'string' || issuer.length === 0 || issuer.length > 200) {
    throw new RangeError('"issuer" expected 1–200 characters');
  }
  const kid = keyIdOf(createPublicKey(privateKey));
  const header = new Map<number, unknown>([
    [HEADER.alg, COSE_ALGS[alg]],
    [HEADER.kid, Buffer.from(kid, 'hex')],
  ]);
  return { kid, alg, issuer, privateKey, protectedBytes: encode(header) };
}

/** The claims of one token. Times are whole seconds since the epoch. */
export interface TokenClaims extends TokenContent {
  readonly issuer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly cti: Uint8Array;
}

/**
 * CBOR of the claims, written directly (cborg's generic encoder costs more than the signature
 * here). Map keys in RFC 8949 §4.2.1 order — by encoded bytes: 1, 4, 6, 7, −65537 — and every head
 * shortest, so the bytes are deterministic and pass the verifier's strict decoding.
 */
export function encodeClaims(c: TokenClaims): Uint8Array {
  checkClaims(c);
  const w = new Writer(new Uint8Array(claimsBound(c)), 0);
  writeClaims(w, c);
  return w.done();
}

/** An upper bound of the encoded claims' length (UTF-8 takes at most 3 bytes per UTF-16 unit). */
function claimsBound(c: TokenClaims): number {
  return 48 + 3 * (c.issuer.length + c.colour.length + c.maskedName.length + c.ruleSet.length);
}

function checkClaims(c: TokenClaims): void {
  if (!Number.isSafeInteger(c.issuedAt) || !Number.isSafeInteger(c.expiresAt) || c.issuedAt < 0) {
    throw new RangeError('"issuedAt"/"expiresAt" expected non-negative whole seconds');
  }
  if (c.cti.length !== 16) {
    throw new RangeError('"cti" expected 16 bytes');
  }
}

function writeClaims(w: Writer, c: TokenClaims): void {
  w.byte(0xa5).byte(0x01).text(c.issuer);
  w.byte(0x04).head(0, c.expiresAt).byte(0x06).head(0, c.issuedAt);
  w.byte(0x07).byte(0x50).bytes(c.cti);
  // −65537 = major type 1, argument 65536: 3a 00 01 00 00; then a 3-entry map.
  w.bytes(HC_KEY).byte(0xa3);
  w.byte(0x01).text(c.colour).byte(0x02).text(c.maskedName).byte(0x03).text(c.ruleSet);
}

const HC_KEY = Uint8Array.of(0x3a, 0x00, 0x01, 0x00, 0x00);
const TEXT = new TextEncoder();

/** Appends CBOR into one preallocated buffer (many small allocations cost more than signing). */
class Writer {
  readonly #buf: Uint8Array;
  readonly #start: number;
  #o: number;
  constructor(buf: Uint8Array, start: number) {
    this.#buf = buf;
    this.#start = start;
    this.#o = start;
  }
  get offset(): number {
    return this.#o;
  }
  byte(b: number): this {
    this.#buf[this.#o++] = b;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.#buf.set(b, this.#o);
    this.#o += b.length;
    return this;
  }
  /** A head in shortest form (RFC 8949 §4.2.1). */
  head(major: number, n: number): this {
    const mt = major << 5;
    const b = this.#buf;
    if (n < 24) {
      b[this.#o++] = mt | n;
    } else if (n < 0x100) {
      b[this.#o++] = mt | 24;
      b[this.#o++] = n;
    } else if (n < 0x10000) {
      b[this.#o++] = mt | 25;
      b[this.#o++] = n >> 8;
      b[this.#o++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.#o++] = mt | 26;
      b[this.#o++] = n >>> 24;
      b[this.#o++] = (n >> 16) & 0xff;
      b[this.#o++] = (n >> 8) & 0xff;
      b[this.#o++] = n & 0xff;
    } else {
      this.bytes(cborHead(major, n));
    }
    return this;
  }
  /** A UTF-8 text string (ASCII written directly; anything else through TextEncoder). */
  text(s: string): this {
    const n = s.length;
    const b = this.#buf;
    let ascii = true;
    for (let i = 0; ascii && i < n; i++) {
      ascii = s.charCodeAt(i) < 0x80;
    }
    if (ascii) {
      this.head(3, n);
      let o = this.#o;
      for (let i = 0; i < n; i++) {
        b[o++] = s.charCodeAt(i);
      }
      this.#o = o;
      return this;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.head(3, len);
    TEXT.encodeInto(s, b.subarray(this.#o, this.#o + len));
    this.#o += len;
    return this;
  }
  done(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#o);
  }
}

/** A signed token and its revocation name ({@link tokenHashOfSignature}). */
export interface SignedToken {
  readonly text: string;
  readonly tokenHash: string;
}

/**
 * The constant bytes around one signer's claims, encoded once: the `Sig_structure` up to the
 * payload (RFC 9052 §4.4: `["Signature1", protected, h'', payload]`) and the COSE_Sign1 up to the
 * payload (`18([protected, {}, payload, signature])`).
 */
interface Frame {
  readonly tbsPrefix: Uint8Array;
  readonly msgPrefix: Uint8Array;
}

const frames = new WeakMap<TokenSigner, Frame>();

function frameOf(signer: TokenSigner): Frame {
  let f = frames.get(signer);
  if (f === undefined) {
    const p = signer.protectedBytes;
    const ph = cborHead(2, p.length);
    f = {
      tbsPrefix: Buffer.concat([SIG1_HEAD, ph, p, Uint8Array.of(0x40)]),
      msgPrefix: Buffer.concat([Uint8Array.of(0xd2, 0x84), ph, p, Uint8Array.of(0xa0)]),
    };
    frames.set(signer, f);
  }
  return f;
}

const SIG1_HEAD = Uint8Array.of(0x84, 0x6a, ...new TextEncoder().encode('Signature1'));
/** Scratch for the bytes to be signed: signing is synchronous, so one buffer serves every call. */
let scratch = new Uint8Array(1024);

/** Signs claims into a COSE_Sign1 and encodes it as `HCN1:` text. */
export function encodeToken(claims: TokenClaims, signer: TokenSigner): SignedToken {
  if (claims.issuer !== signer.issuer) {
    throw new RangeError('"claims.issuer" must be the signer\'s issuer');
  }
  checkClaims(claims);
  const frame = frameOf(signer);
  const prefix = frame.tbsPrefix;
  // Claims go straight into the scratch after room for the prefix and a ≤ 3-byte bstr head;
  // once their length is known, head and prefix are written right before them.
  const start = prefix.length + 3;
  const need = start + claimsBound(claims);
  if (scratch.length < need) {
    scratch = new Uint8Array(need * 2);
  }
  const w = new Writer(scratch, start);
  writeClaims(w, claims);
  const payload = w.done();
  const head = cborHead(2, payload.length);
  const from = start - head.length - prefix.length;
  scratch.set(prefix, from);
  scratch.set(head, start - head.length);
  const signature = signWith(signer.alg, signer.privateKey, scratch.subarray(from, w.offset));
  const sigHead = cborHead(2, signature.length);
  const mp = frame.msgPrefix;
  let message: Uint8Array = Buffer.allocUnsafe(
    mp.length + head.length + payload.length + sigHead.length + signature.length,
  );
  message.set(mp, 0);
  let o = mp.length;
  message.set(head, o);
  o += head.length;
  message.set(payload, o);
  o += payload.length;
  message.set(sigHead, o);
  message.set(signature, o + sigHead.length);
  if (message.length >= COMPRESS_FROM) {
    const z = deflate(message);
    if (z.length < message.length) {
      message = z;
    }
  }
  return {
    text: TOKEN_PREFIX + encodeBase45(message),
    tokenHash: tokenHashOfSignature(signer.alg, signature),
  };
}
