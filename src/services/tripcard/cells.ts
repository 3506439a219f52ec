// SPDX-License-Identifier: Apache-2.0
/**
 * @module The carrier's cell → region table (`cell,region` CSV; `DIR/cells.csv` by default, as
 * `seed` writes it): each H3 cell maps to a GB/T 2260 code, folded here once to its
 * prefecture-level place (municipalities as `xx0100`), since the trip card keeps nothing finer.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { TripcardCellsError } from './errors.js';
import { placeOfRegion } from './model.js';

/** Loads a cell table; rows with an unknown region make the table unusable (a carrier's bug). */
export async function loadCells(path: string): Promise<Map<string, string>> {
  if (!existsSync(path)) {
    throw new TripcardCellsError('the cell table is missing (run seed, or pass --cells FILE)');
  }
  const cells = new Map<string, string>();
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let n = 0;
  for await (const raw of rl) {
    n++;
    const line = raw.trim();
    if (line === '' || (n === 1 && /^\uFEFF?cell\s*,/i.test(line))) {
      continue;
    }
    const [cell, region, extra] = line.split(',');
    if (
      cell === undefined ||
      region === undefined ||
      extra !== undefined ||
      !/^[0-9a-f]{15}$/i.test(cell.trim())
    ) {
      throw new TripcardCellsError(`the cell table is malformed at line ${n}`);
    }
    const place = placeOfRegion(region.trim());
    if (place === null) {
      throw new TripcardCellsError(`the cell table names an unknown region at line ${n}`);
    }
    cells.set(cell.trim().toLowerCase(), place);
  }
  return cells;
}
