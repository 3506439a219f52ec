// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the domain model (STYLE.md §5): GB 11643-1999 ID numbers, GB/T 2260
 * division codes, GB/T 2261.1 sex codes, GB/T 2659 countries and the GB/T 38962-2020 data
 * elements we validate. Messages name the rule that failed and never echo the input (an ID
 * number, phone or name is personal data).
 */
import { AppError } from '../shared/errors.js';

/** The rules an ID number can break (GB 11643-1999; DOMAIN.md §6 req. 2). */
export const ID_RULES = [
  'length',
  'characters',
  'check-character',
  'birth-date',
  'birth-in-future',
  'province',
] as const;
export type IdRule = (typeof ID_RULES)[number];

/** Base of the ID-number errors; `rule` says which GB 11643 rule failed. */
export abstract class IdNumberError extends AppError {
  abstract readonly rule: IdRule;
}

/** Not 18 characters (or 15 for a legacy number where one is expected). */
export class IdLengthError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_LENGTH';
  override readonly code = 'ERR_DOMAIN_ID_LENGTH';
  readonly rule = 'length' as const;
}

/** The body is not all digits, or the check character is not a digit or X. */
export class IdCharactersError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_CHARACTERS';
  override readonly code = 'ERR_DOMAIN_ID_CHARACTERS';
  readonly rule = 'characters' as const;
}

/** The check character is not the ISO 7064 MOD 11-2 value of the body. */
export class IdCheckCharacterError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_CHECK_CHARACTER';
  override readonly code = 'ERR_DOMAIN_ID_CHECK_CHARACTER';
  readonly rule = 'check-character' as const;
}

/** The birth-date field is not a real calendar date. */
export class IdBirthDateError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_BIRTH_DATE';
  override readonly code = 'ERR_DOMAIN_ID_BIRTH_DATE';
  readonly rule = 'birth-date' as const;
}

/** The birth date lies after today. */
export class IdBirthInFutureError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_BIRTH_IN_FUTURE';
  override readonly code = 'ERR_DOMAIN_ID_BIRTH_IN_FUTURE';
  readonly rule = 'birth-in-future' as const;
}

/** The first two digits are not a province-level code of GB/T 2260. */
export class IdProvinceError extends IdNumberError {
  static override readonly code = 'ERR_DOMAIN_ID_PROVINCE';
  override readonly code = 'ERR_DOMAIN_ID_PROVINCE';
  readonly rule = 'province' as const;
}

/** A division code is not six digits (GB/T 2260). */
export class RegionFormatError extends AppError {
  static override readonly code = 'ERR_DOMAIN_REGION_FORMAT';
  override readonly code = 'ERR_DOMAIN_REGION_FORMAT';
}

/** A 9- or 12-digit NBS statistical code was given where a GB/T 2260 code belongs (req. 4). */
export class RegionNbsCodeError extends AppError {
  static override readonly code = 'ERR_DOMAIN_REGION_NBS_CODE';
  override readonly code = 'ERR_DOMAIN_REGION_NBS_CODE';
}

/** A well-formed division code that the pinned dataset does not list. */
export class RegionUnknownError extends AppError {
  static override readonly code = 'ERR_DOMAIN_REGION_UNKNOWN';
  override readonly code = 'ERR_DOMAIN_REGION_UNKNOWN';
}

/** A code that groups several places (e.g. `429000`) where one place is needed. */
export class RegionNotAPlaceError extends AppError {
  static override readonly code = 'ERR_DOMAIN_REGION_NOT_A_PLACE';
  override readonly code = 'ERR_DOMAIN_REGION_NOT_A_PLACE';
}

/** Not an ISO 3166-1 / GB/T 2659 country code. */
export class CountryError extends AppError {
  static override readonly code = 'ERR_DOMAIN_COUNTRY';
  override readonly code = 'ERR_DOMAIN_COUNTRY';
}

/** Not a Chinese mobile number. */
export class PhoneError extends AppError {
  static override readonly code = 'ERR_DOMAIN_PHONE';
  override readonly code = 'ERR_DOMAIN_PHONE';
}

/** Not a GB/T 2261.1 sex code. */
export class SexCodeError extends AppError {
  static override readonly code = 'ERR_DOMAIN_SEX_CODE';
  override readonly code = 'ERR_DOMAIN_SEX_CODE';
}

/** A body temperature that is malformed or outside the plausible range. */
export class TemperatureError extends AppError {
  static override readonly code = 'ERR_DOMAIN_TEMPERATURE';
  override readonly code = 'ERR_DOMAIN_TEMPERATURE';
}

/** A symptom code outside the fixed list, or `none` combined with a symptom. */
export class SymptomError extends AppError {
  static override readonly code = 'ERR_DOMAIN_SYMPTOM';
  override readonly code = 'ERR_DOMAIN_SYMPTOM';
}

/** A nucleic-acid or antigen test result that breaks a rule. */
export class TestResultError extends AppError {
  static override readonly code = 'ERR_DOMAIN_TEST_RESULT';
  override readonly code = 'ERR_DOMAIN_TEST_RESULT';
}

/** A risk-area designation that breaks a rule. */
export class RiskAreaError extends AppError {
  static override readonly code = 'ERR_DOMAIN_RISK_AREA';
  override readonly code = 'ERR_DOMAIN_RISK_AREA';
}

/** A vaccination record that breaks a rule. */
export class VaccinationError extends AppError {
  static override readonly code = 'ERR_DOMAIN_VACCINATION';
  override readonly code = 'ERR_DOMAIN_VACCINATION';
}

/** A name that cannot be masked (empty). */
export class NameError extends AppError {
  static override readonly code = 'ERR_DOMAIN_NAME';
  override readonly code = 'ERR_DOMAIN_NAME';
}

/** Every domain error code. */
export type DomainErrorCode =
  | typeof IdLengthError.code
  | typeof IdCharactersError.code
  | typeof IdCheckCharacterError.code
  | typeof IdBirthDateError.code
  | typeof IdBirthInFutureError.code
  | typeof IdProvinceError.code
  | typeof RegionFormatError.code
  | typeof RegionNbsCodeError.code
  | typeof RegionUnknownError.code
  | typeof RegionNotAPlaceError.code
  | typeof CountryError.code
  | typeof PhoneError.code
  | typeof SexCodeError.code
  | typeof TemperatureError.code
  | typeof SymptomError.code
  | typeof TestResultError.code
  | typeof RiskAreaError.code
  | typeof VaccinationError.code
  | typeof NameError.code;
