// SPDX-License-Identifier: Apache-2.0
/**
 * @module GB 11643-1999 citizen ID numbers (公民身份号码), the document number of GB/T 38962-2020
 * basic personal information: 6-digit GB/T 2260 address code, 8-digit birth date (GB/T 7408),
 * 3-digit sequence (odd = male), and an ISO 7064:1983 MOD 11-2 check character. DOMAIN.md §4.2,
 * §6 req. 2 and 3.
 *
 * Valid means: 18 characters, MOD 11-2 right, a real birth date not after today, and a real
 * province code. The county code is looked up and reported as known or unknown, never a reason
 * to refuse (the standard's own example `440524` is in no dataset). Errors name the rule and
 * never echo the number.
 */
import {
  IdBirthDateError,
  IdBirthInFutureError,
  IdCharactersError,
  IdCheckCharacterError,
  IdLengthError,
  IdProvinceError,
  type IdNumberError,
  type IdRule,
} from './errors.js';
import {
  isKnownProvince,
  isKnownProvinceNumber,
  isKnownRegionNumber,
  lookupRegion,
} from './regions.js';
import type { SexCode } from './sex.js';
import { calendarDateIn, isRealDate, todayNumberIn } from './dates.js';

/** ISO 7064 MOD 11-2 weights for positions 1…17 (2^(18−i) mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by S mod 11. */
const CHECK_MAP = '10X98765432';
const BODY17 = /^\d{17}$/;
const SHAPE18 = /^\d{17}[\dX]$/;
const Y2K = new Date('2000-01-01T00:00:00Z');
/** The latest instant a Date can hold: judging a number's form without its age. */
const END_OF_TIME = new Date(8.64e15);

/**
 * The MOD 11-2 check character of a 17-digit body.
 *
 * @example
 * computeIdCheckChar('11010519491231002'); // 'X'
 */
export function computeIdCheckChar(body17: string): string {
  if (typeof body17 !== 'string' || !BODY17.test(body17)) {
    throw new RangeError('"body17" expected 17 ASCII digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (body17.charCodeAt(i) - 48) * WEIGHTS[i];
  }
  return CHECK_MAP[sum % 11];
}

/**
 * A valid, normalised ID number and what it says. The substrings are getters (validation in bulk
 * then allocates one small object per number): read the fields or `JSON.stringify` it; an object
 * spread (`{ ...parsed }`) would copy only `normalised`, `regionKnown` and `sex`.
 */
export interface ParsedId {
  /** 18 characters, check character upper-case. */
  readonly normalised: string;
  /** GB/T 2260 address code (county of household registration at issue). */
  readonly regionCode: string;
  /** Whether the pinned dataset lists that county code. */
  readonly regionKnown: boolean;
  /** Province-level code `xx0000`. */
  readonly provinceCode: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** GB/T 2261.1 code derived from the sequence (odd → '1' male, even → '2' female). */
  readonly sex: Extract<SexCode, '1' | '2'>;
  /** The 3-digit sequence. */
  readonly sequence: string;
}

/** The non-throwing verdict, safe to print: masked, never the full number. */
export interface IdCheckResult {
  readonly valid: boolean;
  /** The rules that failed (empty when valid). */
  readonly reasons: IdRule[];
  readonly birthDate: string | null;
  readonly sex: '1' | '2' | null;
  readonly region: { code: string; known: boolean; name?: string } | null;
  readonly province: { code: string; name: string } | null;
  /** First and last two characters only; `null` when the input is not ID-shaped. */
  readonly masked: string | null;
}

/** Upper-cases the check character and trims surrounding white space. */
function normalise(text: string): string {
  return text.trim().toUpperCase();
}

/** Every rule the text breaks, in rule order, with derived fields where they can be read. */
function evaluate(text: string, now: Date, timeZone: string): { errors: IdNumberError[] } {
  const errors: IdNumberError[] = [];
  const id = normalise(text);
  if (id.length !== 18) {
    errors.push(new IdLengthError('an ID number has 18 characters (GB 11643-1999)'));
    return { errors };
  }
  if (!SHAPE18.test(id)) {
    errors.push(
      new IdCharactersError('an ID number is 17 digits and a digit or X (GB 11643-1999)'),
    );
    return { errors };
  }
  if (computeIdCheckChar(id.slice(0, 17)) !== id[17]) {
    errors.push(
      new IdCheckCharacterError('the check character does not match (ISO 7064 MOD 11-2)'),
    );
  }
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth)) {
    errors.push(new IdBirthDateError('the birth-date field is not a real calendar date'));
  } else if (birth > calendarDateIn(now, timeZone)) {
    errors.push(new IdBirthInFutureError('the birth date lies in the future'));
  }
  if (!isKnownProvince(id.slice(0, 2))) {
    errors.push(new IdProvinceError('the first two digits are not a GB/T 2260 province code'));
  }
  return { errors };
}

