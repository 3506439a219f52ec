// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanEngine } from './engine.js';

/** Every (start, needle) by Buffer.indexOf, sorted by start then needle. */
function naive(needles: Uint8Array[], data: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  needles.forEach((n, id) => {
    for (let at = data.indexOf(n); at !== -1; at = data.indexOf(n, at + 1)) {
      out.push([at, id]);
    }
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

let dir: string;
let fileNo = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hc-scan-engine-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Scans `data` through a file with the WebAssembly kernel, in chunks of `chunkSize`. */
async function kernelScan(
  engine: ScanEngine,
  data: Buffer,
  chunkSize: number,
  from = 0,
  to = Infinity,
  kernel = true,
): Promise<Array<[number, number]>> {
  const file = join(dir, `d-${fileNo++}.bin`);
  writeFileSync(file, data);
  const handle = await open(file, 'r');
  const out: Array<[number, number]> = [];
  try {
    await engine.scanHandle(handle, from, to, { chunkSize, kernel }, (id, at) =>
      out.push([at, id]),
    );
  } finally {
    await handle.close();
    rmSync(file);
  }
  return out;
}

function jsScan(engine: ScanEngine, data: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  engine.scan(data, data.length, 0, (id, at) => out.push([at, id]));
  return out;
}

/**
 * Needles of 6–40 bytes over a small alphabet (so they share words and overlap), and data made
 * of needles, needle prefixes and filler, so matches sit at every alignment, at the data's start
 * and end, and across chunk borders.
 */
const alphabet = fc.constantFrom(0x30, 0x31, 0x32, 0x41, 0x00);
const needleSet = fc.array(
  fc.array(alphabet, { minLength: 6, maxLength: 40 }).map((b) => Uint8Array.from(b)),
  { minLength: 1, maxLength: 25 },
);
const corpus = (needles: Uint8Array[]) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...needles).map((n) => Buffer.from(n)),
        fc
          .tuple(fc.constantFrom(...needles), fc.nat(40))
          .map(([n, k]) => Buffer.from(n.subarray(0, k % n.length))),
        fc.array(alphabet, { maxLength: 12 }).map((b) => Buffer.from(b)),
      ),
      { maxLength: 40 },
    )
    .map((parts) => Buffer.concat(parts));

describe('scan engine (aligned words + kernel, Wu–Manber for short needles)', () => {
  it('property: the JavaScript path finds exactly what indexOf finds, each hit once, in order', () => {
    fc.assert(
      fc.property(
        needleSet.chain((ns) => fc.tuple(fc.constant(ns), corpus(ns), fc.nat(3))),
        ([needles, data, shift]) => {
          // An odd byteOffset: the word grid must not depend on the buffer's alignment in memory.
          const shifted = Buffer.alloc(data.length + shift);
          data.copy(shifted, shift);
          const view = shifted.subarray(shift);
          expect(jsScan(new ScanEngine(needles), view)).toEqual(naive(needles, data));
        },
      ),
      { seed: 20261127, numRuns: 300 },
    );
  });

  it('property: a file in any chunk size, with the kernel or without, equals indexOf', async () => {
    await fc.assert(
      fc.asyncProperty(
        needleSet.chain((ns) =>
          fc.tuple(fc.constant(ns), corpus(ns), fc.integer({ min: 1, max: 90 })),
        ),
        async ([needles, data, chunkSize]) => {
          const engine = new ScanEngine(needles);
          const expected = naive(needles, data);
          expect(await kernelScan(engine, data, chunkSize)).toEqual(expected);
          expect(await kernelScan(engine, data, chunkSize, 0, Infinity, false)).toEqual(expected);
        },
      ),
      { seed: 1127, numRuns: 150 },
    );
  });

  it('property: ranges [from, to) report the hits starting in them, together each hit once', async () => {
    await fc.assert(
      fc.asyncProperty(
        needleSet.chain((ns) =>
          fc.tuple(fc.constant(ns), corpus(ns), fc.array(fc.nat(600), { maxLength: 4 })),
        ),
        async ([needles, data, rawCuts]) => {
          const engine = new ScanEngine(needles);
          const cuts = [...new Set(rawCuts.map((c) => c % (data.length + 1)))].sort(
            (a, b) => a - b,
          );
          const bounds = [0, ...cuts.filter((c) => c > 0), Infinity];
          const got: Array<[number, number]> = [];
          for (let k = 0; k + 1 < bounds.length; k++) {
            got.push(...(await kernelScan(engine, data, 17, bounds[k], bounds[k + 1])));
          }
          expect(got).toEqual(naive(needles, data));
        },
      ),
      { seed: 7, numRuns: 80 },
    );
  });

  it('finds digit-word needles in digit-heavy text at all four alignments', async () => {
    const needles = ['31010519491231002X', '+8613800138000', '3131303130', '123456'].map((s) =>
      Buffer.from(s),
    );
    const parts: Buffer[] = [];
    for (let a = 0; a < 4; a++) {
      for (const n of needles) {
        parts.push(Buffer.from('0123456789'.slice(0, a)), n, Buffer.from('"req":4294967295,'));
      }
    }
    const data = Buffer.concat(parts);
    const expected = naive(needles, data);
    expect(expected.length).toBeGreaterThanOrEqual(16);
    expect(jsScan(new ScanEngine(needles), data)).toEqual(expected);
    expect(await kernelScan(new ScanEngine(needles), data, 1 << 20)).toEqual(expected);
  });

  it('drains a full candidate area: 20,000 adjacent occurrences in one chunk', async () => {
    const needle = Buffer.from('ABCDEFGHIJKL');
    const data = Buffer.concat(Array.from({ length: 20_000 }, () => needle));
    const got = await kernelScan(new ScanEngine([needle]), data, 1 << 20);
    expect(got).toHaveLength(20_000);
    expect(got.every(([at], k) => at === 12 * k)).toBe(true);
  });

  it('refuses unusable needle sets as caller bugs', () => {
    expect(() => new ScanEngine([])).toThrow(RangeError);
    expect(() => new ScanEngine([Buffer.from('a')])).toThrow(RangeError);
  });
});
