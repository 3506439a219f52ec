// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal certificates (DOMAIN.md req. 18; NIST SP 800-88 Rev. 1 App. G "Certificate of
 * Sanitization" adapted to personal data): what was disposed of, where, how (logical, physical,
 * crypto-erasure), when, who approved and ran it, the verification result and the exemptions.
 * Signed with the instance's Ed25519 certificate key over canonical JSON, and anchored in the
 * audit log. A certificate never contains personal data: subjects appear only as counts, or —
 * on a per-subject certificate — as a commitment to a random code only the citizen holds.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { DataCategory } from '../../kernel/domain/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import type { Action, Exemption, RetireTarget, StoreMethod } from './model.js';

export const PLAN_CERTIFICATE_KIND = 'healthcode/disposal-certificate';
export const SUBJECT_CERTIFICATE_KIND = 'healthcode/disposal-subject-certificate';
export const ADDENDUM_KIND = 'healthcode/disposal-addendum';

export interface CertificateSignature {
  readonly alg: 'Ed25519';
  /** SPKI DER, base64. */
  readonly publicKey: string;
  /** Over the canonical JSON of the certificate without `signature`. */
  readonly value: string;
}

export interface VerificationSummary {
  readonly at: string;
  readonly ok: boolean;
  /** Disposed subjects checked, and those whose data keys or rows were still found. */
  readonly subjectsChecked: number;
  readonly keysPresent: number;
  readonly rowsRemaining: number;
  readonly storesConfirmed: number;
  readonly storesUnconfirmed: readonly string[];
  /** Present when a canary scan ran: files scanned and hits (0 is the only passing value). */
  readonly canaryScan: {
    readonly files: number;
    readonly canaries: number;
    readonly hits: number;
  } | null;
}

export interface PlanCertificate {
  readonly kind: typeof PLAN_CERTIFICATE_KIND;
  readonly version: 1;
  readonly id: string;
  readonly issuedAt: string;
  readonly issuer: {
    readonly origin: string;
    readonly responsibleParty: { readonly name: string; readonly contact: string };
    readonly synthetic: boolean;
  };
  readonly plan: {
    readonly id: string;
    readonly sha256: string;
    readonly title: string;
    readonly retire: RetireTarget;
    readonly trigger: string;
    readonly retiredPurposes: readonly string[];
    readonly retiredServices: readonly string[];
  };
  readonly approvals: readonly { readonly by: string; readonly at: string }[];
  readonly execution: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly subjects: number;
    readonly subjectsWhollyErased: number;
  };
  /** What: per category, the action and counts. */
  readonly what: readonly {
    readonly category: DataCategory;
    readonly action: Action;
    readonly subjectsErased: number;
    readonly recordsErased: number;
    readonly subjectsRetained: number;
    readonly recordsRetained: number;
    readonly subjectsKept: number;
  }[];
  /** Where and how: per inventoried store, the method and records before / after. */
  readonly where: readonly {
    readonly store: string;
    readonly method: StoreMethod;
    readonly recordsBefore: number | null;
    readonly recordsAfter: number | null;
  }[];
  readonly methods: readonly StoreMethod[];
  readonly exemptions: readonly (Exemption & {
    readonly appliesTo: string;
    readonly subjects: number;
  })[];
  readonly anonymised: readonly {
    readonly category: DataCategory;
    readonly k: number;
    readonly cells: number;
    readonly suppressedCells: number;
    readonly sha256: string;
  }[];
  readonly recipients: readonly {
    readonly id: string;
    readonly name: string;
    readonly noticeSentAt: string | null;
    readonly acknowledgedAt: string | null;
  }[];
  readonly verification: VerificationSummary;
  readonly signature?: CertificateSignature;
}

export interface SubjectCertificate {
  readonly kind: typeof SUBJECT_CERTIFICATE_KIND;
  readonly version: 1;
  readonly id: string;
  readonly issuedAt: string;
  readonly issuer: { readonly origin: string; readonly responsibleParty: string };
  /** The plan or rights request under which the subject's data was disposed of. */
  readonly basis: {
    readonly kind: 'plan' | 'request';
    readonly id: string;
    readonly sha256?: string;
  };
  /** SHA-256 of a domain label and the citizen's random code; no personal data. */
  readonly subjectCommitment: string;
  readonly erased: readonly DataCategory[];
  readonly restricted: readonly { readonly category: DataCategory; readonly until: string }[];
  readonly kept: readonly DataCategory[];
  readonly methods: readonly StoreMethod[];
  readonly verification: { readonly keysAbsent: boolean; readonly rowsRemaining: number };
  readonly signature?: CertificateSignature;
}

/** Later facts about a plan: third-party acknowledgments, ended exemptions. */
export interface CertificateAddendum {
  readonly kind: typeof ADDENDUM_KIND;
  readonly version: 1;
  readonly id: string;
  readonly issuedAt: string;
  readonly planId: string;
  /** SHA-256 of the signed plan certificate this adds to. */
  readonly certificateSha256: string;
  readonly event: 'acknowledgment' | 'exemption-ended';
  readonly facts: Readonly<Record<string, string | number | boolean>>;
  readonly signature?: CertificateSignature;
}

export type AnyCertificate = PlanCertificate | SubjectCertificate | CertificateAddendum;

/** The commitment a per-subject certificate carries for a citizen's retrieval code. */
export function subjectCommitment(code: string): string {
  return sha256Hex(`healthcode disposal subject certificate v1\n${code}`);
}

/** The bytes a certificate's signature covers. */
export function certificateSigningBytes(cert: AnyCertificate): Buffer {
  const { signature: _signature, ...body } = cert;
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** SHA-256 (hex) of a signed certificate's canonical form, as recorded in the audit log. */
export function certificateHash(cert: AnyCertificate): string {
  return sha256Hex(canonicalJson(cert));
}

/** Signs a certificate with the instance's Ed25519 certificate key. */
export function signCertificate<T extends AnyCertificate>(cert: T, privateKey: KeyObject): T {
  const publicKey = createPublicKey(privateKey)
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
  const value = sign(null, certificateSigningBytes(cert), privateKey).toString('base64');
  return { ...cert, signature: { alg: 'Ed25519', publicKey, value } };
}

/**
 * Checks a certificate's signature against its embedded key and, when given, the key the
 * instance publishes (otherwise anyone could sign a certificate with their own key).
 */
export function verifyCertificateSignature(
  cert: AnyCertificate,
  expectedPublicKey?: string,
): boolean {
  const sig = cert.signature;
  if (sig?.alg !== 'Ed25519') {
    return false;
  }
  if (expectedPublicKey !== undefined && expectedPublicKey !== sig.publicKey) {
    return false;
  }
  try {
    const key = createPublicKey({
      key: Buffer.from(sig.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(null, certificateSigningBytes(cert), key, Buffer.from(sig.value, 'base64'));
  } catch {
    // A key or signature that does not even parse is a certificate that does not verify.
    return false;
  }
}
