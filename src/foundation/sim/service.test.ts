// SPDX-License-Identifier: Apache-2.0
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink } from './memory-sink.js';
import { seedPopulation } from './service.js';
import { OutputInsideDataDirError } from './errors.js';

const root = mkdtempSync(join(tmpdir(), 'hc-sim-seed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NOW = new Date('2026-03-10T18:00:00+08:00');

describe('seedPopulation', () => {
  it('streams through the sink and writes cells, risk areas, canaries and feeds', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const sink = new MemorySink();
    const progress: number[] = [];
    const summary = await seedPopulation(
      { dataDir, timeZone: 'Asia/Shanghai', now: NOW, sink, onProgress: (d) => progress.push(d) },
      {
        people: 250,
        days: 3,
        seed: 2,
        canaryFile: join(root, 'canaries.txt'),
        canaryCount: 3,
        carrierFeeds: join(root, 'feeds'),
      },
    );
    expect(summary.subjects).toBe(250);
    expect(summary.records).toBe(sink.records.length);
    expect(summary.canaries).toBe(3);
    expect(progress.at(-1)).toBe(250);
    // cells.csv covers every event cell the population produced.
    const cells = new Set(
      readFileSync(join(dataDir, 'cells.csv'), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    let events = 0;
    for (const r of sink.records) {
      if (r.type === 'location-events') {
        for (const e of r.events) {
          events++;
          expect(cells.has(e.cell)).toBe(true);
        }
      }
    }
    expect(summary.events).toBe(events);
    const areas = JSON.parse(readFileSync(join(dataDir, 'risk-areas.json'), 'utf8')) as unknown[];
    expect(areas.length).toBe(summary.riskAreas);
    // Every canary value is in the store's input, and in the list.
    const list = readFileSync(join(root, 'canaries.txt'), 'utf8').trimEnd().split('\n');
    const canaries = sink.records.flatMap((r) =>
      r.type === 'resident' && r.resident.canary ? [r.resident] : [],
    );
    expect(canaries).toHaveLength(3);
    for (const c of canaries) {
      expect(list).toContain(c.name);
      expect(list).toContain(c.idNumber);
      expect(list).toContain(c.phone);
    }
    expect(existsSync(join(root, 'feeds', 'cmcc-events.ndjson'))).toBe(true);
  });

  it('refuses canary lists and feeds inside the data dir before writing anything', async () => {
    const dataDir = join(root, 'data2');
    mkdirSync(dataDir);
    const sink = new MemorySink();
    const deps = { dataDir, timeZone: 'Asia/Shanghai', now: NOW, sink };
    await expect(
      seedPopulation(deps, { people: 5, days: 1, seed: 1, canaryFile: join(dataDir, 'c.txt') }),
    ).rejects.toThrow(OutputInsideDataDirError);
    await expect(
      seedPopulation(deps, { people: 5, days: 1, seed: 1, carrierFeeds: join(dataDir, 'f') }),
    ).rejects.toThrow(OutputInsideDataDirError);
    expect(sink.records).toHaveLength(0);
    expect(existsSync(join(dataDir, 'cells.csv'))).toBe(false);
    expect(existsSync(join(dataDir, 'c.txt'))).toBe(false);
  });
});
