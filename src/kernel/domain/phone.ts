// SPDX-License-Identifier: Apache-2.0
/**
 * @module Chinese mobile numbers (联系电话 of GB/T 38962-2020 basic info), normalised to E.164
 * (ITU-T E.164, country code +86) so that blind indexes of one number always agree. Mobile
 * numbers are 11 digits starting `1[3-9]` (MIIT numbering plan); landlines are refused, since
 * one-time codes go by SMS.
 */
import { PhoneError } from './errors.js';

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Normalises a Chinese mobile number to `+861xxxxxxxxxx`. Accepts spaces, dashes, dots and
 * brackets, and the prefixes `+86`, `0086` or `86`. Throws `ERR_DOMAIN_PHONE` (the message never
 * repeats the number).
 *
 * @example
 * normalisePhone('138 0013 8000'); // '+8613800138000'
 */
export function normalisePhone(text: string): string {
  if (typeof text !== 'string') {
    throw new TypeError('"text" expected a string');
  }
  let t = text.trim().replace(/[\s\-.()]/g, '');
  if (t.length > 20) {
    throw new PhoneError('a phone number has at most 20 characters');
  }
  if (t.startsWith('+86')) {
    t = t.slice(3);
  } else if (t.startsWith('0086')) {
    t = t.slice(4);
  } else if (t.startsWith('86') && t.length === 13) {
    t = t.slice(2);
  } else if (t.startsWith('+')) {
    throw new PhoneError('only Chinese (+86) mobile numbers are accepted');
  }
  if (!/^\d+$/.test(t)) {
    throw new PhoneError('a phone number contains digits only');
  }
  if (!MOBILE.test(t)) {
    throw new PhoneError('a Chinese mobile number has 11 digits starting 13–19');
  }
  return `+86${t}`;
}

/**
 * Masks a normalised mobile number for display: country code, first three and last four
 * digits (the common 138****8000 form).
 *
 * @example
 * maskPhone('+8613800138000'); // '+86138****8000'
 */
export function maskPhone(e164: string): string {
  const national = e164.startsWith('+86') ? e164.slice(3) : e164;
  if (national.length !== 11) {
    return '*'.repeat(national.length);
  }
  return `+86${national.slice(0, 3)}****${national.slice(7)}`;
}
