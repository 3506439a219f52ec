// SPDX-License-Identifier: Apache-2.0
/**
 * @module The synthetic population as a stream of record batches (issue 2 item 6): each
 * resident's record, then their vaccinations (GB/T 38962-2020 certification info), and per day
 * their carriers' cell events, health declarations (temperature, symptoms) and nucleic-acid or
 * antigen results. Every resident is generated from its own derived seed, so 1,000,000 residents
 * × 14 days stream in constant memory and the same options always give the same bytes.
 */
import type { RiskArea, SyntheticRecord } from './model.js';
import type { PopulationOptions, RunContext } from './context.js';
import { createContext } from './context.js';
import type { ResidentProfile } from './identity.js';
import { residentProfile } from './identity.js';
import type { Trip } from './movement.js';
import { DayPlan, planDay, planTrips, sampleEvents } from './movement.js';
import { cumulative, mixKey, pickWeighted, Rng } from './prng.js';
import { dateOfEpochDay, localTime } from './clock.js';
import { VACCINES } from './names.js';

const STREAM_DAYS = 2;
const H = 3600;
/** Chance that a resident is infected at some point in the window. */
const INFECTION_CHANCE = 0.003;
const COLD_SYMPTOMS = ['cough', 'runny-nose', 'sore-throat', 'headache', 'nasal-congestion'];
const COVID_SYMPTOMS = ['fever', 'dry-cough', 'fatigue', 'sore-throat', 'myalgia', 'headache'];
const VACCINE_CDF = cumulative([0.45, 0.35, 0.1, 0.05, 0.05]);

/**
 * Generates the population in batches of `batchSize` residents (default 50). Records of a
 * resident follow that resident's `resident` record, in the same batch.
 *
 * @example
 * for (const batch of generatePopulation({ people: 10, days: 14, seed: 1, end: new Date() })) {
 *   await sink.write(batch);
 * }
 */
export function* generatePopulation(options: PopulationOptions): Generator<SyntheticRecord[]> {
  const ctx = createContext(options);
  const plan = new DayPlan();
  const { people, batchSize } = ctx.options;
  let batch: SyntheticRecord[] = [];
  for (let seq = 0; seq < people; seq++) {
    residentRecords(ctx, seq, plan, batch);
    if ((seq + 1) % batchSize === 0 || seq + 1 === people) {
      yield batch;
      batch = [];
    }
  }
}

/** Appends every record of resident `seq` to `out`. */
export function residentRecords(
  ctx: RunContext,
  seq: number,
  plan: DayPlan,
  out: SyntheticRecord[],
): void {
  const p = residentProfile(ctx, seq);
  const r = p.resident;
  out.push({ type: 'resident', resident: r });
  const rng = new Rng(mixKey(ctx.options.seed, seq), STREAM_DAYS);
  vaccinations(ctx, p, rng, out);
  const trips = planTrips(ctx, p, rng);
  const infected = rng.float() < INFECTION_CHANCE ? rng.int(ctx.days.length) : -1;
  const seqTag = `${ctx.eventTag}.${seq.toString(36)}.`;
  let t = 0;
  for (const day of ctx.days) {
    while (t < trips.length && trips[t].startDay + trips[t].length <= day.index) {
      t++;
    }
    const trip: Trip | undefined =
      t < trips.length && trips[t].startDay <= day.index ? trips[t] : undefined;
    planDay(ctx, p, day, trip, rng, plan);
    const prefix = `${seqTag}${day.index}.`;
    out.push({
      type: 'location-events',
      seq,
      phone: r.phone,
      carrier: r.carrier,
      day: day.date,
      events: sampleEvents(ctx, day, plan, 4 + rng.int(17), prefix, rng),
    });
    if (r.secondPhone !== undefined) {
      out.push({
        type: 'location-events',
        seq,
        phone: r.secondPhone.phone,
        carrier: r.secondPhone.carrier,
        day: day.date,
        events: sampleEvents(ctx, day, plan, 2 + rng.int(9), `${prefix}s`, rng),
      });
    }
    const sick = infected >= 0 && day.index >= infected && day.index < infected + 10;
    const symptomatic = sick && day.index > infected;
    if (rng.float() < 0.3) {
      const sec = 7 * H + rng.int(3 * H);
      if (sec < day.limitSec) {
        let temperature = Math.round((36.5 + 0.25 * rng.normal()) * 10) / 10;
        temperature = Math.min(37.2, Math.max(35.8, temperature));
        let symptoms: string[] = ['none'];
        if (symptomatic) {
          temperature = Math.round((37.3 + rng.float() * 1.7) * 10) / 10;
          symptoms = pickSome(COVID_SYMPTOMS, 1 + rng.int(3), rng);
        } else if (rng.float() < 0.01) {
          symptoms = pickSome(COLD_SYMPTOMS, 1 + rng.int(2), rng);
        }
        out.push({ type: 'declaration', seq, time: localTime(day, sec), temperature, symptoms });
      }
    }
    const naChance = p.role === 'home' ? 0.25 : 0.4;
    if (rng.float() < naChance) {
      testResult(ctx, seq, day.index, 'nucleic-acid', sick ? 0.95 : 0.0002, rng, out);
    }
    if (rng.float() < (symptomatic ? 0.5 : 0.04)) {
      testResult(ctx, seq, day.index, 'antigen', sick ? 0.7 : 0.002, rng, out);
    }
  }
}

