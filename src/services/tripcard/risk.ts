// SPDX-License-Identifier: Apache-2.0
/**
 * @module Risk marks (the card's "star", DOMAIN.md §2.4, §6 req. 21), computed at query time from
 * the current risk-area list (`DIR/risk-areas.json`, as `seed` writes it) and never stored on the
 * person: a city is marked when a medium- or high-risk designation inside it (a county of it, the
 * city itself, or its province) was in force at some time in the window.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRiskArea, riskAreaCovers, type RiskArea } from '../../kernel/domain/index.js';
import { TripcardRiskListError } from './errors.js';
import { placeOfRegion } from './model.js';

export const RISK_AREAS_FILE = 'risk-areas.json';

/** Reads `DIR/risk-areas.json`; an empty list when there is none. */
export function loadRiskAreas(dataDir: string): RiskArea[] {
  const file = join(dataDir, RISK_AREAS_FILE);
  if (!existsSync(file)) {
    return [];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new TripcardRiskListError('the risk-area list is not JSON', { cause });
  }
  if (!Array.isArray(raw)) {
    throw new TripcardRiskListError('the risk-area list is a JSON array');
  }
  try {
    return raw.map(parseRiskArea);
  } catch (cause) {
    throw new TripcardRiskListError('the risk-area list holds an invalid designation', { cause });
  }
}

/** Whether a designation was in force at some instant of `[from, to]`. */
function overlaps(area: RiskArea, from: number, to: number): boolean {
  return Date.parse(area.from) <= to && (area.to === null || Date.parse(area.to) > from);
}

/** Whether a prefecture-level city carries a risk mark for the window `[from, to]`. */
export function cityAtRisk(
  city: string,
  areas: readonly RiskArea[],
  from: number,
  to: number,
): boolean {
  return areas.some(
    (a) => overlaps(a, from, to) && (placeOfRegion(a.region) === city || riskAreaCovers(a, city)),
  );
}
