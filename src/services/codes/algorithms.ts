// SPDX-License-Identifier: Apache-2.0
/**
 * @module The three COSE signature algorithms a verifier accepts (RFC 9053 §2; EU DCC hcert spec
 * §3.3.2), all through node:crypto: EdDSA with Ed25519 (our default; RFC 9053 §2.2), ES256 with
 * the raw `r‖s` signature COSE prescribes (§2.1 — not DER), and PS256, RSASSA-PSS with SHA-256,
 * MGF1-SHA-256 and a 32-byte salt (RFC 8230 §2). A key is only ever used with the algorithm its
 * type allows, so a header cannot steer an Ed25519 key into another scheme.
 */
import {
  constants,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';

/** COSE algorithm identifiers (IANA "COSE Algorithms"). */
export const COSE_ALGS = Object.freeze({ EdDSA: -8, ES256: -7, PS256: -37 });
export type AlgName = keyof typeof COSE_ALGS;

/** The algorithm name for a COSE id, or `undefined` when we do not verify it. */
export function algFromId(id: unknown): AlgName | undefined {
  switch (id) {
    case -8:
      return 'EdDSA';
    case -7:
      return 'ES256';
    case -37:
      return 'PS256';
    default:
      return undefined;
  }
}

/** True when `key` (public or private) may be used with `alg`. */
export function keyFitsAlg(key: KeyObject, alg: AlgName): boolean {
  const type = key.asymmetricKeyType;
  switch (alg) {
    case 'EdDSA':
      return type === 'ed25519';
    case 'ES256':
      return type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'PS256':
      return (
        (type === 'rsa' || type === 'rsa-pss') &&
        (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048
      );
  }
}

/** The algorithm a key signs with by default, if any. */
export function algForKey(key: KeyObject): AlgName | undefined {
  return (['EdDSA', 'ES256', 'PS256'] as const).find((a) => keyFitsAlg(key, a));
}

/** A new private key for an algorithm. */
export function generateSigningKey(alg: AlgName): KeyObject {
  switch (alg) {
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    case 'PS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
}

/** Signs `data`; the caller checked {@link keyFitsAlg}. */
export function signWith(alg: AlgName, privateKey: KeyObject, data: Uint8Array): Buffer {
  switch (alg) {
    case 'EdDSA':
      return nodeSign(null, data, privateKey);
    case 'ES256':
      return nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    case 'PS256':
      return nodeSign('sha256', data, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
  }
}

/**
 * Verifies a signature; never throws. Lengths are checked first: Ed25519 and P-256 signatures
 * are exactly 64 bytes, an RSA signature as long as the modulus.
 */
export function verifyWith(
  alg: AlgName,
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    switch (alg) {
      case 'EdDSA':
        return signature.length === 64 && nodeVerify(null, data, publicKey, signature);
      case 'ES256':
        return (
          signature.length === 64 &&
          nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
        );
      case 'PS256':
        return (
          signature.length ===
            Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? -8) / 8) &&
          nodeVerify(
            'sha256',
            data,
            { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
            signature,
          )
        );
    }
  } catch {
    return false;
  }
}