function testResult(
  ctx: RunContext,
  seq: number,
  dayIndex: number,
  kind: 'nucleic-acid' | 'antigen',
  positiveChance: number,
  rng: Rng,
  out: SyntheticRecord[],
): void {
  const day = ctx.days[dayIndex];
  const sec = 8 * H + rng.int(12 * H);
  const positive = rng.float() < positiveChance;
  if (sec < day.limitSec) {
    out.push({
      type: 'test-result',
      seq,
      time: localTime(day, sec),
      kind,
      result: positive ? 'positive' : 'negative',
    });
  }
}

function pickSome(items: readonly string[], count: number, rng: Rng): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) {
    chosen.add(rng.pick(items));
  }
  return items.filter((s) => chosen.has(s));
}

/** COVID-19 doses given one to three years before the window (none under age 3). */
function vaccinations(ctx: RunContext, p: ResidentProfile, rng: Rng, out: SyntheticRecord[]): void {
  const u = rng.float();
  if (p.age < 3 || u >= (p.age >= 80 ? 0.6 : 0.9)) {
    return;
  }
  const vaccine = VACCINES[pickWeighted(VACCINE_CDF, rng.float())];
  const v = rng.float();
  const doses = v < 0.35 ? 2 : v < 0.95 ? 3 : 4;
  let day = ctx.todayEpochDay - 400 - rng.int(700);
  for (let dose = 1; dose <= doses && day < ctx.todayEpochDay; dose++) {
    out.push({
      type: 'vaccination',
      seq: p.resident.seq,
      date: dateOfEpochDay(day),
      vaccine: dose <= 2 ? vaccine : VACCINES[rng.int(2)],
      dose,
    });
    day += dose === 1 ? 21 + rng.int(36) : 180 + rng.int(120);
  }
}

/** Options of {@link riskAreasFor}: the population's seed, city and window. */
export type RiskAreaOptions = Pick<
  PopulationOptions,
  'seed' | 'prefecture' | 'days' | 'end' | 'timeZone'
>;

/**
 * The run's medium- and high-risk areas (county level, DOMAIN.md risk-area designations): one
 * high and one medium county in the home city and one in a travel destination, each designated
 * for three to seven days inside the window.
 */
export function riskAreasFor(options: RiskAreaOptions): RiskArea[] {
  const ctx = createContext({ ...options, people: 1, canaries: 0 });
  const rng = new Rng(mixKey(options.seed, 0x215c), 3);
  const home = ctx.map.home.counties.map((c) => c.code);
  const first = home[rng.int(home.length)];
  const rest = home.filter((c) => c !== first);
  const picks: [string, 'medium' | 'high'][] = [[first, 'high']];
  if (rest.length > 0) {
    picks.push([rest[rng.int(rest.length)], 'medium']);
  }
  const dest = ctx.map.destinations[0];
  if (dest !== undefined) {
    picks.push([
      dest.counties[rng.int(dest.counties.length)].code,
      rng.float() < 0.5 ? 'medium' : 'high',
    ]);
  }
  return picks.map(([region, level]) => {
    const start = ctx.days[rng.int(ctx.days.length)];
    const end = start.epochDay + 3 + rng.int(5);
    const endDay = { ...start, date: dateOfEpochDay(end) };
    return { region, level, from: localTime(start, 0), to: localTime(endDay, 0) };
  });
}
