// SPDX-License-Identifier: Apache-2.0
/**
 * @module Verification of EU Digital COVID Certificates (HCERT, hcert spec v1.0.x) as seven
 * stages that map one-to-one to the dgc-testdata flags: prefix `HC1:` (§4.2.2,
 * EXPECTEDUNPREFIX), Base45 (RFC 9285, EXPECTEDB45DECODE), zlib (RFC 1950, EXPECTEDCOMPRESSION),
 * COSE_Sign1 + CWT with the hcert claim −260 (RFC 9052, RFC 8392, §3.3; EXPECTEDDECODE), the
 * signature under the DSC whose kid matches (§3.3.3, App. A.1; EXPECTEDVERIFY), expiry
 * `DSC notBefore ≤ iat ≤ clock ≤ exp ≤ DSC notAfter` (§3.3.4–3.3.5; EXPECTEDEXPIRATIONCHECK) and
 * key usage (App. A.4; EXPECTEDKEYUSAGE). Each stage is `true`, `false`, or `null` when it could
 * not be reached; `valid` is their AND. Signature, expiry and key usage are judged
 * independently once the COSE stage passed, as the reference runner does.
 */
import { algFromId, keyFitsAlg, verifyWith } from './algorithms.js';
import { tryDecodeBase45 } from './base45.js';
import { CborTag, decodeCbor, type CborProfile } from './cbor.js';
import { cborToJson } from './cbor-json.js';
import { HEADER, TAG_COSE_SIGN1, TAG_CWT, headerParam, parseSign1, sigStructure } from './cose.js';
import type { Sign1, Sign1Policy } from './cose.js';
import type { DccSigner, DccType } from './dcc-signer.js';
import { tryInflate } from './inflate.js';
import { compareInstants, instantFromDate, instantFromSeconds, type Instant } from './instant.js';

export const DCC_PREFIX = 'HC1:';
/** A QR code holds at most 4,296 alphanumeric characters (ISO/IEC 18004, version 40-L). */
export const MAX_QR_TEXT = 4296;

export const DCC_STAGES = [
  'prefix',
  'base45',
  'zlib',
  'cose',
  'signature',
  'expiry',
  'keyUsage',
] as const;
export type DccStage = (typeof DCC_STAGES)[number];

/** The first failing stage's reason, or `ok`. */
export type DccReason =
  | 'ok'
  | 'too-large'
  | 'bad-prefix'
  | 'bad-base45'
  | 'bad-zlib'
  | 'bad-cose'
  | 'unknown-critical-header'
  | 'unsupported-algorithm'
  | 'kid-mismatch'
  | 'bad-signature'
  | 'missing-times'
  | 'not-yet-valid'
  | 'expired'
  | 'outside-certificate-validity'
  | 'key-usage';

export interface DccPayload {
  readonly iss: string | null;
  readonly iat: number | null;
  readonly exp: number | null;
  /** The `eu_dcc_v1` object as JSON. */
  readonly hcert: unknown;
}

export interface DccResult {
  readonly valid: boolean;
  readonly reason: DccReason;
  readonly stages: Readonly<Record<DccStage, boolean | null>>;
  readonly payload: DccPayload | null;
}

/** Intermediate bytes, for conformance tests against the test data's fields. */
export interface DccTrace {
  base45?: string;
  compressed?: Uint8Array;
  cose?: Uint8Array;
}

export interface DccVerifyOptions {
  /** Candidate DSCs; every one whose kid matches is tried (kids may collide, §3.3.3). */
  readonly signers: DccSigner | readonly DccSigner[];
  /** The validation clock. */
  readonly at: Instant | Date;
  /** Filled with intermediate results when given. */
  readonly trace?: DccTrace;
}

const PAYLOAD_PROFILE: CborProfile = {
  maxDepth: 16,
  allowIndefinite: true,
  minimalHeads: false,
  // RFC 8949 date/time (0, 1), RFC 8943 dates (100, 1004): some issuers tag dates in the payload.
  tags: [0, 1, 100, 1004],
};

