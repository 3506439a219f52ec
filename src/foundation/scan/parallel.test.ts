// SPDX-License-Identifier: Apache-2.0
// The worker threads run the compiled worker (dist/src/foundation/scan/worker.js): `npm test` builds first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNeedles, toCanaries } from './needles.js';
import { planRanges, workerScript } from './parallel.js';
import { CanaryScanner, scanPaths } from './service.js';

const CANARIES = ['欧阳诸葛娜', '11010519491231002X', '+8613800138000', '王小明五', 'abcdef'];

/** A deterministic byte generator (test data must not depend on the run). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hc-scan-par-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('parallel residual scan', () => {
  it('plans contiguous ranges that cover every file, the last one open-ended', () => {
    const files = [
      { path: 'a', size: 0 },
      { path: 'b', size: 10_000 },
      { path: 'c', size: 999 },
    ];
    const plan = planRanges(files, 2, 5, { rangeBytes: 3000 });
    expect(plan.map((r) => r.length)).toEqual([1, 4, 1]);
    for (const ranges of plan) {
      expect(ranges[0].from).toBe(0);
      expect(ranges.at(-1)?.to).toBe(Infinity);
      ranges.slice(1).forEach((r, k) => expect(r.from).toBe(ranges[k].to));
    }
    expect(plan.flat().map((t) => t.id)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('equals the single-threaded scan on a multi-file corpus with hits across range borders', async () => {
    expect(workerScript(), 'the compiled worker (run the build)').toBeDefined();
    const sub = join(dir, 'corpus');
    mkdirSync(sub);
    const needles = buildNeedles(toCanaries(CANARIES)).map((n) => Buffer.from(n.bytes));
    const next = rng(42);
    const rangeBytes = 4099;
    let planted = 0;
    for (let f = 0; f < 6; f++) {
      const size = 3000 + (next() % 30_000);
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) {
        data[i] = f % 2 === 0 ? next() & 0xff : 0x30 + (next() % 10); // binary, or digits
      }
      // Plant needles so that they straddle, start at and end at this file's range cuts.
      const cuts = planRanges([{ path: 'x', size }], 2, 1, { rangeBytes })[0]
        .slice(1)
        .map((r) => r.from);
      cuts.forEach((cut, k) => {
        const n = needles[next() % needles.length];
        const at = [cut - Math.floor(n.length / 2), cut, cut - n.length][k % 3];
        n.copy(data, at);
        planted++;
      });
      needles[f].copy(data, 0);
      needles[f + 1].copy(data, size - needles[f + 1].length);
      writeFileSync(join(sub, `part-${f}.bin`), data);
    }
    expect(planted).toBeGreaterThan(10);
    const scanner = new CanaryScanner(CANARIES);
    try {
      const one = await scanPaths([sub], scanner, { threads: 1, maxHitsPerFile: 1e6 });
      let progress = 0;
      const two = await scanPaths([sub], scanner, {
        threads: 2,
        rangeBytes,
        maxHitsPerFile: 1e6,
        onProgress: (done) => {
          progress = done;
        },
      });
      expect(one.hits.length).toBeGreaterThanOrEqual(planted + 12);
      expect(two).toEqual(one);
      expect(progress).toBe(one.bytes);
      // The per-file cap cuts the merged list exactly where the single-threaded scan cuts it.
      const cappedOne = await scanPaths([sub], scanner, { threads: 1, maxHitsPerFile: 3 });
      const cappedTwo = await scanPaths([sub], scanner, {
        threads: 2,
        rangeBytes,
        maxHitsPerFile: 3,
      });
      expect(cappedTwo).toEqual(cappedOne);
      expect(cappedOne.truncatedHits).toBeGreaterThan(0);
      // Two scans at once on one scanner queue behind each other on its workers.
      const both = await Promise.all([
        scanPaths([sub], scanner, { threads: 2, rangeBytes, maxHitsPerFile: 1e6 }),
        scanPaths([sub], scanner, { threads: 2, rangeBytes, maxHitsPerFile: 3 }),
      ]);
      expect(both).toEqual([one, cappedOne]);
      expect(scanner.workers).toBe(2);
    } finally {
      await scanner.close();
    }
  });

  it('a call with a canary list starts its own workers and stops them', async () => {
    const sub = join(dir, 'gone');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.txt'), `x ${CANARIES[1]} y`);
    const r = await scanPaths([sub], CANARIES, { threads: 2 });
    expect(r).toMatchObject({ files: 1, unreadable: [] });
    expect(r.hits).toEqual([
      { file: join(sub, 'a.txt'), encoding: 'utf-8', offset: 2, canaryLine: 2 },
    ]);
  });
});
