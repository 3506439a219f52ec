// SPDX-License-Identifier: Apache-2.0
/**
 * @module EU DCC Document Signer Certificates (DSC) loaded once for verification: the public key,
 * the validity window, the `kid` (first 8 bytes of SHA-256 over the DER certificate, hcert spec
 * Appendix A.1) and which certificate types the DSC may sign, from its extended key usage (hcert
 * spec Appendix A.4). Only the three DCC OIDs count: `1.3.6.1.4.1.1847.2021.1.1` test, `.2`
 * vaccination, `.3` recovery. Early spec drafts misprinted them with an extra `.0`
 * (`1.3.6.1.4.1.0.1847.2021.1.x`); the EU reference runner (dgc-testdata
 * `tests/test_ehealth_certs.py`, `CERT_VALIDITY_MAP`) and the reference verifier apps accept that
 * form as the same three usages and the public test DSCs carry it, so it is read as an alias.
 * Any other EKU (serverAuth, …) neither grants nor restricts anything.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { SignerCertificateError } from './errors.js';
import { instantFromDate, type Instant } from './instant.js';

/** The three DCC certificate types: test, vaccination, recovery. */
export type DccType = 't' | 'v' | 'r';

const DCC_EKU: ReadonlyMap<string, DccType> = new Map([
  ['1.3.6.1.4.1.1847.2021.1.1', 't'],
  ['1.3.6.1.4.1.1847.2021.1.2', 'v'],
  ['1.3.6.1.4.1.1847.2021.1.3', 'r'],
  // Legacy alias (see the module comment).
  ['1.3.6.1.4.1.0.1847.2021.1.1', 't'],
  ['1.3.6.1.4.1.0.1847.2021.1.2', 'v'],
  ['1.3.6.1.4.1.0.1847.2021.1.3', 'r'],
]);

/** A DSC prepared for verification. */
export interface DccSigner {
  /** First 8 bytes of SHA-256(DER), hex. */
  readonly kid: string;
  readonly publicKey: KeyObject;
  readonly notBefore: Instant;
  readonly notAfter: Instant;
  /** Types the DSC may sign; `null` when it carries none of the DCC OIDs (any type). */
  readonly types: ReadonlySet<DccType> | null;
}

/** The kid of a DER certificate (hcert spec Appendix A.1), hex. */
export function dccKid(der: Uint8Array): string {
  return createHash('sha256').update(der).digest().subarray(0, 8).toString('hex');
}

/** Reads a certificate given as base64 DER (the test data's `TESTCTX.CERTIFICATE`) or PEM. */
export function parseCertificateText(text: string): Buffer {
  if (typeof text !== 'string') {
    throw new TypeError('"text" expected a string');
  }
  if (text.length > 64 * 1024) {
    throw new SignerCertificateError('certificate text longer than 64 KiB');
  }
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  const body = (pem ? pem[1] : text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new SignerCertificateError('certificate is neither base64 DER nor PEM');
  }
  return Buffer.from(body, 'base64');
}

/**
 * Prepares a DSC from its DER bytes or its base64 / PEM text.
 *
 * @example
 * const signer = dccSignerFromCertificate(testCase.TESTCTX.CERTIFICATE);
 */
export function dccSignerFromCertificate(cert: string | Uint8Array): DccSigner {
  const der = typeof cert === 'string' ? parseCertificateText(cert) : Buffer.from(cert);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (err) {
    throw new SignerCertificateError('not an X.509 certificate', { cause: err });
  }
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new SignerCertificateError('certificate validity dates are unreadable');
  }
  const eku = (x509.keyUsage as string[] | undefined) ?? [];
  const types = new Set<DccType>();
  for (const oid of eku) {
    const t = DCC_EKU.get(oid);
    if (t !== undefined) {
      types.add(t);
    }
  }
  return Object.freeze({
    kid: dccKid(x509.raw),
    publicKey: x509.publicKey,
    notBefore: instantFromDate(notBefore),
    notAfter: instantFromDate(notAfter),
    types: types.size === 0 ? null : types,
  });
}
