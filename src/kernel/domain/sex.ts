// SPDX-License-Identifier: Apache-2.0
/**
 * @module GB/T 2261.1-2003 sex codes (人的性别代码), the code list GB/T 38962-2020 names for the
 * sex data element: `0` unknown, `1` male, `2` female, `9` not stated.
 */
import { SexCodeError } from './errors.js';

/** GB/T 2261.1-2003 codes by meaning. */
export const SEX_CODES = {
  unknown: '0',
  male: '1',
  female: '2',
  notStated: '9',
} as const;
export type SexCode = (typeof SEX_CODES)[keyof typeof SEX_CODES];

/** Chinese and English labels of each code (GB/T 2261.1-2003 Table 1). */
export const SEX_LABELS: Readonly<Record<SexCode, { zh: string; en: string }>> = {
  '0': { zh: '未知的性别', en: 'unknown' },
  '1': { zh: '男性', en: 'male' },
  '2': { zh: '女性', en: 'female' },
  '9': { zh: '未说明的性别', en: 'not stated' },
};

/** True when the value is one of the four codes. */
export function isSexCode(value: unknown): value is SexCode {
  return value === '0' || value === '1' || value === '2' || value === '9';
}

/** Validates a sex code (string or number form); throws `ERR_DOMAIN_SEX_CODE`. */
export function parseSexCode(value: unknown): SexCode {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text === 'string' && isSexCode(text.trim())) {
    return text.trim() as SexCode;
  }
  throw new SexCodeError('a sex code is 0, 1, 2 or 9 (GB/T 2261.1-2003)');
}
