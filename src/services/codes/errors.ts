// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the health-code capability (STYLE.md §5). Verifiers never throw for a
 * bad token — they return a verdict with a stable reason — so these cover the issuer side, the
 * trust list and inputs a caller could not use at all. Messages carry no personal data.
 */
import { AppError } from '../../kernel/shared/index.js';

/** A trust list whose format, signature or validity is unusable. */
export class TrustListError extends AppError {
  static override readonly code = 'ERR_CODES_TRUST_LIST';
  override readonly code = 'ERR_CODES_TRUST_LIST';
}

/** A rule set that does not validate against the rule-set schema. */
export class RuleSetError extends AppError {
  static override readonly code = 'ERR_CODES_RULE_SET';
  override readonly code = 'ERR_CODES_RULE_SET';
}

/** Colour inputs that the evaluator cannot use (bad times, unknown values). */
export class ColourInputError extends AppError {
  static override readonly code = 'ERR_CODES_COLOUR_INPUT';
  override readonly code = 'ERR_CODES_COLOUR_INPUT';
}

/** No signing key exists yet, or the named key is unknown. */
export class SigningKeyError extends AppError {
  static override readonly code = 'ERR_CODES_SIGNING_KEY';
  override readonly code = 'ERR_CODES_SIGNING_KEY';
}

/** A revocation target that is neither a token hash nor a key id we issued. */
export class RevocationTargetError extends AppError {
  static override readonly code = 'ERR_CODES_REVOCATION_TARGET';
  override readonly code = 'ERR_CODES_REVOCATION_TARGET';
}

/** A QR image that cannot be read (not a PNG, too large, no code found). */
export class QrImageError extends AppError {
  static override readonly code = 'ERR_CODES_QR_IMAGE';
  override readonly code = 'ERR_CODES_QR_IMAGE';
}

/** A collaborator the command needs (vault, keyring) is not wired into this build. */
export class CodesWiringError extends AppError {
  static override readonly code = 'ERR_CODES_NOT_WIRED';
  override readonly code = 'ERR_CODES_NOT_WIRED';
}

/** A DCC signer certificate that cannot be parsed or has an unusable key. */
export class SignerCertificateError extends AppError {
  static override readonly code = 'ERR_CODES_SIGNER_CERTIFICATE';
  override readonly code = 'ERR_CODES_SIGNER_CERTIFICATE';
}

/** Input that one decoding stage (base45, zlib, CBOR, COSE) rejects; `details.stage` names it. */
export class CodesDecodeError extends AppError {
  static override readonly code = 'ERR_CODES_DECODE';
  override readonly code = 'ERR_CODES_DECODE';
}

/** The requester is not the guardian the vault records for this dependant (PIPL art. 31). */
export class GuardianLinkError extends AppError {
  static override readonly code = 'ERR_CODES_NOT_GUARDIAN';
  override readonly code = 'ERR_CODES_NOT_GUARDIAN';
}

/** No colour decision is stored for the subject yet: nothing to explain. */
export class NoDecisionError extends AppError {
  static override readonly code = 'ERR_CODES_NO_DECISION';
  override readonly code = 'ERR_CODES_NO_DECISION';
}

/** A human review that was already decided (the API answers 409). */
export class ReviewStateError extends AppError {
  static override readonly code = 'ERR_CODES_REVIEW_STATE';
  override readonly code = 'ERR_CODES_REVIEW_STATE';
}

/** No human review has that id (the API answers 404). */
export class ReviewUnknownError extends AppError {
  static override readonly code = 'ERR_CODES_REVIEW_UNKNOWN';
  override readonly code = 'ERR_CODES_REVIEW_UNKNOWN';
}

/** The instance's risk-area list cannot be read. */
export class RiskAreaListError extends AppError {
  static override readonly code = 'ERR_CODES_RISK_AREAS';
  override readonly code = 'ERR_CODES_RISK_AREAS';
}
