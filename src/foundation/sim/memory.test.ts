// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generatePopulation } from './generator.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

describe('streaming', () => {
  it('generates 200,000 residents × 1 day without the heap growing', () => {
    const end = new Date('2026-03-10T23:00:00+08:00');
    let people = 0;
    let before = 0;
    const samples: number[] = [];
    for (const batch of generatePopulation({ people: 200_000, days: 1, seed: 1, end })) {
      for (const r of batch) {
        if (r.type === 'resident') {
          people++;
        }
      }
      if (people === 20_000) {
        before = heapMb(); // after the map and tables are built and warm
      } else if (people % 60_000 === 0) {
        samples.push(heapMb() - before);
      }
    }
    const growth = heapMb() - before;
    expect(people).toBe(200_000);
    // Holding the residents would take > 100 MB; a stream stays within a few MB of noise.
    expect(growth).toBeLessThan(8);
    expect(Math.max(...samples)).toBeLessThan(8);
  });
});
