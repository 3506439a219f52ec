// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test helpers of the trip card (tests only): a cell table and risk list in a data dir,
 * events every half hour over a stretch of local time, and the code the file outbox holds.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Two cells of Wuxi (320205, 320211) and one of Shanghai's Xuhui district (310104). */
export const TEST_CELLS = {
  wuxi: '883098d0a3fffff',
  wuxiRisk: '883098c249fffff',
  shanghai: '88309a4d1bfffff',
} as const;

/** Writes `DIR/cells.csv` and `DIR/risk-areas.json` (a high-risk county of Wuxi, active now). */
export function writeTestTables(dataDir: string, riskFrom = '2026-11-20T00:00:00+08:00'): void {
  writeFileSync(
    join(dataDir, 'cells.csv'),
    `cell,region\n${TEST_CELLS.wuxi},320205\n${TEST_CELLS.wuxiRisk},320211\n${TEST_CELLS.shanghai},310104\n`,
  );
  writeFileSync(
    join(dataDir, 'risk-areas.json'),
    JSON.stringify([{ region: '320211', level: 'high', from: riskFrom, to: null }]),
  );
}

/** Records every `stepMin` minutes over `[from, to]` (local +08:00 times) with a place field. */
export function eventsOver(
  prefix: string,
  phone: string,
  from: string,
  to: string,
  place: Record<string, string>,
  stepMin = 30,
): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let i = 0;
  for (let t = Date.parse(`${from}+08:00`); t <= Date.parse(`${to}+08:00`); t += stepMin * 60_000) {
    const local = new Date(t + 8 * 3_600_000).toISOString().slice(0, 19);
    out.push({ id: `${prefix}.${i++}`, phone, time: `${local}+08:00`, ...place });
  }
  return out;
}

/** The codes the file outbox holds, by message file name (the file outbox stands in for SMS). */
export function outboxCodes(dataDir: string): Map<string, string> {
  const dir = join(dataDir, 'outbox');
  const out = new Map<string, string>();
  if (!existsSync(dir)) {
    return out;
  }
  for (const n of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    out.set(n, (JSON.parse(readFileSync(join(dir, n), 'utf8')) as { code: string }).code);
  }
  return out;
}

/** Runs `send` and returns the code of the one message it added (undefined: none). */
export async function codeSentBy(
  dataDir: string,
  send: () => Promise<unknown>,
): Promise<string | undefined> {
  const before = outboxCodes(dataDir);
  await send();
  const added = [...outboxCodes(dataDir)].filter(([n]) => !before.has(n));
  if (added.length > 1) {
    throw new Error('more than one message was sent');
  }
  return added[0]?.[1];
}
