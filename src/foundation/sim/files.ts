// SPDX-License-Identifier: Apache-2.0
/**
 * @module Files the sim writes: the cell → county table (`DIR/cells.csv`), the risk-area list
 * (`DIR/risk-areas.json`) and the canary list, plus the guard that keeps canary lists and carrier
 * feeds out of the data dir (they describe what is in the store; a scan of DIR must not find
 * its own canary list — issue 2 item 6).
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { PopulationOptions } from './context.js';
import { createContext } from './context.js';
import { buildCityMap, cellsCsv, DEFAULT_PREFECTURE } from './geo.js';
import { residentProfile } from './identity.js';
import type { SyntheticResident } from './model.js';
import { OutputInsideDataDirError } from './errors.js';
import { writeFileAtomic } from '../../kernel/shared/files.js';

/** Writes the sim's cell → county table for a prefecture as `cell,region` CSV. */
export function writeCellsCsv(file: string, prefecture: string = DEFAULT_PREFECTURE): number {
  const map = buildCityMap(prefecture);
  writeFileAtomic(file, cellsCsv(map));
  return map.cells.length;
}

/** Writes risk areas as a JSON array of `{ region, level, from, to }`. */
export function writeRiskAreasJson(file: string, areas: readonly unknown[]): void {
  writeFileAtomic(file, JSON.stringify(areas, null, 2) + '\n');
}

/** The canary residents a population with `options.canaries` plants, rebuilt alone. */
export function canaryResidents(options: PopulationOptions): SyntheticResident[] {
  const ctx = createContext(options);
  return [...ctx.canaryAt.keys()]
    .sort((a, b) => a - b)
    .map((seq) => residentProfile(ctx, seq).resident);
}

/**
 * The canary list: UTF-8, one value per line and nothing else — each canary's full name, ID
 * number and phone number(s).
 */
export function canaryListText(canaries: readonly SyntheticResident[]): string {
  const lines: string[] = [];
  for (const c of canaries) {
    lines.push(c.name, c.idNumber, c.phone);
    if (c.secondPhone !== undefined) {
      lines.push(c.secondPhone.phone);
    }
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Resolves a path through symlinks as far as it exists (the rest is appended as given). */
function realish(path: string): string {
  let head = resolve(path);
  const tail: string[] = [];
  while (!existsSync(head)) {
    const parent = dirname(head);
    if (parent === head) {
      break;
    }
    tail.unshift(basename(head));
    head = parent;
  }
  return join(realpathSync(head), ...tail);
}

/** Refuses (exit 2) an output path that is the data dir or lies inside it. */
export function assertOutsideDataDir(path: string, dataDir: string, label: string): void {
  const rel = relative(realish(dataDir), realish(path));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new OutputInsideDataDirError(`${label} must not be inside the data dir`);
  }
}
