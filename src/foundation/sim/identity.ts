// SPDX-License-Identifier: Apache-2.0
/**
 * @module One synthetic resident's identity, made from a per-resident seed so any resident can
 * be rebuilt alone (a child's guardian, a canary) and nothing accumulates: a GB 11643-1999
 * citizen ID number (county code, birth date, sequence code whose parity gives the GB/T 2261.1
 * sex, MOD 11-2 check character), a name, E.164 phones on the three carriers, a home and work
 * cell, an address within the household division, and underlying conditions.
 *
 * Uniqueness without memory: resident `seq` takes ID slot `P(seq)` of a keyed permutation over
 * (county × day of year × sequence pair × year class), so two residents never share a county,
 * birthday and sequence code; phones likewise take slot `Q_c(2·seq + sim)` of their carrier's
 * number space.
 */
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import type { CarrierId, SyntheticResident } from './model.js';
import type { RunContext } from './context.js';
import { CARRIERS, CARRIER_SHARES, phoneOf, SEQUENCE_PAIRS } from './context.js';
import { cumulative, mixKey, pickWeighted, Rng } from './prng.js';
import {
  CANARY_CHARS,
  CANARY_SURNAMES,
  COMPOUNDS,
  CONDITIONS,
  FEMALE_CHARS,
  MALE_CHARS,
  ROADS,
  SURNAMES,
} from './names.js';

/** Share of residents under 14 (PIPL art. 31 minors; issue 2 asks for 5–10 %). */
export const CHILD_SHARE = 0.075;
/** Share of residents with a second SIM on another carrier. */
export const SECOND_SIM_SHARE = 0.1;

/**
 * Age bands from 15 up: [from, to] years and weight (2020 census shape, rounded). A drawn age can
 * lose one year to a birthday still to come, so 15 keeps everyone not drawn a child at 14+.
 */
const ADULT_BANDS: readonly (readonly [number, number, number])[] = [
  [15, 19, 6.5],
  [20, 24, 5.3],
  [25, 29, 6.4],
  [30, 34, 8.8],
  [35, 39, 6.9],
  [40, 44, 6.6],
  [45, 49, 8.2],
  [50, 54, 8.7],
  [55, 59, 7.1],
  [60, 64, 5.2],
  [65, 69, 5.0],
  [70, 74, 3.5],
  [75, 79, 2.2],
  [80, 84, 1.4],
  [85, 99, 1.0],
];
const ADULT_CDF = cumulative(ADULT_BANDS.map((b) => b[2]));
const COMPOUND_PREFIX = [...'锦绣阳光金色翠湖绿地春江东方世纪'];

/** What the day generator needs beyond the public record. */
export type Role = 'worker' | 'student' | 'home';
export interface ResidentProfile {
  readonly resident: SyntheticResident;
  readonly age: number;
  readonly role: Role;
  /** Cell indexes into the run's map. */
  readonly home: number;
  readonly work: number;
}

const STREAM_CORE = 1;

function coreRng(ctx: RunContext, seq: number): Rng {
  return new Rng(mixKey(ctx.options.seed, seq), STREAM_CORE);
}

/** Draws the age in whole years (the first draws of the core stream, so it is cheap). */
function drawAge(ctx: RunContext, seq: number, rng: Rng): { age: number; child: boolean } {
  const u0 = rng.float();
  const u1 = rng.float();
  const u2 = rng.float();
  const forcedAdult = seq === 0 || ctx.canaryAt.has(seq);
  if (u0 < CHILD_SHARE && !forcedAdult) {
    // Younger than 14 even after year-class shifts (see birthDate below).
    return { age: Math.floor(u1 * (15 - ctx.yearClasses)), child: true };
  }
  const [lo, hi] = ADULT_BANDS[pickWeighted(ADULT_CDF, u1)];
  let age = lo + Math.floor(u2 * (hi - lo + 1));
  if (forcedAdult && age < 25) {
    age = 25 + Math.floor(u2 * 40);
  }
  return { age, child: false };
}

/**
 * True when `seq` is certainly 18 or older: the drawn age is at least 19, since the birth date
 * can make the real age one less (see {@link residentProfile}).
 */
export function isAdult(ctx: RunContext, seq: number): boolean {
  const { age, child } = drawAge(ctx, seq, coreRng(ctx, seq));
  return !child && age >= 19;
}

/** The guardian of a child: an adult with a smaller seq (resident 0 is always an adult). */
export function guardianOf(ctx: RunContext, seq: number): number {
  for (let i = 0; i < 32; i++) {
    const g = mixKey(ctx.options.seed, seq, i, 0x6a4d) % seq;
    if (isAdult(ctx, g)) {
      return g;
    }
  }
  return 0;
}

