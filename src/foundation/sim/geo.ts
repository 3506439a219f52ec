// SPDX-License-Identifier: Apache-2.0
/**
 * @module The synthetic city's map: an H3 grid (Uber H3, resolution 8, ~0.74 km² cells) around
 * a chosen prefecture-level city and around the cities its residents travel to, each cell
 * assigned to a real GB/T 2260 county of that city — the cell → region table a carrier keeps
 * for its base stations (issue 8 item 1). The assignment is a Voronoi split of the disk between
 * synthetic county centres; it depends only on the prefecture, never on the seed, so every run
 * for a city shares one `cells.csv`.
 */
import { cellToLatLng, gridDisk, gridDiskDistances, latLngToCell } from 'h3-js';
import { countiesOf, lookupRegion } from '../../kernel/domain/index.js';
import type { Region } from '../../kernel/domain/index.js';
import { UnsupportedPrefectureError } from './errors.js';

/** H3 resolution of every cell the sim uses (edge ~0.46 km). */
export const H3_RESOLUTION = 8;
/** Rings around the home city's centre: 3k(k+1)+1 = 1,951 cells, ~20 km radius. */
const HOME_RINGS = 25;
/** Rings around a destination city's centre: 127 cells, ~5 km radius. */
const DESTINATION_RINGS = 6;
/** How many other cities residents travel to. */
const DESTINATIONS = 8;

/**
 * Approximate city-centre coordinates (WGS 84) of the prefecture-level cities the sim can
 * build: the four municipalities, every provincial capital and a few large cities.
 */
export const PREFECTURE_CENTRES: Readonly<Record<string, readonly [number, number]>> = {
  '110100': [39.9042, 116.4074], // 北京
  '120100': [39.0842, 117.201], // 天津
  '130100': [38.0428, 114.5149], // 石家庄
  '140100': [37.8706, 112.5489], // 太原
  '150100': [40.8424, 111.749], // 呼和浩特
  '210100': [41.8057, 123.4315], // 沈阳
  '210200': [38.914, 121.6147], // 大连
  '220100': [43.8171, 125.3235], // 长春
  '230100': [45.8038, 126.535], // 哈尔滨
  '310100': [31.2304, 121.4737], // 上海
  '320100': [32.0603, 118.7969], // 南京
  '320200': [31.4912, 120.3119], // 无锡
  '320500': [31.299, 120.5853], // 苏州
  '330100': [30.2741, 120.1551], // 杭州
  '330200': [29.8683, 121.544], // 宁波
  '340100': [31.8206, 117.2272], // 合肥
  '350100': [26.0745, 119.2965], // 福州
  '350200': [24.4798, 118.0894], // 厦门
  '360100': [28.682, 115.8579], // 南昌
  '370100': [36.6512, 117.1201], // 济南
  '370200': [36.0671, 120.3826], // 青岛
  '410100': [34.7466, 113.6254], // 郑州
  '420100': [30.5928, 114.3055], // 武汉
  '430100': [28.2282, 112.9388], // 长沙
  '440100': [23.1291, 113.2644], // 广州
  '440300': [22.5431, 114.0579], // 深圳
  '450100': [22.817, 108.3665], // 南宁
  '460100': [20.044, 110.1999], // 海口
  '500100': [29.563, 106.5516], // 重庆
  '510100': [30.5728, 104.0668], // 成都
  '520100': [26.647, 106.6302], // 贵阳
  '530100': [25.0389, 102.7183], // 昆明
  '540100': [29.652, 91.1721], // 拉萨
  '610100': [34.3416, 108.9398], // 西安
  '620100': [36.0611, 103.8343], // 兰州
  '630100': [36.6171, 101.7782], // 西宁
  '640100': [38.4872, 106.2309], // 银川
  '650100': [43.8256, 87.6168], // 乌鲁木齐
};

/** The default city: Wuxi, a mid-sized prefecture with seven county-level units. */
export const DEFAULT_PREFECTURE = '320200';

/** The prefecture codes {@link buildCityMap} accepts. */
export function supportedPrefectures(): string[] {
  return Object.keys(PREFECTURE_CENTRES).sort();
}

/** One city on the map: its cells (as indexes into {@link CityMap.cells}), nearest first. */
export interface MapCity {
  readonly prefecture: string;
  readonly name: string;
  readonly counties: readonly Region[];
  /** Cell indexes, ordered by ring distance from the centre. */
  readonly cells: Int32Array;
  /** Cell indexes per county, parallel to `counties`. */
  readonly cellsByCounty: readonly Int32Array[];
}

/** The whole map: the home city first, then the travel destinations. */
export interface CityMap {
  readonly home: MapCity;
  readonly destinations: readonly MapCity[];
  /** H3 index of every cell. */
  readonly cells: readonly string[];
  /** County code of every cell (parallel to `cells`). */
  readonly regions: readonly string[];
  /** In-map neighbours (ring 1) of every cell, for base-station jitter and errands. */
  readonly neighbours: readonly Int32Array[];
}

function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad * Math.cos(((a[0] + b[0]) / 2) * rad);
  return 6371 * Math.sqrt(dLat * dLat + dLng * dLng);
}

