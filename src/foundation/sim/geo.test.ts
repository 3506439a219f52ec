// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { getResolution, isValidCell } from 'h3-js';
import { countiesOf, lookupRegion } from '../../kernel/domain/index.js';
import { buildCityMap, cellsCsv, DEFAULT_PREFECTURE, H3_RESOLUTION } from './geo.js';
import { UnsupportedPrefectureError } from './errors.js';

describe('buildCityMap', () => {
  for (const prefecture of [DEFAULT_PREFECTURE, '310100']) {
    it(`maps every cell of ${prefecture} and its destinations to a county of the right city`, () => {
      const map = buildCityMap(prefecture);
      expect(new Set(map.cells).size).toBe(map.cells.length);
      const bad: string[] = [];
      for (const city of [map.home, ...map.destinations]) {
        for (const i of city.cells) {
          const cell = map.cells[i];
          if (!isValidCell(cell) || getResolution(cell) !== H3_RESOLUTION) {
            bad.push(`bad cell ${cell}`);
          }
          if (lookupRegion(map.regions[i])?.prefectureCode !== city.prefecture) {
            bad.push(`${cell} maps to ${map.regions[i]}, not a county of ${city.prefecture}`);
          }
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
      // Every county of the home city owns cells, so every county appears in the population.
      const homeCounties = countiesOf(prefecture)
        .filter((c) => c.name !== '市辖区')
        .map((c) => c.code);
      expect(map.home.cellsByCounty.every((cells) => cells.length > 0)).toBe(true);
      expect(new Set(Array.from(map.home.cells, (i) => map.regions[i]))).toEqual(
        new Set(homeCounties),
      );
      expect(map.destinations.length).toBeGreaterThanOrEqual(4);
      expect(map.destinations.map((d) => d.prefecture)).not.toContain(prefecture);
      // Neighbours stay on the map.
      expect(
        map.neighbours.every((near) => near.every((j) => j >= 0 && j < map.cells.length)),
      ).toBe(true);
    });
  }

  it('writes the table as cell,region CSV', () => {
    const map = buildCityMap();
    const lines = cellsCsv(map).trimEnd().split('\n');
    expect(lines[0]).toBe('cell,region');
    expect(lines).toHaveLength(map.cells.length + 1);
    expect(lines[1]).toMatch(/^[0-9a-f]{15},\d{6}$/);
  });

  it('refuses a prefecture it has no map for', () => {
    expect(() => buildCityMap('441900')).toThrow(UnsupportedPrefectureError);
  });
});
