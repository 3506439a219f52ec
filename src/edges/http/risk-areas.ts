// SPDX-License-Identifier: Apache-2.0
/**
 * @module The instance's risk-area list (`DIR/risk-areas.json`, GB/T 38962-2020 §4 b): read at
 * query time by the colour rules the API runs (re-read whenever the file changes, so an operator's
 * `PUT /api/operator/risk-areas` takes effect on the next code without a restart) and written
 * atomically — a temporary file in the same folder, flushed, then renamed over the list — so a
 * reader never sees half a list.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadRiskAreas, type RiskAreaInput } from '../../services/codes/index.js';
import { parseRiskArea, type RiskArea } from '../../kernel/domain/index.js';
import { writeFileAtomic } from '../../kernel/shared/files.js';

export const RISK_AREAS_FILE = 'risk-areas.json';

/** The list file of an instance. */
export function riskAreasFile(root: string): string {
  return join(root, RISK_AREAS_FILE);
}

/**
 * A reader that re-parses the list only when its file changed (size, mtime or inode): one
 * `stat` per colour decision instead of a read and a parse.
 */
export function riskAreaReader(root: string): () => RiskAreaInput[] {
  const file = riskAreasFile(root);
  let seen: { key: string; list: RiskAreaInput[] } | undefined;
  return () => {
    let key: string;
    try {
      const st = statSync(file, { bigint: true });
      key = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch (err) {
      // No list yet is a valid state (loadRiskAreas reads it as empty); anything else is not.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
      key = 'missing';
    }
    if (seen?.key !== key) {
      seen = { key, list: loadRiskAreas(file) };
    }
    return seen.list;
  };
}

/**
 * Validates a whole list (every designation by the domain's rules: a known GB/T 2260 code,
 * medium|high, RFC 3339 instants, from < to). Throws the domain's `RiskAreaError` (400).
 */
export function parseRiskAreaList(raw: readonly unknown[]): RiskArea[] {
  return raw.map((a) => parseRiskArea(a));
}

/** Writes the list atomically (temp file, fsync, rename). */
export function writeRiskAreas(root: string, list: readonly RiskArea[]): void {
  writeFileAtomic(riskAreasFile(root), `${JSON.stringify(list, null, 2)}\n`, 0o640);
}
