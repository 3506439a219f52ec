// SPDX-License-Identifier: Apache-2.0
/**
 * @module The 14-day itinerary rule (DOMAIN.md §2.4, §6 req. 21), pure: a stay is a contiguous
 * run of events in one place with no gap over 2 hours, never split at midnight; a domestic city
 * counts when a stay there lasts more than 4 hours, on each local day the stay touches; a foreign
 * country counts on any stay (the card listed countries "arrived at or passed through"). Cities
 * come out with their last-seen day; risk marks are added by the caller at query time.
 */
import { localDayNumber } from '../../kernel/shared/local-day.js';

/** Largest gap inside one stay. */
export const MAX_GAP_MS = 2 * 3_600_000;
/** A domestic stay must last longer than this to count. */
export const MIN_STAY_MS = 4 * 3_600_000;

/** One decrypted event as the itinerary sees it. */
export interface PlacedInstant {
  /** Epoch ms. */
  readonly at: number;
  /** Compact place: `r:<code>` or `c:<alpha-2>`. */
  readonly place: string;
}

/** A run of events in one place. */
export interface Stay {
  readonly place: string;
  readonly from: number;
  readonly to: number;
}

/** A place that counts, with the local days it counts on. */
export interface VisitedPlace {
  readonly place: string;
  /** Local day numbers, ascending. */
  readonly days: readonly number[];
}

const byTimeThenPlace = (a: PlacedInstant, b: PlacedInstant) =>
  a.at - b.at || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0);

/** Whether events are already in {@link staysOf}'s order (the itinerary read's usual case). */
function inOrder(events: readonly PlacedInstant[]): boolean {
  for (let i = 1; i < events.length; i++) {
    if (byTimeThenPlace(events[i - 1], events[i]) > 0) {
      return false;
    }
  }
  return true;
}

/** Splits events (any order) into stays. */
export function staysOf(events: readonly PlacedInstant[]): Stay[] {
  // Sorted by time, ties by place code (code-unit order: deterministic, no locale); a copy only
  // when the input is out of order.
  const sorted = inOrder(events) ? events : [...events].sort(byTimeThenPlace);
  const stays: Stay[] = [];
  let cur: { place: string; from: number; to: number } | undefined;
  for (const e of sorted) {
    if (cur !== undefined && e.place === cur.place && e.at - cur.to <= MAX_GAP_MS) {
      cur.to = e.at;
      continue;
    }
    if (cur !== undefined) {
      stays.push(cur);
    }
    cur = { place: e.place, from: e.at, to: e.at };
  }
  if (cur !== undefined) {
    stays.push(cur);
  }
  return stays;
}

/** Whether a stay counts: foreign stays always, domestic ones when longer than 4 hours. */
export function stayCounts(stay: Stay): boolean {
  return stay.place.startsWith('c:') || stay.to - stay.from > MIN_STAY_MS;
}

/**
 * The places that count and the local days they count on (each day a counting stay touches,
 * from the day it starts to the day it ends — a stay over midnight counts on both days).
 * `isCity` filters out places that are not cities (a non-municipal province-level code).
 */
export function visitedPlaces(
  events: readonly PlacedInstant[],
  timeZone: string,
  isCity: (place: string) => boolean = () => true,
): VisitedPlace[] {
  const days = new Map<string, Set<number>>();
  const city = new Map<string, boolean>();
  for (const s of staysOf(events)) {
    if (!stayCounts(s)) {
      continue;
    }
    let c = city.get(s.place);
    if (c === undefined) {
      c = isCity(s.place);
      city.set(s.place, c);
    }
    if (!c) {
      continue;
    }
    const set = days.get(s.place) ?? new Set<number>();
    const last = localDayNumber(s.to, timeZone);
    for (let d = localDayNumber(s.from, timeZone); d <= last; d++) {
      set.add(d);
    }
    days.set(s.place, set);
  }
  return [...days]
    .map(([place, set]) => ({ place, days: [...set].sort((a, b) => a - b) }))
    .sort(
      (a, b) =>
        b.days[b.days.length - 1] - a.days[a.days.length - 1] || a.place.localeCompare(b.place),
    );
}
