// SPDX-License-Identifier: Apache-2.0
/**
 * @module The signed trust list an offline verifier caches (DESIGN.md §4; the DCC model of
 * hcert spec §5 with our own format): the issuers' token-signing keys with their windows and the
 * current revocation list, as a JSON document whose body is signed with the instance's Ed25519
 * trust anchor. A key signs tokens in `[notBefore, notAfter]` and its tokens verify until
 * `verifyUntil` (= notAfter + the longest token life), so tokens outlive a key rotation until
 * they expire. The anchor's key id is printed so verifiers can pin it.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyFitsAlg, type AlgName } from './algorithms.js';
import { TrustListError } from './errors.js';
import type { RevocationList } from './revocation.js';
import { keyIdOf } from './token.js';

export const TRUST_LIST_FORMAT = 'healthcode.trust-list.v1';

/** How long a published trust list stays fresh. */
export const TRUST_LIST_DAYS = 7;

/** A token-signing key as verifiers see it. Times in epoch seconds. */
export interface TrustedKey {
  readonly kid: string;
  readonly issuer: string;
  readonly alg: AlgName;
  readonly publicKey: KeyObject;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly verifyUntil: number;
}

export interface TrustList {
  readonly anchorKid: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly keys: ReadonlyMap<string, TrustedKey>;
}

const b64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/)
  .max(8192);
const iso = z.string().datetime({ offset: true });
const kidHex = z.string().regex(/^[0-9a-f]{16}$/);

const bodySchema = z
  .object({
    issuedAt: iso,
    expiresAt: iso,
    keys: z
      .array(
        z
          .object({
            kid: kidHex,
            issuer: z.string().min(1).max(200),
            alg: z.enum(['EdDSA', 'ES256', 'PS256']),
            publicKey: b64url,
            notBefore: iso,
            notAfter: iso,
            verifyUntil: iso,
          })
          .strict(),
      )
      .max(1000),
    revocations: z
      .object({
        salt: b64url,
        hashType: z.literal('SIGNATURE'),
        hashes: z.array(z.string().regex(/^[A-Za-z0-9+/]{22}==$/)).max(1_000_000),
        keys: z.array(kidHex).max(1000),
      })
      .strict(),
  })
  .strict();

const docSchema = z
  .object({
    format: z.literal(TRUST_LIST_FORMAT),
    anchor: z.object({ kid: kidHex, alg: z.literal('EdDSA'), publicKey: b64url }).strict(),
    body: b64url,
    signature: b64url,
  })
  .strict();

export type TrustListBody = z.infer<typeof bodySchema>;

const seconds = (isoText: string) => Math.floor(Date.parse(isoText) / 1000);
const toIso = (s: number) => new Date(s * 1000).toISOString();
const signedBytes = (body: string) => Buffer.from(`${TRUST_LIST_FORMAT}.${body}`, 'ascii');

export interface TrustListInput {
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly keys: readonly TrustedKey[];
  readonly revocations: RevocationList;
}

/** Writes and signs a trust list with the anchor's Ed25519 private key. */
export function buildTrustList(input: TrustListInput, anchor: KeyObject): string {
  if (anchor.asymmetricKeyType !== 'ed25519' || anchor.type !== 'private') {
    throw new TypeError('"anchor" expected an Ed25519 private key');
  }
  const body: TrustListBody = {
    issuedAt: toIso(input.issuedAt),
    expiresAt: toIso(input.expiresAt),
    keys: input.keys.map((k) => ({
      kid: k.kid,
      issuer: k.issuer,
      alg: k.alg,
      publicKey: k.publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'),
      notBefore: toIso(k.notBefore),
      notAfter: toIso(k.notAfter),
      verifyUntil: toIso(k.verifyUntil),
    })),
    revocations: {
      salt: Buffer.from(input.revocations.salt).toString('base64url'),
      hashType: 'SIGNATURE',
      hashes: [...input.revocations.tokens].sort(),
      keys: [...input.revocations.keys].sort(),
    },
  };
  const bodyText = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  const anchorPublic = createPublicKey(anchor);
  const doc = {
    format: TRUST_LIST_FORMAT,
    anchor: {
      kid: keyIdOf(anchorPublic),
      alg: 'EdDSA',
      publicKey: anchorPublic.export({ type: 'spki', format: 'der' }).toString('base64url'),
    },
    body: bodyText,
    signature: sign(null, signedBytes(bodyText), anchor).toString('base64url'),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export interface ParseTrustListOptions {
  /** Anchor key ids the verifier pins; when given, any other anchor is refused. */
  readonly anchors?: readonly string[];
}

/**
 * Checks a trust list's signature and shape; throws {@link TrustListError}. Its freshness is
 * judged per verification (`expiresAt` against the verification time).
 */
export function parseTrustList(
  text: string,
  options: ParseTrustListOptions = {},
): { trustList: TrustList; revocations: RevocationList } {
  if (typeof text !== 'string' || text.length > 64 * 1024 * 1024) {
    throw new TrustListError('trust list is not text or larger than 64 MiB');
  }
  let doc: z.infer<typeof docSchema>;
  try {
    doc = docSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new TrustListError('not a healthcode trust list', { cause: err });
  }
  let anchor: KeyObject;
  try {
    anchor = createPublicKey({
      key: Buffer.from(doc.anchor.publicKey, 'base64url'),
      format: 'der',
      type: 'spki',
    });
  } catch (err) {
    throw new TrustListError('trust anchor key unreadable', { cause: err });
  }
  if (anchor.asymmetricKeyType !== 'ed25519' || keyIdOf(anchor) !== doc.anchor.kid) {
    throw new TrustListError('trust anchor key id does not match its key');
  }
  if (options.anchors !== undefined && !options.anchors.includes(doc.anchor.kid)) {
    throw new TrustListError('trust list signed by an anchor that is not pinned', {
      details: { anchor: doc.anchor.kid },
    });
  }
  if (!verify(null, signedBytes(doc.body), anchor, Buffer.from(doc.signature, 'base64url'))) {
    throw new TrustListError('trust list signature does not verify');
  }
  let body: TrustListBody;
  try {
    body = bodySchema.parse(JSON.parse(Buffer.from(doc.body, 'base64url').toString('utf8')));
  } catch (err) {
    throw new TrustListError('trust list body malformed', { cause: err });
  }
  const keys = new Map<string, TrustedKey>();
  for (const k of body.keys) {
    const publicKey = readKey(k.publicKey);
    if (keyIdOf(publicKey) !== k.kid || !keyFitsAlg(publicKey, k.alg)) {
      throw new TrustListError('trust list key does not match its id or algorithm', {
        details: { kid: k.kid },
      });
    }
    keys.set(k.kid, {
      kid: k.kid,
      issuer: k.issuer,
      alg: k.alg,
      publicKey,
      notBefore: seconds(k.notBefore),
      notAfter: seconds(k.notAfter),
      verifyUntil: seconds(k.verifyUntil),
    });
  }
  return {
    trustList: {
      anchorKid: doc.anchor.kid,
      issuedAt: seconds(body.issuedAt),
      expiresAt: seconds(body.expiresAt),
      keys,
    },
    revocations: {
      salt: Buffer.from(body.revocations.salt, 'base64url'),
      tokens: new Set(body.revocations.hashes),
      keys: new Set(body.revocations.keys),
    },
  };
}

function readKey(spki: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki, 'base64url'), format: 'der', type: 'spki' });
  } catch (err) {
    throw new TrustListError('trust list key unreadable', { cause: err });
  }
}
