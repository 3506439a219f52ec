// SPDX-License-Identifier: Apache-2.0
/**
 * @module Per-subject certificate bundles a citizen keeps and checks offline (DOMAIN.md req. 17–18;
 * DESIGN.md §7): the signed certificate together with the audit log's inclusion-proof bundle for
 * its leaf. The file is an `audit check-proof` bundle with one extra member, `certificate`, so the
 * audit command checks the proof and `disposal certificate check` checks all three: the
 * signature, the leaf's hash of the certificate, and the proof.
 */
import { checkInclusionBundle } from '../../foundation/audit/index.js';
import { certificateHash, verifyCertificateSignature, type AnyCertificate } from './certificate.js';
import { CertificateInvalidError } from './errors.js';

export interface CertificateBundle {
  readonly format: 'healthcode/audit-inclusion/v1';
  readonly certificate: AnyCertificate;
  readonly [member: string]: unknown;
}

/** Bundles a certificate with its inclusion proof. */
export function certificateBundle(certificate: AnyCertificate, proof: object): CertificateBundle {
  return { ...(proof as { format: 'healthcode/audit-inclusion/v1' }), certificate };
}

export interface BundleVerdict {
  readonly certificateId: string;
  readonly kind: string;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly origin: string;
  readonly keyPinned: boolean;
}

/** Checks a certificate bundle offline; throws a typed error naming the first failure. */
export function checkCertificateBundle(
  text: string,
  options: { logKey?: string; certificateKey?: string } = {},
): BundleVerdict {
  let bundle: CertificateBundle;
  try {
    bundle = JSON.parse(text) as CertificateBundle;
  } catch (cause) {
    throw new CertificateInvalidError('the certificate bundle is not JSON', { cause });
  }
  const cert = bundle.certificate;
  if (typeof cert !== 'object' || cert === null) {
    throw new CertificateInvalidError('the bundle holds no certificate');
  }
  if (!verifyCertificateSignature(cert, options.certificateKey)) {
    throw new CertificateInvalidError('the certificate signature does not verify');
  }
  const verdict = checkInclusionBundle(text, options.logKey);
  const leaf = verdict.leaf;
  const details =
    leaf !== undefined && !leaf.sealed && leaf.kind === 'certificate'
      ? leaf.body.details
      : undefined;
  if (details?.certificateId !== cert.id || details.sha256 !== certificateHash(cert)) {
    throw new CertificateInvalidError('the logged leaf does not record this certificate');
  }
  return {
    certificateId: cert.id,
    kind: cert.kind,
    leafIndex: verdict.leafIndex,
    treeSize: verdict.treeSize,
    origin: verdict.origin,
    keyPinned: verdict.keyPinned,
  };
}
