// SPDX-License-Identifier: Apache-2.0
/**
 * @module Consent receipts in the Kantara Consent Receipt Specification v1.1 field set
 * (anchors/credentials.md §8), signed as a compact JWS (RFC 7515) with EdDSA over Ed25519
 * (RFC 8037) through node:crypto. Pure apart from the signature primitives: building, signing
 * and verifying take their keys and time as arguments.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ReceiptInvalidError } from './errors.js';

export const RECEIPT_VERSION = 'KI-CR-v1.1.0';

/** One purpose inside a receipt's service entry (Kantara v1.1). */
export interface ReceiptPurpose {
  readonly purpose: string;
  readonly purposeCategory: readonly string[];
  readonly consentType: 'EXPLICIT';
  readonly piiCategory: readonly string[];
  readonly primaryPurpose: boolean;
  readonly termination: string;
  readonly thirdPartyDisclosure: boolean;
  readonly thirdPartyName: string;
}

/** healthcode's extension: what the act was, under which notice, by whom. */
export interface ReceiptExtension {
  readonly action: 'grant' | 'withdraw';
  readonly eventId: string;
  readonly purposeId: string;
  readonly legalBasis: string;
  readonly separate: boolean;
  readonly byGuardian: boolean;
  readonly guardianId: string | null;
  /** SHA-256 of the privacy policy shown (hex); null on a withdrawal. */
  readonly noticeHash: string | null;
}

/** A Kantara v1.1 consent receipt. */
export interface ConsentReceipt {
  readonly version: typeof RECEIPT_VERSION;
  readonly jurisdiction: string;
  /** Seconds since the epoch (Kantara uses integer seconds). */
  readonly consentTimestamp: number;
  readonly collectionMethod: string;
  readonly consentReceiptID: string;
  /** The signer's Ed25519 public key, base64url of the raw 32 bytes. */
  readonly publicKey: string;
  readonly language: string;
  /** The opaque subject id (never an ID number or phone). */
  readonly piiPrincipalId: string;
  readonly piiControllers: ReadonlyArray<{
    readonly piiController: string;
    readonly contact: string;
  }>;
  readonly policyUrl: string;
  readonly services: ReadonlyArray<{
    readonly service: string;
    readonly purposes: readonly ReceiptPurpose[];
  }>;
  readonly sensitive: boolean;
  readonly spiCat: readonly string[];
  readonly 'x-healthcode': ReceiptExtension;
}

/** An Ed25519 signing key with its id. */
export interface ReceiptSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKeyRaw: Buffer;
}

/** A verification key with its id. */
export interface ReceiptVerifyKey {
  readonly kid: string;
  readonly publicKeyRaw: Uint8Array;
}

// RFC 8410 §7: the PKCS#8 / SPKI prefixes of an Ed25519 key around its 32 raw bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A key id: the first 16 hex digits of SHA-256 over the raw public key. */
export function receiptKid(publicKeyRaw: Uint8Array): string {
  return createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 16);
}

/** Builds an Ed25519 key from a 32-byte seed (drawn from the injected Random). */
export function signingKeyFromSeed(seed: Uint8Array): ReceiptSigningKey {
  if (seed.length !== 32) {
    throw new RangeError('"seed" expected 32 bytes');
  }
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKeyRaw = Buffer.from(spki.subarray(SPKI_PREFIX.length));
  return { kid: receiptKid(publicKeyRaw), privateKey, publicKeyRaw };
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) {
    throw new ReceiptInvalidError('receipt key is not a 32-byte Ed25519 key');
  }
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs a receipt as a compact JWS `header.payload.signature`. */
export function signReceipt(receipt: ConsentReceipt, key: ReceiptSigningKey): string {
  if (receipt.publicKey !== b64url(key.publicKeyRaw)) {
    throw new TypeError('"receipt.publicKey" must be the signing key');
  }
  const header = b64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: key.kid }));
  const payload = b64url(JSON.stringify(receipt));
  const signature = sign(null, Buffer.from(`${header}.${payload}`, 'ascii'), key.privateKey);
  return `${header}.${payload}.${b64url(signature)}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function parsePart(part: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new ReceiptInvalidError(`receipt ${what} is not base64url JSON`);
  }
}

/**
 * Verifies a compact-JWS receipt against trusted keys; returns the receipt or throws
 * `ERR_CONSENT_RECEIPT_INVALID` (forged, altered, unknown key, wrong shape).
 */
export function verifyReceiptToken(
  token: string,
  trusted: readonly ReceiptVerifyKey[],
): ConsentReceipt {
  const parts = typeof token === 'string' ? token.trim().split('.') : [];
  if (parts.length !== 3 || !parts.every((p) => p.length > 0 && B64URL.test(p))) {
    throw new ReceiptInvalidError('receipt is not a compact JWS');
  }
  const [h, p, s] = parts as [string, string, string];
  const header = parsePart(h, 'header') as { alg?: unknown; kid?: unknown; crit?: unknown };
  if (header.alg !== 'EdDSA' || typeof header.kid !== 'string' || header.crit !== undefined) {
    throw new ReceiptInvalidError('receipt header must be {alg: EdDSA, kid}');
  }
  const key = trusted.find((k) => k.kid === header.kid);
  if (key === undefined) {
    throw new ReceiptInvalidError('receipt is signed by a key this instance does not trust');
  }
  const ok = verify(
    null,
    Buffer.from(`${h}.${p}`, 'ascii'),
    publicKeyObject(key.publicKeyRaw),
    Buffer.from(s, 'base64url'),
  );
  if (!ok) {
    throw new ReceiptInvalidError('receipt signature does not verify');
  }
  const receipt = parsePart(p, 'payload') as Partial<ConsentReceipt>;
  if (
    receipt.version !== RECEIPT_VERSION ||
    typeof receipt.consentReceiptID !== 'string' ||
    typeof receipt.piiPrincipalId !== 'string' ||
    typeof receipt.consentTimestamp !== 'number' ||
    receipt['x-healthcode'] === undefined
  ) {
    throw new ReceiptInvalidError('receipt lacks required Kantara v1.1 fields');
  }
  if (receipt.publicKey !== b64url(key.publicKeyRaw)) {
    throw new ReceiptInvalidError('receipt publicKey does not match its signing key');
  }
  return receipt as ConsentReceipt;
}