const MONTH_STARTS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function birthDateOf(year: number, dayOfYear: number): string {
  let m = 0;
  while (dayOfYear >= MONTH_STARTS[m + 1]) {
    m++;
  }
  const day = dayOfYear - MONTH_STARTS[m] + 1;
  return `${year}-${String(m + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function canaryName(ctx: RunContext, ordinal: number): string {
  // An injective walk over (surname, first char, second char) so canaries never repeat.
  const n = CANARY_CHARS.length;
  const space = CANARY_SURNAMES.length * n * n;
  // 37 is odd and the space a power of two (8 × 16 × 16), so the stride visits every name once.
  const j = (ordinal * 37 + (mixKey(ctx.options.seed, 0xca) % space)) % space;
  const s = CANARY_SURNAMES[j % CANARY_SURNAMES.length];
  const k = Math.floor(j / CANARY_SURNAMES.length);
  return `${s}${CANARY_CHARS[k % n]}${CANARY_CHARS[Math.floor(k / n) % n]}`;
}

/** Builds resident `seq` from its own seed. */
export function residentProfile(ctx: RunContext, seq: number): ResidentProfile {
  const rng = coreRng(ctx, seq);
  const { age, child } = drawAge(ctx, seq, rng);
  const male = rng.float() < 0.51;
  const { map } = ctx;
  const counties = map.home.counties;

  // ID slot → county, day of year, sequence pair, year class.
  let slot = ctx.idSlots.permute(seq);
  const pair = slot % SEQUENCE_PAIRS;
  slot = Math.floor(slot / SEQUENCE_PAIRS);
  const dayOfYear = slot % 365;
  slot = Math.floor(slot / 365);
  const countyIdx = slot % counties.length;
  const yearClass = Math.floor(slot / counties.length);
  const m = ctx.yearClasses;
  let year = ctx.todayYear - age;
  year -= (((year - yearClass) % m) + m) % m;
  let birthDate = birthDateOf(year, dayOfYear);
  if (birthDate > ctx.todayDate) {
    year -= m;
    birthDate = birthDateOf(year, dayOfYear);
  }
  const county = counties[countyIdx];
  const sequence = String(2 * (pair + 1) - (male ? 1 : 0)).padStart(3, '0');
  const body17 = `${county.code}${birthDate.replaceAll('-', '')}${sequence}`;
  const idNumber = body17 + computeIdCheckChar(body17);

  // Phones: a primary SIM, and for some a second SIM on another carrier.
  const carrier = CARRIERS[pickWeighted(CARRIER_SHARES, rng.float())];
  const phone = phoneOf(ctx, carrier, 2 * seq);
  let secondPhone: { phone: string; carrier: CarrierId } | undefined;
  if (rng.float() < SECOND_SIM_SHARE) {
    const others = CARRIERS.filter((c) => c !== carrier);
    const c2 = others[rng.int(2)];
    secondPhone = { phone: phoneOf(ctx, c2, 2 * seq + 1), carrier: c2 };
  }

  // Name: a child usually carries the guardian's surname.
  const canary = ctx.canaryAt.get(seq);
  const guardianSeq = child ? guardianOf(ctx, seq) : undefined;
  const guardian = guardianSeq === undefined ? undefined : residentProfile(ctx, guardianSeq);
  let surname = SURNAMES[pickWeighted(ctx.surnameCdf, rng.float())][0];
  const pool = male ? MALE_CHARS : FEMALE_CHARS;
  let given = rng.pick(pool);
  if (rng.float() < 0.75) {
    given += rng.pick(pool);
  }
  if (guardian !== undefined && rng.float() < 0.9) {
    surname = surnameOf(guardian.resident.name);
  }
  const name = canary === undefined ? surname + given : canaryName(ctx, canary);

  // Home: usually in the county of the ID number, denser towards the centre.
  const uHome = rng.float();
  const inIdCounty = rng.float() < 0.7;
  const countyCells = map.home.cellsByCounty[countyIdx];
  const cityCells = map.home.cells;
  let home =
    inIdCounty && countyCells.length > 0
      ? countyCells[Math.floor(uHome * countyCells.length)]
      : cityCells[Math.floor(uHome ** 1.6 * cityCells.length)];
  const road = rng.pick(ROADS);
  const number = rng.range(1, 999);
  const compound = rng.pick(COMPOUND_PREFIX) + rng.pick(COMPOUND_PREFIX) + rng.pick(COMPOUNDS);
  const building = rng.range(1, 30);
  const room = rng.range(1, 33) * 100 + rng.range(1, 6);
  let address = `${road}${number}号${compound}${building}栋${room}室`;
  if (guardian !== undefined) {
    home = guardian.home;
    address = guardian.resident.address;
  }

  // Daytime place: workplace, school or home.
  let role: Role = 'home';
  let work = home;
  const uWork = rng.float();
  const uRole = rng.float();
  const near = map.neighbours[home];
  if (age >= 3 && age <= 17) {
    role = 'student';
    work = near.length > 0 ? near[Math.floor(uWork * near.length)] : home;
  } else if (age >= 18 && age <= 22 && uRole < 0.5) {
    role = 'student';
    work = cityCells[Math.floor(uWork * cityCells.length)]!;
  } else if (age >= 18 && age < 65 && uRole < 0.85) {
    role = 'worker';
    work = cityCells[Math.floor(uWork ** 2.5 * cityCells.length)]!;
  }

  const medicalHistory: string[] = [];
  const factor = age < 40 ? 0.2 : age < 60 ? 1 : 2;
  for (const [condition, prevalence] of CONDITIONS) {
    if (rng.float() < prevalence * factor) {
      medicalHistory.push(condition);
    }
  }

  const resident: SyntheticResident = {
    seq,
    name,
    idNumber,
    sex: male ? '1' : '2',
    birthDate,
    nationality: 'CN',
    phone,
    carrier,
    ...(secondPhone === undefined ? {} : { secondPhone }),
    householdRegion: map.regions[home],
    address,
    homeCell: map.cells[home],
    workCell: map.cells[work],
    medicalHistory,
    ...(guardianSeq === undefined ? {} : { guardianSeq }),
    ...(canary === undefined ? {} : { canary: true }),
  };
  return { resident, age, role, home, work };
}

const COMPOUND_SURNAMES = new Set(SURNAMES.map(([s]) => s).filter((s) => s.length === 2));

function surnameOf(name: string): string {
  const two = name.slice(0, 2);
  return COMPOUND_SURNAMES.has(two) || CANARY_SURNAMES.includes(two) ? two : name.slice(0, 1);
}