const cache = new Map<string, CityMap>();

/**
 * Builds (once per prefecture, then cached) the map of a supported prefecture-level city.
 * Throws {@link UnsupportedPrefectureError} for cities without a known centre.
 */
export function buildCityMap(prefecture: string = DEFAULT_PREFECTURE): CityMap {
  const hit = cache.get(prefecture);
  if (hit !== undefined) {
    return hit;
  }
  const centre = PREFECTURE_CENTRES[prefecture];
  if (centre === undefined) {
    throw new UnsupportedPrefectureError(
      `the sim has no map for prefecture ${prefecture}; supported: ${supportedPrefectures().join(', ')}`,
    );
  }
  const cells: string[] = [];
  const regions: string[] = [];
  const index = new Map<string, number>();
  const home = addCity(prefecture, centre, HOME_RINGS, 18, cells, regions, index);
  // Destinations: the nearest supported cities whose disks cannot touch the home disk.
  const others = supportedPrefectures()
    .filter((p) => p !== prefecture)
    .map((p) => ({ p, d: distanceKm(centre, PREFECTURE_CENTRES[p]) }))
    .filter((o) => o.d > 35)
    .sort((a, b) => a.d - b.d || a.p.localeCompare(b.p))
    .slice(0, DESTINATIONS);
  const destinations = others.map((o) =>
    addCity(o.p, PREFECTURE_CENTRES[o.p], DESTINATION_RINGS, 4, cells, regions, index),
  );
  const neighbours = cells.map((cell) => {
    const near: number[] = [];
    for (const n of gridDisk(cell, 1)) {
      const i = index.get(n);
      if (i !== undefined && n !== cell) {
        near.push(i);
      }
    }
    return Int32Array.from(near.sort((a, b) => a - b));
  });
  const map: CityMap = Object.freeze({ home, destinations, cells, regions, neighbours });
  cache.set(prefecture, map);
  return map;
}

function addCity(
  prefecture: string,
  centre: readonly [number, number],
  rings: number,
  radiusKm: number,
  cells: string[],
  regions: string[],
  index: Map<string, number>,
): MapCity {
  const counties = countiesOf(prefecture).filter((c) => c.name !== '市辖区');
  if (counties.length === 0) {
    throw new UnsupportedPrefectureError(`prefecture ${prefecture} lists no county-level units`);
  }
  // County centres on a sunflower (Vogel) spiral: the first-listed (usually the old inner
  // districts) near the middle, later ones (suburban districts, county-level cities) outside.
  const golden = Math.PI * (3 - Math.sqrt(5));
  const kmPerLat = 111.2;
  const kmPerLng = 111.2 * Math.cos((centre[0] * Math.PI) / 180);
  const seeds = counties.map((_, i): readonly [number, number] => {
    const r = radiusKm * Math.sqrt((i + 0.5) / counties.length);
    const a = i * golden;
    return [centre[0] + (r * Math.sin(a)) / kmPerLat, centre[1] + (r * Math.cos(a)) / kmPerLng];
  });
  const own: number[] = [];
  const byCounty: number[][] = counties.map(() => []);
  const rings2 = gridDiskDistances(latLngToCell(centre[0], centre[1], H3_RESOLUTION), rings);
  for (const ring of rings2) {
    for (const cell of [...ring].sort()) {
      if (index.has(cell)) {
        continue; // owned by a city added earlier; never reassigned
      }
      const ll = cellToLatLng(cell);
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < seeds.length; c++) {
        const d = distanceKm(ll, seeds[c]);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      const i = cells.length;
      cells.push(cell);
      regions.push(counties[best].code);
      index.set(cell, i);
      own.push(i);
      byCounty[best].push(i);
    }
  }
  // A county whose centre fell between others may own no cell; give it its nearest cell so
  // every county of the home city can appear in ID numbers and addresses.
  for (let c = 0; c < counties.length; c++) {
    if (byCounty[c].length === 0) {
      let best = own[0];
      let bestD = Infinity;
      for (const i of own) {
        const owner = counties.findIndex((x) => x.code === regions[i]);
        if (byCounty[owner].length < 2) {
          continue;
        }
        const d = distanceKm(cellToLatLng(cells[i]), seeds[c]);
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      const prev = counties.findIndex((x) => x.code === regions[best]);
      byCounty[prev] = byCounty[prev].filter((x) => x !== best);
      regions[best] = counties[c].code;
      byCounty[c].push(best);
    }
  }
  return Object.freeze({
    prefecture,
    name: lookupRegion(prefecture)?.name ?? prefecture,
    counties,
    cells: Int32Array.from(own),
    cellsByCounty: byCounty.map((a) => Int32Array.from(a)),
  });
}

/** The map as CSV (`cell,region`), as carriers publish base-station → division tables. */
export function cellsCsv(map: CityMap): string {
  const lines = ['cell,region'];
  for (let i = 0; i < map.cells.length; i++) {
    lines.push(`${map.cells[i]},${map.regions[i]}`);
  }
  return lines.join('\n') + '\n';
}
