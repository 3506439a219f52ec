// SPDX-License-Identifier: Apache-2.0
/**
 * @module A resident's day as carrier cell events: a plan of where the phone is (home at night,
 * work or school on weekdays, errands, trips of one to three days to another city) and the
 * timestamped cell records a carrier logs from it — on average 12 a day per primary SIM, 6 per
 * second SIM (issue 2 item 6) — with base-station jitter to neighbouring cells. Times are
 * RFC 3339 local times (RFC 3339 §5.6) and never pass the instance clock's "now".
 */
import type { LocationEvent } from './model.js';
import type { MapCity } from './geo.js';
import type { RunContext } from './context.js';
import type { ResidentProfile } from './identity.js';
import type { SimDay } from './clock.js';
import { timeTables } from './clock.js';
import type { Rng } from './prng.js';

const H = 3600;
/** Chance per day that an adult at home starts a trip to another city. */
export const TRIP_START_CHANCE = 0.012;

/** A trip to another city, planned per resident before its days are generated. */
export interface Trip {
  readonly startDay: number;
  readonly length: number;
  readonly hotel: number;
  /** Second of the first day the resident leaves, and of the last day they head home. */
  readonly depart: number;
  readonly back: number;
  readonly transit: number;
}

/** Plans the resident's trips over the window (children under 14 stay home). */
export function planTrips(ctx: RunContext, p: ResidentProfile, rng: Rng): Trip[] {
  const trips: Trip[] = [];
  const destinations = ctx.map.destinations;
  if (p.age < 14 || destinations.length === 0) {
    return trips;
  }
  for (let d = 0; d < ctx.days.length; d++) {
    if (rng.float() >= TRIP_START_CHANCE) {
      continue;
    }
    const u = rng.float();
    const length = u < 0.5 ? 1 : u < 0.8 ? 2 : 3;
    // Nearer cities are visited more often (destinations are sorted by distance).
    const city: MapCity = destinations[Math.floor(rng.float() ** 2 * destinations.length)];
    const hotel = city.cells[rng.int(city.cells.length)];
    trips.push({
      startDay: d,
      length,
      hotel,
      depart: 6 * H + rng.int(3 * H),
      back: 16 * H + rng.int(3 * H),
      transit: H + rng.int(H),
    });
    d += length;
  }
  return trips;
}

/** Where the phone is during a day: segment starts (seconds), base cells and jitter chances. */
export class DayPlan {
  n = 0;
  readonly start = new Int32Array(16);
  readonly base = new Int32Array(16);
  readonly jitter = new Float64Array(16);

  clear(): void {
    this.n = 0;
  }

  push(start: number, base: number, jitter: number): void {
    this.start[this.n] = start;
    this.base[this.n] = base;
    this.jitter[this.n] = jitter;
    this.n++;
  }
}

function errandCell(ctx: RunContext, p: ResidentProfile, rng: Rng): number {
  const near = ctx.map.neighbours[p.home];
  if (rng.float() < 0.5 && near.length > 0) {
    return near[rng.int(near.length)];
  }
  const cells = ctx.map.home.cells;
  return cells[Math.floor(rng.float() ** 1.3 * cells.length)];
}

/** Fills `plan` with the resident's whereabouts on `day`. */
export function planDay(
  ctx: RunContext,
  p: ResidentProfile,
  day: SimDay,
  trip: Trip | undefined,
  rng: Rng,
  plan: DayPlan,
): void {
  plan.clear();
  const { home, work } = p;
  if (trip !== undefined) {
    const rel = day.index - trip.startDay;
    const last = trip.length - 1;
    if (rel === 0) {
      plan.push(0, home, 0.1);
      plan.push(trip.depart, home, 0.6);
      plan.push(trip.depart + trip.transit, trip.hotel, 0.3);
    } else {
      plan.push(0, trip.hotel, 0.3);
    }
    if (rel === last) {
      plan.push(trip.back, home, 0.6);
      plan.push(trip.back + trip.transit, home, 0.1);
    }
    return;
  }
  plan.push(0, home, 0.1);
  if (!day.weekend && p.role !== 'home') {
    const student = p.role === 'student';
    const leave = student ? 6.8 * H + rng.int(0.8 * H) : 7 * H + rng.int(1.5 * H);
    const commute = 900 + rng.int(2700);
    plan.push(leave, rng.float() < 0.5 ? home : work, 0.7);
    plan.push(leave + commute, work, 0.15);
    if (!student && rng.float() < 0.3) {
      const near = ctx.map.neighbours[work];
      plan.push(12 * H, near.length > 0 ? near[rng.int(near.length)] : work, 0.3);
      plan.push(12.75 * H, work, 0.15);
    }
    const depart = student ? 16 * H + rng.int(1.5 * H) : 17 * H + rng.int(2.5 * H);
    plan.push(depart, rng.float() < 0.5 ? home : work, 0.7);
    plan.push(depart + commute, home, 0.1);
    if (!student && rng.float() < 0.25) {
      const t = depart + commute + 600;
      plan.push(t, errandCell(ctx, p, rng), 0.3);
      plan.push(t + H + rng.int(H), home, 0.1);
    }
    return;
  }
  if (rng.float() < 0.6) {
    const t = 9 * H + rng.int(5 * H);
    plan.push(t, errandCell(ctx, p, rng), 0.3);
    plan.push(t + H + rng.int(3 * H), home, 0.1);
  }
  if (rng.float() < 0.3) {
    const t = 18.5 * H + rng.int(1.5 * H);
    plan.push(t, errandCell(ctx, p, rng), 0.3);
    plan.push(t + 1.5 * H, home, 0.1);
  }
}

const times = new Int32Array(64);
const NUMBERS = Array.from({ length: 64 }, (_, i) => String(i));

/**
 * Samples `count` cell events from a plan: a quarter at any hour (idle location updates), the
 * rest while people are up (07:00–23:00); sorted by time; none at or after `day.limitSec`.
 */
export function sampleEvents(
  ctx: RunContext,
  day: SimDay,
  plan: DayPlan,
  count: number,
  idPrefix: string,
  rng: Rng,
): LocationEvent[] {
  const n = Math.min(count, times.length);
  // Insertion sort while drawing: cheaper than a typed-array sort call for ≤ 20 values.
  for (let i = 0; i < n; i++) {
    const t = rng.float() < 0.25 ? rng.int(86_400) : 7 * H + rng.int(16 * H);
    let j = i;
    while (j > 0 && times[j - 1] > t) {
      times[j] = times[j - 1];
      j--;
    }
    times[j] = t;
  }
  const events: LocationEvent[] = [];
  const { cells, neighbours } = ctx.map;
  const { minutes, seconds } = timeTables(day);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (t >= day.limitSec) {
      break;
    }
    while (s + 1 < plan.n && plan.start[s + 1] <= t) {
      s++;
    }
    let cell = plan.base[s];
    if (rng.float() < plan.jitter[s]) {
      const near = neighbours[cell];
      if (near.length > 0) {
        cell = near[rng.int(near.length)]!;
      }
    }
    events.push({
      id: idPrefix + NUMBERS[i],
      time: minutes[(t / 60) | 0] + seconds[t % 60],
      cell: cells[cell],
    });
  }
  return events;
}