const PROVINCE_CODES = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(2, '0')}0000`);
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * The hot path: one loop over the 18 characters checks digits and sums the MOD 11-2 weights,
 * then the date, "today" and province are checked on numbers (no regex, no substring).
 * Returns the derived value, or `undefined` when any rule fails (the slow path then names it).
 */
function fastParse(id: string, now: Date, timeZone: string): ParsedId | undefined {
  // Digits at fixed positions: 0–5 address, 6–13 birth date, 14–16 sequence.
  let sum = 0;
  let region = 0;
  let date = 0;
  for (let i = 0; i < 17; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      return undefined;
    }
    sum += c * WEIGHTS[i];
    if (i < 6) {
      region = region * 10 + c;
    } else if (i < 14) {
      date = date * 10 + c;
    }
  }
  const raw = id.charCodeAt(17);
  if (CHECK_MAP.charCodeAt(sum % 11) !== (raw === 120 ? 88 : raw)) {
    return undefined; // 120 is 'x', accepted as 'X'
  }
  const year = Math.floor(date / 10000);
  const month = Math.floor(date / 100) % 100;
  const day = date % 100;
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return undefined;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS[month])) {
    return undefined;
  }
  if (date > todayNumberIn(now, timeZone)) {
    return undefined;
  }
  if (!isKnownProvinceNumber(Math.floor(region / 10000))) {
    return undefined;
  }
  const normalised = raw === 120 ? id.toUpperCase() : id;
  return new ParsedIdValue(
    normalised,
    isKnownRegionNumber(region),
    (id.charCodeAt(16) - 48) % 2 === 1 ? '1' : '2',
  );
}

/**
 * A parsed number. The substrings are computed on access, so validation in bulk allocates one
 * small object per number; `toJSON` gives the plain form.
 */
class ParsedIdValue implements ParsedId {
  readonly normalised: string;
  readonly regionKnown: boolean;
  readonly sex: '1' | '2';
  constructor(normalised: string, regionKnown: boolean, sex: '1' | '2') {
    this.normalised = normalised;
    this.regionKnown = regionKnown;
    this.sex = sex;
  }
  get regionCode(): string {
    return this.normalised.slice(0, 6);
  }
  get provinceCode(): string {
    return PROVINCE_CODES[Number(this.normalised.slice(0, 2))];
  }
  get birthDate(): string {
    const n = this.normalised;
    return `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`;
  }
  get sequence(): string {
    return this.normalised.slice(14, 17);
  }
  toJSON(): Omit<ParsedId, 'toJSON'> {
    return {
      normalised: this.normalised,
      regionCode: this.regionCode,
      regionKnown: this.regionKnown,
      provinceCode: this.provinceCode,
      birthDate: this.birthDate,
      sex: this.sex,
      sequence: this.sequence,
    };
  }
}

function derive(id: string): ParsedId {
  return new ParsedIdValue(
    id,
    isKnownRegionNumber(Number(id.slice(0, 6))),
    (id.charCodeAt(16) - 48) % 2 === 1 ? '1' : '2',
  );
}

/**
 * Parses an 18-character ID number; throws the first rule's typed error (`ERR_DOMAIN_ID_*`).
 * A lower-case `x` is accepted and stored upper-case. "Future" is judged by the calendar date
 * in `timeZone` (default Asia/Shanghai).
 *
 * @example
 * parseIdNumber('11010519491231002x', new Date()).sex; // '2'
 */
export function parseIdNumber(text: string, now: Date, timeZone = 'Asia/Shanghai'): ParsedId {
  if (typeof text !== 'string') {
    throw new TypeError('"text" expected a string');
  }
  const fast = text.length === 18 ? fastParse(text, now, timeZone) : undefined;
  if (fast !== undefined) {
    return fast;
  }
  const { errors } = evaluate(text, now, timeZone);
  if (errors.length > 0) {
    throw errors[0];
  }
  return derive(normalise(text));
}

/**
 * Checks an ID number without throwing: every failed rule, what can be derived, and the masked
 * form. Never contains the full number.
 */
export function checkIdNumber(text: string, now: Date, timeZone = 'Asia/Shanghai'): IdCheckResult {
  if (typeof text !== 'string') {
    throw new TypeError('"text" expected a string');
  }
  const { errors } = evaluate(text, now, timeZone);
  const reasons = errors.map((e) => e.rule);
  const id = normalise(text);
  if (!SHAPE18.test(id)) {
    return {
      valid: false,
      reasons,
      birthDate: null,
      sex: null,
      region: null,
      province: null,
      masked: null,
    };
  }
  const d = derive(id);
  const region = lookupRegion(d.regionCode);
  const province = lookupRegion(d.provinceCode);
  return {
    valid: errors.length === 0,
    reasons,
    birthDate: reasons.includes('birth-date') ? null : d.birthDate,
    sex: d.sex,
    region: region
      ? { code: d.regionCode, known: true, name: region.name }
      : { code: d.regionCode, known: false },
    province: province ? { code: province.code, name: province.name } : null,
    masked: maskIdNumber(id),
  };
}

/**
 * Upgrades a 15-digit GB 11643-1989 number: inserts the century `19` and appends the check
 * character. The result is then checked like any 18-character number.
 *
 * @example
 * upgradeLegacyId('110105491231002'); // '11010519491231002X'
 */
export function upgradeLegacyId(text15: string): string {
  const t = text15.trim();
  if (t.length !== 15) {
    throw new IdLengthError('a legacy ID number has 15 digits (GB 11643-1989)');
  }
  if (!/^\d{15}$/.test(t)) {
    throw new IdCharactersError('a legacy ID number is all digits (GB 11643-1989)');
  }
  const body = `${t.slice(0, 6)}19${t.slice(6)}`;
  const upgraded = body + computeIdCheckChar(body);
  // Every legacy birth date (19YYMMDD) lies before 2000, so "today" cannot matter here.
  return parseIdNumber(upgraded, Y2K).normalised;
}

/**
 * Masks an ID number for display: the first and last two characters, the rest `*`
 * (DOMAIN.md §1.5 Beijing; req. 7). Input of any length is masked without revealing more.
 *
 * @example
 * maskIdNumber('11010519491231002X'); // '11**************2X'
 */
export function maskIdNumber(id: string): string {
  const t = id.trim().toUpperCase();
  if (t.length < 8) {
    return '*'.repeat(t.length);
  }
  return `${t.slice(0, 2)}${'*'.repeat(t.length - 4)}${t.slice(-2)}`;
}

/** Result of comparing a declared sex with the one an ID number implies (req. 3). */
export interface SexCheck {
  /** What the person declared, kept as given — never overwritten. */
  readonly declared: SexCode;
  /** What the ID number implies. */
  readonly derived: '1' | '2';
  /** True when the declaration says male/female and the ID says the other. */
  readonly conflict: boolean;
}

/**
 * Flags a declared GB/T 2261.1 sex that conflicts with the one an ID number implies. `0`
 * (unknown) and `9` (not stated) never conflict. The declaration is returned as given. A string
 * is checked for form (length, characters, check character, date, province), not for age.
 */
export function checkDeclaredSex(declared: SexCode, idNumber: string | ParsedId): SexCheck {
  const { sex } = typeof idNumber === 'string' ? parseIdNumber(idNumber, END_OF_TIME) : idNumber;
  return {
    declared,
    derived: sex,
    conflict: (declared === '1' || declared === '2') && declared !== sex,
  };
}
