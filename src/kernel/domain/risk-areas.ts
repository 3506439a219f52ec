// SPDX-License-Identifier: Apache-2.0
/**
 * @module Risk-area designations (中/高风险地区) with their time windows, the input the colour
 * rules compare itineraries against (GB/T 38962-2020 §4 b) names exposure to high-risk areas).
 * Areas are GB/T 2260 codes at the level they were designated (county, prefecture or province),
 * not normalised: folding a county into its city would widen the designation.
 */
import { RiskAreaError } from './errors.js';
import { parseInstant } from './dates.js';
import { assertDivisionCodeFormat, isKnownRegionCode, REGION_DATASET } from './regions.js';

export const RISK_LEVELS = ['medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** A designation: `[from, to)`; `to: null` while it has not been lifted. */
export interface RiskArea {
  readonly region: string;
  readonly level: RiskLevel;
  readonly from: string;
  readonly to: string | null;
}

function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Validates a designation: a known six-digit GB/T 2260 code, `medium|high`, RFC 3339 instants
 * with `from < to`. Throws `ERR_DOMAIN_RISK_AREA` with `details.rule`.
 */
export function parseRiskArea(raw: unknown): RiskArea {
  const fail = (rule: string, msg: string, cause?: unknown) =>
    new RiskAreaError(msg, { details: { rule }, cause });
  const region = field(raw, 'region');
  if (typeof region !== 'string') {
    throw fail('region', 'a risk area names a six-digit GB/T 2260 code');
  }
  try {
    assertDivisionCodeFormat(region);
  } catch (err) {
    throw fail('region', 'a risk area names a six-digit GB/T 2260 code', err);
  }
  if (!isKnownRegionCode(region)) {
    throw fail('region', `a risk area's code must be listed in ${REGION_DATASET.name}`);
  }
  const level = field(raw, 'level');
  if (!(RISK_LEVELS as readonly unknown[]).includes(level)) {
    throw fail('level', 'a risk level is medium or high');
  }
  const from = parseInstant(field(raw, 'from'));
  const toRaw = field(raw, 'to');
  const to = toRaw === null || toRaw === undefined ? null : parseInstant(toRaw);
  if (from === undefined || to === undefined) {
    throw fail('time', 'from and to are RFC 3339 instants with an offset (to may be null)');
  }
  if (to !== null && to.getTime() <= from.getTime()) {
    throw fail('window', 'a designation ends after it starts');
  }
  return Object.freeze({
    region,
    level: level as RiskLevel,
    from: from.toISOString(),
    to: to === null ? null : to.toISOString(),
  });
}

/** True when the designation covers the instant. */
export function isRiskAreaActive(area: RiskArea, at: Date): boolean {
  const t = at.getTime();
  return Date.parse(area.from) <= t && (area.to === null || t < Date.parse(area.to));
}

/**
 * True when a designation covers a place: same code, or the designation is a prefecture or
 * province containing the (county) place. Municipal prefectures `xx0100` contain all districts.
 */
export function riskAreaCovers(area: RiskArea, placeCode: string): boolean {
  const a = area.region;
  if (a === placeCode) {
    return true;
  }
  if (a.endsWith('0000')) {
    return placeCode.startsWith(a.slice(0, 2));
  }
  if (a.endsWith('00')) {
    const municipal = ['11', '12', '31', '50'].includes(a.slice(0, 2)) && a.slice(2) === '0100';
    return municipal ? placeCode.startsWith(a.slice(0, 2)) : placeCode.startsWith(a.slice(0, 4));
  }
  return false;
}