export const DCC_SIGN1_POLICY: Sign1Policy = {
  cbor: {
    maxDepth: 16,
    allowIndefinite: true,
    minimalHeads: false,
    tags: [TAG_CWT, TAG_COSE_SIGN1],
  },
  // Tagged (the norm), untagged (RFC 9052 §2 allows it where the context is known), or wrapped
  // in the CWT tag as well (dgc-testdata common CO28).
  tagSequences: [[TAG_COSE_SIGN1], [], [TAG_CWT, TAG_COSE_SIGN1]],
};

const CLAIM = { iss: 1, exp: 4, iat: 6, hcert: -260 } as const;

/**
 * Verifies an `HC1:` string against DSCs at a validation clock. Never throws for bad input.
 *
 * @example
 * const r = verifyDcc(text, { signers: dccSignerFromCertificate(cert), at: new Date() });
 * if (!r.valid) console.log(r.reason, r.stages);
 */
export function verifyDcc(text: string, options: DccVerifyOptions): DccResult {
  const stages: Record<DccStage, boolean | null> = {
    prefix: null,
    base45: null,
    zlib: null,
    cose: null,
    signature: null,
    expiry: null,
    keyUsage: null,
  };
  const signers = Array.isArray(options.signers)
    ? (options.signers as readonly DccSigner[])
    : [options.signers as DccSigner];
  const at = options.at instanceof Date ? instantFromDate(options.at) : options.at;
  const done = (reason: DccReason, payload: DccPayload | null = null): DccResult => {
    const valid = DCC_STAGES.every((s) => stages[s] === true);
    return { valid, reason: valid ? 'ok' : reason, stages, payload };
  };

  if (typeof text !== 'string' || text.length > MAX_QR_TEXT) {
    stages.prefix = false;
    return done('too-large');
  }
  stages.prefix = text.startsWith(DCC_PREFIX);
  if (!stages.prefix) {
    return done('bad-prefix');
  }
  const body = text.slice(DCC_PREFIX.length);
  if (options.trace) {
    options.trace.base45 = body;
  }
  const compressed = tryDecodeBase45(body, MAX_QR_TEXT);
  stages.base45 = compressed !== undefined;
  if (compressed === undefined) {
    return done('bad-base45');
  }
  if (options.trace) {
    options.trace.compressed = compressed;
  }
  const inflated = tryInflate(compressed);
  stages.zlib = inflated.ok;
  if (!inflated.ok) {
    return done(inflated.problem === 'too-large' ? 'too-large' : 'bad-zlib');
  }
  if (options.trace) {
    options.trace.cose = inflated.bytes;
  }
  const parsed = parseSign1(inflated.bytes, DCC_SIGN1_POLICY);
  const claims = parsed.ok ? readClaims(parsed.value.payload) : undefined;
  stages.cose = claims !== undefined;
  if (!parsed.ok || claims === undefined) {
    const critical = !parsed.ok && parsed.problem === 'unknown-critical-header';
    return done(critical ? 'unknown-critical-header' : 'bad-cose');
  }
  const msg = parsed.value;
  const payload: DccPayload = {
    iss: claims.iss,
    iat: claims.iat,
    exp: claims.exp,
    hcert: cborToJson(claims.hcert),
  };

  const sig = checkSignature(msg, signers);
  stages.signature = sig.ok;
  const signer = sig.signer ?? (signers.length === 1 ? signers[0] : undefined);
  const expiry = signer === undefined ? null : checkExpiry(claims, signer, at);
  stages.expiry = expiry === null ? null : expiry === 'ok';
  const usage = signer === undefined ? null : checkKeyUsage(claims.hcert, signer);
  stages.keyUsage = usage;
  const reason: DccReason = !sig.ok
    ? sig.reason
    : expiry !== 'ok' && expiry !== null
      ? expiry
      : 'key-usage';
  return done(reason, payload);
}

