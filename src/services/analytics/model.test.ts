// SPDX-License-Identifier: Apache-2.0
import { cellToParent } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { buildCityMap } from '../../foundation/sim/index.js';
import { hexHeatmap } from './heatmap.js';
import { compileQuery, parseQuery, toQueryEvent, type QueryEvent } from './model.js';

const map = buildCityMap('320200');
const cells = [...map.home.cells].map((i) => map.cells[i]);
const window = { prefecture: '320200', from: '2026-11-23T00:00:00+08:00', hours: 72 }; // Mon–Wed

function ev(time: string, cell: string): QueryEvent {
  return toQueryEvent(time, cell)!;
}

describe('query domains', () => {
  it('crowd: one index per home cell × hour, events outside the window or city ignored', () => {
    const q = compileQuery({ kind: 'crowd', ...window });
    expect(q.cells).toBe(cells.length * 72);
    const idx = q.personCells([
      ev('2026-11-23T08:30:00+08:00', cells[3]),
      ev('2026-11-22T08:30:00+08:00', cells[3]),
      ev('2026-11-23T08:30:00+08:00', '8a2a1072b59ffff'),
    ]);
    expect(idx).toEqual([3 * 72 + 8]);
    expect(q.keyOf(idx[0])).toEqual({ cell: cells[3], hour: '2026-11-23T00:00:00.000Z' });
  });

  it('od: a change of district between consecutive events is one origin–destination pair', () => {
    const q = compileQuery({ kind: 'od', ...window });
    const d = map.home.counties.map((c) => c.code);
    const inA = cells.find((_, i) => map.regions[map.home.cells[i]] === d[0])!;
    const inB = cells.find((_, i) => map.regions[map.home.cells[i]] === d[1])!;
    const idx = q.personCells([
      ev('2026-11-23T07:00:00+08:00', inA),
      ev('2026-11-23T09:00:00+08:00', inB),
      ev('2026-11-23T18:00:00+08:00', inA),
    ]);
    expect(idx.map((i) => q.keyOf(i))).toEqual([
      { origin: d[0], destination: d[1] },
      { origin: d[1], destination: d[0] },
    ]);
  });

  it('job-residence: home = most frequent night cell, work = most frequent weekday daytime cell', () => {
    const q = compileQuery({ kind: 'job-residence', ...window, resolution: 6 });
    const home = cells[0];
    const work = cells[cells.length - 1];
    const idx = q.personCells([
      ev('2026-11-23T23:00:00+08:00', home),
      ev('2026-11-24T02:00:00+08:00', home),
      ev('2026-11-24T03:00:00+08:00', work),
      ev('2026-11-24T10:00:00+08:00', work),
      ev('2026-11-24T11:00:00+08:00', work),
      ev('2026-11-24T12:00:00+08:00', home),
    ]);
    expect(idx).toHaveLength(1);
    expect(q.keyOf(idx[0])).toEqual({ home: cellToParent(home, 6), work: cellToParent(work, 6) });
    expect(q.bound).toBe(1);
    // No weekday daytime event: no workplace, no contribution.
    expect(q.personCells([ev('2026-11-23T23:00:00+08:00', home)])).toEqual([]);
  });

  it('site: one count of people seen in the site cell during the window', () => {
    const site = cellToParent(cells[0], 7);
    const q = compileQuery({ kind: 'site', ...window, site });
    expect(q.personCells([ev('2026-11-23T10:00:00+08:00', cells[0])])).toEqual([0]);
    expect(q.personCells([ev('2026-11-26T10:00:00+08:00', cells[0])])).toEqual([]);
  });

  it('refuses malformed queries and unknown prefectures', () => {
    expect(() => parseQuery({ kind: 'crowd', prefecture: '32', from: 'x', hours: 1 })).toThrow(
      /query/,
    );
    expect(() => parseQuery({ kind: 'site', ...window, site: 'ffffffffffffff0' })).toThrow(/H3/);
    expect(() => compileQuery({ kind: 'crowd', ...window, prefecture: '999900' })).toThrow(
      /no public cell table/,
    );
  });

  it('draws a hexagon heat map with suppressed cells hatched', () => {
    const svg = hexHeatmap(
      't',
      new Map([
        [cells[0], 12],
        [cells[1], null],
      ]),
    );
    expect(svg).toContain('<svg');
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('url(#s)');
  });
});
