// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `seed` use case: stream a synthetic population through the {@link PopulationSink}
 * port (the vault's encrypted sink in production), write the city's cell table and risk areas
 * into the data dir, and — outside it — the canary list and the carriers' feeds (issue 2 items
 * 6 and 8, issue 8 item 5).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PopulationSink } from './model.js';
import type { FeedCounts } from './feeds.js';
import { CarrierFeedWriter } from './feeds.js';
import { generatePopulation, riskAreasFor } from './generator.js';
import {
  assertOutsideDataDir,
  canaryListText,
  canaryResidents,
  writeCellsCsv,
  writeRiskAreasJson,
} from './files.js';
import { DEFAULT_PREFECTURE } from './geo.js';

/** The responsible party a synthetic instance names in its config (issue 2 item 5). */
export const SYNTHETIC_OPERATOR = Object.freeze({
  name: '（合成）示范城市健康码运营中心 / Synthetic demo operator',
  contact: 'demo@healthcode.invalid',
});

/** Default number of canaries `--canaries FILE` plants. */
export const DEFAULT_CANARIES = 5;

export interface SeedRequest {
  readonly people: number;
  readonly days: number;
  readonly seed: number;
  readonly prefecture?: string;
  /** Plant canaries and write their values to this file (outside the data dir). */
  readonly canaryFile?: string;
  readonly canaryCount?: number;
  /** Write the carriers' feeds into this folder (outside the data dir). */
  readonly carrierFeeds?: string;
  /** Seed the residents' synthetic consents too (src/foundation/sim/consents.ts; the sink writes them). */
  readonly consents?: boolean;
}

export interface SeedDeps {
  /** The data dir root (cells.csv and risk-areas.json go here). */
  readonly dataDir: string;
  readonly timeZone: string;
  /** The instance clock's now: the window ends here. */
  readonly now: Date;
  readonly sink: PopulationSink;
  /** Called after each batch with residents done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  readonly people: number;
  readonly days: number;
  readonly seed: number;
  readonly prefecture: string;
  readonly records: number;
  readonly subjects: number;
  readonly events: number;
  readonly cells: number;
  readonly riskAreas: number;
  readonly canaries: number;
  readonly carrierFeeds: FeedCounts | null;
  readonly seconds: number;
}

/** Refuses output paths inside the data dir; call before anything is created. */
export function checkSeedOutputs(request: SeedRequest, dataDir: string): void {
  if (request.canaryFile !== undefined) {
    assertOutsideDataDir(request.canaryFile, dataDir, '--canaries FILE');
  }
  if (request.carrierFeeds !== undefined) {
    assertOutsideDataDir(request.carrierFeeds, dataDir, '--carrier-feeds OUTDIR');
  }
}

/** Seeds a synthetic city through `deps.sink`. */
export async function seedPopulation(deps: SeedDeps, request: SeedRequest): Promise<SeedSummary> {
  checkSeedOutputs(request, deps.dataDir);
  const started = performance.now();
  const prefecture = request.prefecture ?? DEFAULT_PREFECTURE;
  const canaries =
    request.canaryFile === undefined
      ? 0
      : Math.min(request.canaryCount ?? DEFAULT_CANARIES, request.people);
  const options = {
    people: request.people,
    days: request.days,
    seed: request.seed,
    prefecture,
    end: deps.now,
    timeZone: deps.timeZone,
    canaries,
  };
  // The canary list exists before any canary reaches the store, so a scan can always find them.
  if (request.canaryFile !== undefined) {
    writeFileSync(request.canaryFile, canaryListText(canaryResidents(options)), {
      encoding: 'utf8',
      mode: 0o600,
    });
  }
  const cells = writeCellsCsv(join(deps.dataDir, 'cells.csv'), prefecture);
  const risk = riskAreasFor(options);
  writeRiskAreasJson(join(deps.dataDir, 'risk-areas.json'), risk);

  const feeds =
    request.carrierFeeds === undefined ? null : new CarrierFeedWriter(request.carrierFeeds);
  let done = 0;
  let events = 0;
  try {
    for (const batch of generatePopulation(options)) {
      await deps.sink.write(batch);
      if (feeds !== null) {
        await feeds.write(batch);
      }
      for (const r of batch) {
        if (r.type === 'resident') {
          done++;
        } else if (r.type === 'location-events') {
          events += r.events.length;
        }
      }
      deps.onProgress?.(done, request.people);
    }
  } finally {
    await feeds?.close();
  }
  const { subjects, records } = await deps.sink.finish();
  return {
    people: request.people,
    days: request.days,
    seed: request.seed,
    prefecture,
    records,
    subjects,
    events,
    cells,
    riskAreas: risk.length,
    canaries,
    carrierFeeds: feeds === null ? null : feeds.counts,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
