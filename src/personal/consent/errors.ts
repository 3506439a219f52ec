// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the consent capability (STYLE.md §5): purposes and their PIPL art. 13
 * bases, notices (art. 17), the consent ledger (arts. 14–16, 29, 31), receipts, PIA records
 * (arts. 55–56) and repurposing campaigns. Messages name purposes, categories and record ids —
 * never a name, ID number or phone.
 */
import { AppError } from '../../kernel/shared/errors.js';

/** The purpose id is not in the catalogue. */
export class UnknownPurposeError extends AppError {
  static override readonly code = 'ERR_CONSENT_UNKNOWN_PURPOSE';
  override readonly code = 'ERR_CONSENT_UNKNOWN_PURPOSE';
}

/** The service id is not in the catalogue. */
export class UnknownServiceError extends AppError {
  static override readonly code = 'ERR_CONSENT_UNKNOWN_SERVICE';
  override readonly code = 'ERR_CONSENT_UNKNOWN_SERVICE';
}

/** A name that is not one of the fixed data categories. */
export class UnknownCategoryError extends AppError {
  static override readonly code = 'ERR_CONSENT_UNKNOWN_CATEGORY';
  override readonly code = 'ERR_CONSENT_UNKNOWN_CATEGORY';
}

/** Consent asked for a category the purpose does not process (PIPL art. 6: minimum necessary). */
export class CategoryNotInPurposeError extends AppError {
  static override readonly code = 'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE';
  override readonly code = 'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE';
}

/** Consent offered for a purpose whose basis is not consent (art. 13(2)–(7)). */
export class NotConsentBasedError extends AppError {
  static override readonly code = 'ERR_CONSENT_NOT_CONSENT_BASED';
  override readonly code = 'ERR_CONSENT_NOT_CONSENT_BASED';
}

/** The purpose's validity window is closed (retired) or not open yet. */
export class PurposeInactiveError extends AppError {
  static override readonly code = 'ERR_CONSENT_PURPOSE_INACTIVE';
  override readonly code = 'ERR_CONSENT_PURPOSE_INACTIVE';
}

/** A purpose or service definition breaks a catalogue rule, or its id is taken. */
export class CatalogueInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_CATALOGUE_INVALID';
  override readonly code = 'ERR_CONSENT_CATALOGUE_INVALID';
}

/** Sensitive data offered without a separate consent act (PIPL art. 29). */
export class SeparateConsentRequiredError extends AppError {
  static override readonly code = 'ERR_CONSENT_SEPARATE_REQUIRED';
  override readonly code = 'ERR_CONSENT_SEPARATE_REQUIRED';
}

/** A separate consent bundled with non-sensitive terms (PIPL art. 29: not bundled). */
export class BundledConsentError extends AppError {
  static override readonly code = 'ERR_CONSENT_BUNDLED';
  override readonly code = 'ERR_CONSENT_BUNDLED';
}

/** An under-14's consent not given by a guardian, or a guardian that is the subject (art. 31). */
export class GuardianRequiredError extends AppError {
  static override readonly code = 'ERR_CONSENT_GUARDIAN_REQUIRED';
  override readonly code = 'ERR_CONSENT_GUARDIAN_REQUIRED';
}

/** The notice hash is unknown, or is not a current privacy policy. */
export class NoticeInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_NOTICE_INVALID';
  override readonly code = 'ERR_CONSENT_NOTICE_INVALID';
}

/** A withdrawal that names no active consent. */
export class NothingToWithdrawError extends AppError {
  static override readonly code = 'ERR_CONSENT_NOTHING_TO_WITHDRAW';
  override readonly code = 'ERR_CONSENT_NOTHING_TO_WITHDRAW';
}

/** A receipt whose signature, key or content does not verify (forged or altered). */
export class ReceiptInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_RECEIPT_INVALID';
  override readonly code = 'ERR_CONSENT_RECEIPT_INVALID';
}

/** An operation that needs a stored privacy-impact assessment lacks one (PIPL arts. 55–56). */
export class PiaRequiredError extends AppError {
  static override readonly code = 'ERR_CONSENT_PIA_REQUIRED';
  override readonly code = 'ERR_CONSENT_PIA_REQUIRED';
}

/** A PIA record that is incomplete (art. 56 lists what it must cover). */
export class PiaInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_PIA_INVALID';
  override readonly code = 'ERR_CONSENT_PIA_INVALID';
}

/** A repurposing campaign that is closed, or asked of someone it did not invite. */
export class CampaignInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_CAMPAIGN_INVALID';
  override readonly code = 'ERR_CONSENT_CAMPAIGN_INVALID';
}

/** No repurposing campaign has that id (the API answers 404). */
export class CampaignUnknownError extends AppError {
  static override readonly code = 'ERR_CONSENT_CAMPAIGN_UNKNOWN';
  override readonly code = 'ERR_CONSENT_CAMPAIGN_UNKNOWN';
}

/** A subject id that is not an opaque id (e.g. looks like an ID number or phone). */
export class SubjectIdInvalidError extends AppError {
  static override readonly code = 'ERR_CONSENT_SUBJECT_ID_INVALID';
  override readonly code = 'ERR_CONSENT_SUBJECT_ID_INVALID';
}

/** The guard refused a read: the purpose has no valid basis for that category now. */
export class ConsentRefusedError extends AppError {
  static override readonly code = 'ERR_CONSENT_REFUSED';
  override readonly code = 'ERR_CONSENT_REFUSED';
}

/** Every consent error code. */
export type ConsentErrorCode =
  | typeof UnknownPurposeError.code
  | typeof UnknownServiceError.code
  | typeof UnknownCategoryError.code
  | typeof CategoryNotInPurposeError.code
  | typeof NotConsentBasedError.code
  | typeof PurposeInactiveError.code
  | typeof CatalogueInvalidError.code
  | typeof SeparateConsentRequiredError.code
  | typeof BundledConsentError.code
  | typeof GuardianRequiredError.code
  | typeof NoticeInvalidError.code
  | typeof NothingToWithdrawError.code
  | typeof ReceiptInvalidError.code
  | typeof PiaRequiredError.code
  | typeof PiaInvalidError.code
  | typeof CampaignInvalidError.code
  | typeof SubjectIdInvalidError.code
  | typeof ConsentRefusedError.code;
