// SPDX-License-Identifier: Apache-2.0
/**
 * @module The portability package (PIPL art. 45 para. 3: transfer to another processor): the
 * person's data as JSON, signed by the exporting controller as a compact JWS (RFC 7515) with
 * EdDSA / Ed25519 (RFC 8037, node:crypto) under its receipt-signing key, and the trust file the
 * receiving instance is given out of band (`request package-key`). Verification is all or
 * nothing: a forged or altered package, or one signed by a key not in the trust file, is refused
 * before anything is read from it.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import { PackageInvalidError } from './errors.js';

export const PACKAGE_FORMAT = 'healthcode-portability/v1';
export const TRUST_FORMAT = 'healthcode-portability-key/v1';
const TYP = 'healthcode-portability+jws';
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const B64URL = /^[A-Za-z0-9_-]+$/;

const category = z.enum(DATA_CATEGORIES);
const PayloadSchema = z
  .object({
    format: z.literal(PACKAGE_FORMAT),
    packageId: z.string().regex(/^pk-[0-9a-f]{32}$/),
    issuedAt: z.string().datetime({ offset: true }),
    issuer: z.object({ name: z.string().max(200), contact: z.string().max(200) }).strict(),
    subjects: z
      .array(
        z
          .object({
            ref: z.number().int().min(0).max(99),
            kind: z.enum(['citizen', 'subscriber']),
            /** Refs of the subjects linked to this one (a citizen's proven phones). */
            links: z.array(z.number().int().min(0).max(99)).max(20),
            records: z.array(z.object({ category, value: z.unknown() }).strict()).max(100_000),
            bundles: z
              .array(
                z
                  .object({
                    category,
                    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
                    entries: z.array(z.object({ id: z.string().min(1).max(200) }).passthrough()),
                  })
                  .strict(),
              )
              .max(10_000),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict();

export type PackagePayload = z.infer<typeof PayloadSchema>;

/** What the receiving instance trusts: the exporter's public key. */
export interface PackageTrust {
  readonly format: typeof TRUST_FORMAT;
  readonly kid: string;
  /** Raw 32-byte Ed25519 public key, base64url. */
  readonly publicKey: string;
  readonly controller: { readonly name: string; readonly contact: string };
}

export interface PackageSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKeyRaw: Buffer;
}

function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs a payload; the package is the compact JWS text. */
export function signPackage(payload: PackagePayload, key: PackageSigningKey): string {
  const header = b64url(JSON.stringify({ alg: 'EdDSA', typ: TYP, kid: key.kid }));
  const body = b64url(JSON.stringify(payload));
  const sig = sign(null, Buffer.from(`${header}.${body}`, 'ascii'), key.privateKey);
  return `${header}.${body}.${b64url(sig)}\n`;
}

/** The trust file for a signing key. */
export function trustOf(
  key: Pick<PackageSigningKey, 'kid' | 'publicKeyRaw'>,
  controller: PackageTrust['controller'],
): PackageTrust {
  return {
    format: TRUST_FORMAT,
    kid: key.kid,
    publicKey: b64url(key.publicKeyRaw),
    controller: { name: controller.name, contact: controller.contact },
  };
}

/** Parses a trust file; a malformed one is a {@link PackageInvalidError}. */
export function parseTrust(text: string): PackageTrust {
  let v: Partial<PackageTrust>;
  try {
    v = JSON.parse(text) as Partial<PackageTrust>;
  } catch {
    throw new PackageInvalidError('the trust file is not JSON');
  }
  if (
    v?.format !== TRUST_FORMAT ||
    typeof v.kid !== 'string' ||
    typeof v.publicKey !== 'string' ||
    !B64URL.test(v.publicKey) ||
    Buffer.from(v.publicKey, 'base64url').length !== 32
  ) {
    throw new PackageInvalidError(`the trust file is not a ${TRUST_FORMAT} document`);
  }
  return v as PackageTrust;
}

function part(p: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw new PackageInvalidError(`the package ${what} is not base64url JSON`);
  }
}

/**
 * Verifies a package against the trusted key and returns its payload; throws
 * `ERR_RIGHTS_PACKAGE_INVALID` when it is forged, altered, signed by another key or malformed.
 */
export function verifyPackage(text: string, trust: PackageTrust): PackagePayload {
  const parts = typeof text === 'string' ? text.trim().split('.') : [];
  if (parts.length !== 3 || !parts.every((p) => p.length > 0 && B64URL.test(p))) {
    throw new PackageInvalidError('the package is not a compact JWS');
  }
  const [h, p, s] = parts as [string, string, string];
  const header = part(h, 'header') as {
    alg?: unknown;
    typ?: unknown;
    kid?: unknown;
    crit?: unknown;
  };
  if (header.alg !== 'EdDSA' || header.typ !== TYP || header.crit !== undefined) {
    throw new PackageInvalidError('the package header must be {alg: EdDSA, typ, kid}');
  }
  if (header.kid !== trust.kid) {
    throw new PackageInvalidError('the package is signed by a key the trust file does not name');
  }
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(trust.publicKey, 'base64url')]),
    format: 'der',
    type: 'spki',
  });
  if (!verify(null, Buffer.from(`${h}.${p}`, 'ascii'), publicKey, Buffer.from(s, 'base64url'))) {
    throw new PackageInvalidError('the package signature does not verify (forged or altered)');
  }
  const parsed = PayloadSchema.safeParse(part(p, 'payload'));
  if (!parsed.success) {
    throw new PackageInvalidError('the package payload does not follow the format');
  }
  const refs = new Set(parsed.data.subjects.map((x) => x.ref));
  if (
    refs.size !== parsed.data.subjects.length ||
    parsed.data.subjects.some((x) => x.links.some((l) => !refs.has(l)))
  ) {
    throw new PackageInvalidError('the package links name subjects it does not hold');
  }
  return parsed.data;
}
