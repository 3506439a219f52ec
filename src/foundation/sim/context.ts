// SPDX-License-Identifier: Apache-2.0
/**
 * @module Everything a run derives once from its options and shares read-only between
 * residents: the map, the window's days, the keyed permutations that hand out unique ID-number
 * and phone-number slots, and where the canaries sit. Nothing here grows with the population,
 * which is what lets a million residents stream in constant memory.
 */
import type { CarrierId } from './model.js';
import type { CityMap } from './geo.js';
import { buildCityMap, DEFAULT_PREFECTURE } from './geo.js';
import type { SimDay } from './clock.js';
import { simDays } from './clock.js';
import { cumulative, FeistelPermutation, mixKey } from './prng.js';
import { SURNAMES } from './names.js';
import { PopulationTooLargeError } from './errors.js';

/** Options of one generated population. */
export interface PopulationOptions {
  /** Number of residents. */
  readonly people: number;
  /** Number of local days in the window (today included, cut at `end`). */
  readonly days: number;
  /** Everything follows from this seed: same options, same bytes. */
  readonly seed: number;
  /** Prefecture-level city (GB/T 2260 `xxxx00`, municipalities `xx0100`); default Wuxi. */
  readonly prefecture?: string;
  /** The instance clock's "now": the window ends here. */
  readonly end: Date;
  /** The instance's IANA time zone (default Asia/Shanghai). */
  readonly timeZone?: string;
  /** How many canary residents to plant (default 0). */
  readonly canaries?: number;
  /** Residents per yielded batch (default 50: larger batches outlive V8 scavenges and cost GC). */
  readonly batchSize?: number;
}

/** Mobile prefixes (MIIT numbering plan, 3-digit network codes) of each carrier. */
export const CARRIER_PREFIXES: Readonly<Record<CarrierId, readonly string[]>> = {
  cmcc: '134 135 136 137 138 139 147 150 151 152 157 158 159 178 182 183 184 187 188 198'.split(
    ' ',
  ),
  cucc: '130 131 132 145 155 156 166 175 176 185 186'.split(' '),
  ctcc: '133 149 153 173 177 180 181 189 191 199'.split(' '),
};
export const CARRIERS: readonly CarrierId[] = ['cmcc', 'cucc', 'ctcc'];
/** Approximate subscriber shares (MIIT statistics, early 2020s). */
export const CARRIER_SHARES = cumulative([0.58, 0.2, 0.22]);

/** Valid sequence codes per (county, birth date): odd for men, even for women, 001–998. */
export const SEQUENCE_PAIRS = 499;
const DAYS_PER_YEAR_SLOT = 365;

export interface RunContext {
  readonly options: Required<Omit<PopulationOptions, 'prefecture' | 'timeZone'>> & {
    readonly prefecture: string;
    readonly timeZone: string;
  };
  readonly map: CityMap;
  readonly days: readonly SimDay[];
  /** Local date of `end` as a day number, and its year. */
  readonly todayEpochDay: number;
  readonly todayYear: number;
  readonly todayDate: string;
  /** Permutation of residents onto (county, day of year, sequence pair, year class). */
  readonly idSlots: FeistelPermutation;
  /** Birth years are spread over this many classes when the city's slots run short. */
  readonly yearClasses: number;
  /** One permutation per carrier over its number space; input `2·seq + sim`. */
  readonly phoneSlots: Readonly<Record<CarrierId, FeistelPermutation>>;
  readonly surnameCdf: Float64Array;
  /** seq → canary ordinal. */
  readonly canaryAt: ReadonlyMap<number, number>;
  /** Short tag (base 36 of the seed's hash) that starts every event id of the run. */
  readonly eventTag: string;
}

/** Derives the run context; throws RangeError on unusable options. */
export function createContext(options: PopulationOptions): RunContext {
  const { people, days, seed } = options;
  if (!Number.isInteger(people) || people < 1 || people > 50_000_000) {
    throw new RangeError('"people" must be an integer in [1, 50,000,000]');
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError('"seed" must be a non-negative safe integer');
  }
  const canaries = options.canaries ?? 0;
  if (!Number.isInteger(canaries) || canaries < 0 || canaries > Math.min(1000, people)) {
    throw new RangeError('"canaries" must be an integer in [0, min(1000, people)]');
  }
  const batchSize = options.batchSize ?? 50;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('"batchSize" must be a positive integer');
  }
  const prefecture = options.prefecture ?? DEFAULT_PREFECTURE;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const map = buildCityMap(prefecture);
  const window = simDays(options.end, days, timeZone);
  const today = window[window.length - 1];
  const counties = map.home.counties.length;
  const perYear = counties * DAYS_PER_YEAR_SLOT * SEQUENCE_PAIRS;
  const yearClasses = Math.ceil(people / perYear);
  if (yearClasses > 4) {
    throw new PopulationTooLargeError(
      `${people} residents do not fit the ID-number space of prefecture ${prefecture}`,
    );
  }
  const phoneSlots = {} as Record<CarrierId, FeistelPermutation>;
  for (const [i, c] of CARRIERS.entries()) {
    const size = CARRIER_PREFIXES[c].length * 1e8;
    if (2 * people > size) {
      throw new PopulationTooLargeError(`${people} residents do not fit a carrier's number space`);
    }
    phoneSlots[c] = new FeistelPermutation(size, mixKey(seed, 0x9407e, i));
  }
  const canaryAt = new Map<number, number>();
  for (let i = 0; i < canaries; i++) {
    canaryAt.set(Math.floor(((i + 0.5) * people) / canaries), i);
  }
  return {
    options: { people, days, seed, prefecture, end: options.end, timeZone, canaries, batchSize },
    map,
    days: window,
    todayEpochDay: today.epochDay,
    todayYear: Number(today.date.slice(0, 4)),
    todayDate: today.date,
    idSlots: new FeistelPermutation(perYear * yearClasses, mixKey(seed, 0x1d5)),
    yearClasses,
    phoneSlots,
    surnameCdf: cumulative(SURNAMES.map(([, w]) => w)),
    canaryAt,
    eventTag: mixKey(seed, 0xe7).toString(36),
  };
}

/** The phone number in slot `2·seq + sim` of a carrier (E.164). */
export function phoneOf(ctx: RunContext, carrier: CarrierId, slotInput: number): string {
  const idx = ctx.phoneSlots[carrier].permute(slotInput);
  const prefix = CARRIER_PREFIXES[carrier][Math.floor(idx / 1e8)];
  return `+86${prefix}${String(idx % 1e8).padStart(8, '0')}`;
}