interface Claims {
  readonly iss: string | null;
  readonly iat: number | null;
  readonly exp: number | null;
  readonly hcert: Map<unknown, unknown>;
}

/** The CWT claims with `hcert` (−260) → `eu_dcc_v1` (1) as a map (hcert spec §3.3.6–3.3.7). */
function readClaims(payload: Uint8Array): Claims | undefined {
  let claims: unknown;
  try {
    claims = decodeCbor(payload, PAYLOAD_PROFILE);
  } catch {
    return undefined;
  }
  if (!(claims instanceof Map)) {
    return undefined;
  }
  const cm = claims as Map<unknown, unknown>;
  const hcert = cm.get(CLAIM.hcert);
  const dcc: unknown = hcert instanceof Map ? (hcert as Map<unknown, unknown>).get(1) : undefined;
  if (!(dcc instanceof Map)) {
    return undefined;
  }
  const iss = cm.get(CLAIM.iss);
  return {
    iss: typeof iss === 'string' ? iss : null,
    iat: numericDate(cm.get(CLAIM.iat)),
    exp: numericDate(cm.get(CLAIM.exp)),
    hcert: dcc as Map<unknown, unknown>,
  };
}

/** A NumericDate (RFC 8392 §2), also when wrapped in the epoch tag 1. */
function numericDate(v: unknown): number | null {
  const n = v instanceof CborTag && v.tag === 1 ? v.value : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function checkSignature(
  msg: Sign1,
  signers: readonly DccSigner[],
): { ok: boolean; reason: DccReason; signer?: DccSigner } {
  const alg = algFromId(headerParam(msg, HEADER.alg));
  if (alg !== 'ES256' && alg !== 'PS256') {
    return { ok: false, reason: 'unsupported-algorithm' };
  }
  // §3.3.3: the protected kid wins; the unprotected one counts only when the protected has none.
  const kid = headerParam(msg, HEADER.kid);
  if (!(kid instanceof Uint8Array)) {
    return { ok: false, reason: 'kid-mismatch' };
  }
  const kidHex = Buffer.from(kid).toString('hex');
  const candidates = signers.filter((s) => s.kid === kidHex);
  if (candidates.length === 0) {
    return { ok: false, reason: 'kid-mismatch' };
  }
  const fitting = candidates.filter((s) => keyFitsAlg(s.publicKey, alg));
  if (fitting.length === 0) {
    return { ok: false, reason: 'unsupported-algorithm' };
  }
  const data = sigStructure(msg.protectedBytes, msg.payload);
  for (const s of fitting) {
    if (verifyWith(alg, s.publicKey, data, msg.signature)) {
      return { ok: true, reason: 'ok', signer: s };
    }
  }
  return {
    ok: false,
    reason: 'bad-signature',
    signer: fitting.length === 1 ? fitting[0] : undefined,
  };
}

function checkExpiry(claims: Claims, signer: DccSigner, at: Instant): DccReason {
  if (claims.iat === null || claims.exp === null) {
    return 'missing-times';
  }
  const iat = instantFromSeconds(claims.iat);
  const exp = instantFromSeconds(claims.exp);
  if (compareInstants(at, iat) < 0) {
    return 'not-yet-valid';
  }
  if (compareInstants(at, exp) > 0) {
    return 'expired';
  }
  if (compareInstants(signer.notBefore, iat) > 0 || compareInstants(exp, signer.notAfter) > 0) {
    return 'outside-certificate-validity';
  }
  return 'ok';
}

/** Exactly one of v/t/r, and a DSC with DCC usages must list that type (App. A.4). */
function checkKeyUsage(hcert: Map<unknown, unknown>, signer: DccSigner): boolean {
  const present = (['v', 't', 'r'] as DccType[]).filter((t) => hcert.has(t));
  if (present.length !== 1) {
    return false;
  }
  return signer.types === null || signer.types.has(present[0]);
}
