// SPDX-License-Identifier: Apache-2.0
/**
 * @module The domain model's public door (pure, no I/O beyond reading the pinned reference
 * dataset): data after GB/T 38962-2020 (data format; GB/T 38961-2020 is the reference model and
 * GB/T 38963-2020 the application interfaces), GB 11643-1999 ID numbers, GB/T 2260 divisions,
 * GB/T 2261.1 sex codes, GB/T 2659 countries, and the fixed data categories (DOMAIN.md §6 req. 1–5).
 */
export {
  computeIdCheckChar,
  parseIdNumber,
  checkIdNumber,
  upgradeLegacyId,
  maskIdNumber,
  checkDeclaredSex,
} from './id-number.js';
export type { ParsedId, IdCheckResult, SexCheck } from './id-number.js';
export { maskName } from './names.js';
export {
  REGION_DATASET,
  lookupRegion,
  isKnownRegionCode,
  isKnownProvince,
  normaliseRegion,
  assertDivisionCodeFormat,
  prefectures,
  countiesOf,
  lookupCountry,
  parseNationality,
  parseNbsCode,
  toDivisionRecord,
} from './regions.js';
export type { Region, RegionLevel, Country, NbsCode, DivisionRecord } from './regions.js';
export {
  DATA_CATEGORIES,
  DATA_GROUPS,
  categoryInfo,
  isSensitive,
  categoriesOfGroup,
  isDataCategory,
  isDataGroup,
} from './categories.js';
export type { DataCategory, DataGroup, CategoryInfo } from './categories.js';
export { normalisePhone, maskPhone } from './phone.js';
export { SEX_CODES, SEX_LABELS, isSexCode, parseSexCode } from './sex.js';
export type { SexCode } from './sex.js';
export {
  TEMPERATURE_RANGE,
  FEVER_THRESHOLD_C,
  parseTemperature,
  isFever,
  SYMPTOMS,
  SYMPTOM_CODES,
  isSymptomCode,
  parseSymptoms,
} from './health.js';
export type { SymptomCode } from './health.js';
export { TEST_KINDS, TEST_OUTCOMES, parseTestResult, parseVaccination } from './certification.js';
export type { TestKind, TestOutcome, TestResult, VaccinationRecord } from './certification.js';
export { RISK_LEVELS, parseRiskArea, isRiskAreaActive, riskAreaCovers } from './risk-areas.js';
export type { RiskArea, RiskLevel } from './risk-areas.js';
export { isRealDate, calendarDateIn } from './dates.js';
export * as domainErrors from './errors.js';
