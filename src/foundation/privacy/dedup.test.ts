// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startLocalCluster } from './cluster.js';
import { JobSession } from './coordinator.js';
import { applyDedup, type PersonContribution } from './dedup.js';
import type { JobSpec } from './model.js';
import type { InputProvider } from './party.js';

const C = 2;
const CELLS = 8;

/** A holder whose persons each add 1 to at most C cells (already bounded). */
function holder(persons: PersonContribution[]): InputProvider {
  return () => {
    const histogram = new BigUint64Array(CELLS);
    for (const p of persons) {
      p.cells.forEach((c) => histogram[c]++);
    }
    return Promise.resolve({
      histogram,
      linkageRecords: () => persons,
      persons: persons.map((p) => ({ ...p, cells: [...p.cells] })),
    });
  };
}

describe('cross-holder de-duplication by ECDH-PSI', () => {
  it('a person at two carriers contributes at most c across holders; others are untouched', async () => {
    // "x" has SIMs at cmcc and cucc, counted by each in C different cells; "y" is at cmcc and
    // ctcc; the rest are at one carrier only. One person lacks a register identity at ctcc.
    const cluster = await startLocalCluster({
      inputs: [
        {
          name: 'cmcc',
          provider: holder([
            { id: 'x', cells: [0, 1] },
            { id: 'y', cells: [4] },
            { id: 'a', cells: [6, 7] },
          ]),
        },
        {
          name: 'cucc',
          provider: holder([
            { id: 'x', cells: [2, 3] },
            { id: 'b', cells: [6] },
          ]),
        },
        {
          name: 'ctcc',
          provider: holder([{ id: 'y', cells: [5, 4] }, { id: 'c', cells: [7] }, { cells: [0] }]),
        },
      ],
      allowNoiseOff: true,
    });
    try {
      const spec: JobSpec = {
        id: randomUUID(),
        query: { kind: 'test' },
        cells: CELLS,
        inputs: cluster.inputs,
        compute: cluster.compute,
        chunkCells: 4,
        deadline: new Date(Date.now() + 30_000).toISOString(),
        noise: { kind: 'none' },
        contributionBound: C,
        dedup: {
          holders: cluster.inputs.map((name) => {
            const p = cluster.parties.find((q) => q.name === name)!;
            return { name, host: p.host!, port: p.port! };
          }),
        },
      };
      const s = await JobSession.open(cluster, spec);
      const sums = [...(await s.aggregate())].map(Number);
      await s.finish();
      // x counted once (cmcc: cells 0, 1), y once (cmcc: cell 4), the unidentified one dropped.
      expect(sums).toEqual([1, 1, 0, 0, 1, 0, 2, 2]);
      const x = [0, 1, 2, 3].reduce((a, c) => a + sums[c], 0);
      expect(x).toBeLessThanOrEqual(C);
    } finally {
      await cluster.close();
    }
  });

  it('applyDedup removes exactly the dropped and unidentified persons', () => {
    const hist = BigUint64Array.of(2n, 1n, 1n);
    const persons = [{ id: 'p', cells: [0, 1] }, { id: 'q', cells: [0] }, { cells: [2] }];
    const r = applyDedup(hist, persons, new Set(['p']));
    expect([...hist]).toEqual([1n, 0n, 0n]);
    expect(r).toMatchObject({ dropped: 1, unidentified: 1 });
    expect(r.kept.map((p) => p.id)).toEqual(['q']);
    // A person claimed in a cell the histogram does not hold is a caller bug.
    expect(() =>
      applyDedup(BigUint64Array.of(0n), [{ id: 'z', cells: [0] }], new Set(['z'])),
    ).toThrow(RangeError);
  });
});
