// SPDX-License-Identifier: Apache-2.0
/**
 * @module The health declaration form's rules (DOMAIN.md §1.5; GB/T 38962 declaration items):
 * what the person typed → the body of `POST /api/citizen/declarations` (docs/api.md) or the list
 * of problems to show beside the fields. Pure, so it runs in Node tests as it runs in the page.
 * Temperatures 34–43 °C, symptom codes from a fixed list ("none" is the explicit "no symptoms"
 * answer and excludes the others), stays as a GB/T 2260 six-digit code with two calendar dates.
 */
import type { MessageKey } from '../locales/zh.js';

export const SYMPTOMS = [
  'fever',
  'cough',
  'sore-throat',
  'fatigue',
  'loss-of-taste',
  'none',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;

/** One stay as typed (date inputs give `YYYY-MM-DD`, or '' when empty). */
export interface StayDraft {
  readonly region: string;
  readonly from: string;
  readonly to: string;
}

export interface DeclarationDraft {
  readonly temperature: string;
  readonly symptoms: readonly Symptom[];
  readonly itinerary: readonly StayDraft[];
  /** A dependant's subject id when a guardian declares for them. */
  readonly for?: string;
}

export interface DeclarationBody {
  temperatureC?: number;
  symptoms?: Symptom[];
  itinerary?: Array<{ region: string; from: string; to: string }>;
  for?: string;
}

/** A problem with one field (`temperature`, `stay-<i>-region`, `stay-<i>-dates`, `form`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: MessageKey;
}

export type DeclarationCheck =
  | { readonly ok: true; readonly body: DeclarationBody }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

export const EMPTY_STAY: StayDraft = { region: '', from: '', to: '' };

/** Ticks or unticks a symptom: "none" and the real symptoms exclude each other. */
export function toggleSymptom(list: readonly Symptom[], s: Symptom): Symptom[] {
  if (list.includes(s)) {
    return list.filter((x) => x !== s);
  }
  if (s === 'none') {
    return ['none'];
  }
  return [...list.filter((x) => x !== 'none'), s].sort(
    (a, b) => SYMPTOMS.indexOf(a) - SYMPTOMS.indexOf(b),
  );
}

/** `YYYY-MM-DD` naming a real calendar day (2026-02-30 is not one). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) {
    return false;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Accepts "37.5" and "37,5" (a Chinese keyboard may type either); '' means not measured. */
export function parseTemperature(text: string): number | undefined | 'invalid' {
  const s = text.trim().replace(',', '.');
  if (s === '') {
    return undefined;
  }
  if (!/^\d{2}(\.\d{1,2})?$/.test(s)) {
    return 'invalid';
  }
  const v = Number(s);
  return v >= TEMPERATURE_MIN_C && v <= TEMPERATURE_MAX_C ? v : 'invalid';
}

const blank = (s: StayDraft) => s.region.trim() === '' && s.from === '' && s.to === '';

/**
 * Checks the draft; blank itinerary rows (the empty row the form starts with) are ignored. With
 * `today` (`YYYY-MM-DD`), a stay may not end after it: an itinerary is where one has been.
 */
export function checkDeclaration(d: DeclarationDraft, today?: string): DeclarationCheck {
  const problems: FieldProblem[] = [];
  const body: DeclarationBody = {};
  const t = parseTemperature(d.temperature);
  if (t === 'invalid') {
    problems.push({ field: 'temperature', message: 'temperatureRange' });
  } else if (t !== undefined) {
    body.temperatureC = t;
  }
  const symptoms = d.symptoms.filter((s) => SYMPTOMS.includes(s));
  if (symptoms.length > 0) {
    // A form that somehow holds both keeps the real symptoms: under-reporting is the worse error.
    body.symptoms = symptoms.length > 1 ? symptoms.filter((s) => s !== 'none') : [...symptoms];
  }
  const stays: NonNullable<DeclarationBody['itinerary']> = [];
  d.itinerary.forEach((s, i) => {
    if (blank(s)) {
      return;
    }
    const region = s.region.trim();
    if (!/^\d{6}$/.test(region)) {
      problems.push({ field: `stay-${i}-region`, message: 'regionInvalid' });
    }
    if (!isCalendarDate(s.from) || !isCalendarDate(s.to) || s.from > s.to) {
      problems.push({ field: `stay-${i}-dates`, message: 'datesInvalid' });
    } else if (today !== undefined && s.to > today) {
      problems.push({ field: `stay-${i}-dates`, message: 'datesFuture' });
    }
    stays.push({ region, from: s.from, to: s.to });
  });
  if (stays.length > 0) {
    body.itinerary = stays;
  }
  if (problems.length === 0 && Object.keys(body).length === 0) {
    problems.push({ field: 'form', message: 'declareEmpty' });
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  if (d.for !== undefined && d.for !== '') {
    body.for = d.for;
  }
  return { ok: true, body };
}
