// SPDX-License-Identifier: Apache-2.0
/**
 * @module Personal health information of GB/T 38962-2020 §4 b): body temperature (体温) and
 * current symptoms (当前症状). The symptom list follows the spirit of WS 363.6-2011 (chief
 * complaint and symptom data elements) with our own stable string codes: the standard's numeric
 * value domain could not be obtained (DOMAIN.md §1.7), so the codes are labelled "modelled on".
 */
import { SymptomError, TemperatureError } from './errors.js';

/** Lowest and highest body temperature we accept, °C. Outside: almost surely a misreading
 * (e.g. a Fahrenheit value or an ambient sensor), not a person. */
export const TEMPERATURE_RANGE = Object.freeze({ min: 34.0, max: 43.0 });

/** Screening threshold used at Chinese checkpoints (发热: ≥ 37.3 °C). */
export const FEVER_THRESHOLD_C = 37.3;

/**
 * Validates a body temperature in °C (number or decimal string) and rounds it to one decimal.
 * Throws `ERR_DOMAIN_TEMPERATURE` when malformed or outside {@link TEMPERATURE_RANGE}.
 *
 * @example
 * parseTemperature('36.64'); // 36.6
 */
export function parseTemperature(value: unknown): number {
  let n: number;
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string' && /^\s*\d{1,2}(\.\d{1,3})?\s*$/.test(value)) {
    n = Number(value);
  } else {
    throw new TemperatureError('a temperature is a number of degrees Celsius');
  }
  if (!Number.isFinite(n)) {
    throw new TemperatureError('a temperature is a finite number');
  }
  const rounded = Math.round(n * 10) / 10;
  if (rounded < TEMPERATURE_RANGE.min || rounded > TEMPERATURE_RANGE.max) {
    throw new TemperatureError(
      `a body temperature lies between ${TEMPERATURE_RANGE.min} and ${TEMPERATURE_RANGE.max} °C`,
    );
  }
  return rounded;
}

/** True at or above the 37.3 °C screening threshold. */
export function isFever(celsius: number): boolean {
  return celsius >= FEVER_THRESHOLD_C;
}

/** The fixed symptom list with Chinese and English labels. */
export const SYMPTOMS = Object.freeze({
  none: { zh: '无症状', en: 'no symptoms' },
  fever: { zh: '发热', en: 'fever' },
  'dry-cough': { zh: '干咳', en: 'dry cough' },
  cough: { zh: '咳嗽', en: 'cough' },
  fatigue: { zh: '乏力', en: 'fatigue' },
  'sore-throat': { zh: '咽痛', en: 'sore throat' },
  'smell-taste-loss': { zh: '嗅觉味觉减退', en: 'loss of smell or taste' },
  'nasal-congestion': { zh: '鼻塞', en: 'nasal congestion' },
  'runny-nose': { zh: '流涕', en: 'runny nose' },
  conjunctivitis: { zh: '结膜炎', en: 'conjunctivitis' },
  myalgia: { zh: '肌痛', en: 'muscle pain' },
  diarrhoea: { zh: '腹泻', en: 'diarrhoea' },
  'shortness-of-breath': { zh: '呼吸困难', en: 'shortness of breath' },
  headache: { zh: '头痛', en: 'headache' },
} as const);
export type SymptomCode = keyof typeof SYMPTOMS;
export const SYMPTOM_CODES = Object.freeze(Object.keys(SYMPTOMS)) as readonly SymptomCode[];

/** True when the value is a symptom code. */
export function isSymptomCode(value: unknown): value is SymptomCode {
  return typeof value === 'string' && Object.hasOwn(SYMPTOMS, value);
}

/**
 * Validates a symptom declaration: known codes, no duplicates kept, `none` only on its own.
 * Returns the codes in list order. Throws `ERR_DOMAIN_SYMPTOM`.
 */
export function parseSymptoms(values: unknown): SymptomCode[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw new SymptomError('a symptom declaration is a non-empty list (use "none")');
  }
  const set = new Set<SymptomCode>();
  for (const v of values) {
    if (!isSymptomCode(v)) {
      throw new SymptomError('unknown symptom code');
    }
    set.add(v);
  }
  if (set.has('none') && set.size > 1) {
    throw new SymptomError('"none" cannot be combined with a symptom');
  }
  return SYMPTOM_CODES.filter((c) => set.has(c));
}
