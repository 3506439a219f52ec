// SPDX-License-Identifier: Apache-2.0
/**
 * @module The itinerary of one subscriber (issue 8 item 2; DOMAIN.md §6 req. 21): reads only that
 * subject's rows of the window (index `(subject_id, day)`), opens them under its `itinerary` data
 * keys, applies the stay rule, names the places (GB/T 2260, GB/T 2659) and adds risk marks from
 * the current list. The read is audited under the subject's pseudonym; restricted data (PIPL art.
 * 47 para. 2) is refused.
 */
import { lookupCountry, lookupRegion, type RiskArea } from '../domain/index.js';
import { TRIPCARD_PURPOSE, windowAt, type TripcardContext } from './context.js';
import { TripcardUnavailableError } from './errors.js';
import { visitedPlaces, type PlacedInstant } from './itinerary.js';
import { eventsOf } from './repository.js';
import { EVENT_CATEGORY, EVENT_SCOPE, openBundle } from './sealing.js';
import { cityAtRisk } from './risk.js';
import { dayText } from '../shared/local-day.js';

/** One line of the card: a domestic city or a foreign country, with its last-seen day. */
export type CityLine =
  | {
      readonly region: string;
      readonly name: string;
      readonly lastSeen: string;
      readonly risk: boolean;
    }
  | {
      readonly country: string;
      readonly name: string;
      readonly lastSeen: string;
      readonly risk: false;
    };

/** The card (`{"cities": [...]}`), latest first. */
export interface Itinerary {
  readonly cities: readonly CityLine[];
}

/** A place the card lists: a prefecture-level city (not a bare non-municipal province), or a country. */
export function isCity(place: string): boolean {
  if (place.startsWith('c:')) {
    return true;
  }
  return lookupRegion(place.slice(2))?.level !== 'province';
}

/** Decrypted events of one subject in the window (rows under destroyed keys are skipped). */
export async function eventsInWindow(
  ctx: TripcardContext,
  subjectId: string,
  window: { fromDay: number; from: number; to: number },
): Promise<PlacedInstant[]> {
  const rows = await eventsOf(ctx.store.db.kysely, subjectId, window.fromDay);
  if (rows.length === 0) {
    return [];
  }
  const { live } = await ctx.store.keyring.dataKeys(subjectId, [EVENT_SCOPE]);
  const out: PlacedInstant[] = [];
  try {
    for (const r of rows) {
      const k = live.get(`${EVENT_SCOPE}#${r.gen}`);
      if (k === undefined) {
        continue; // crypto-erased: its key is gone, the row awaits the purge
      }
      for (const e of openBundle(k.key, r)) {
        if (e.at >= window.from && e.at <= window.to) {
          out.push(e);
        }
      }
    }
  } finally {
    for (const k of live.values()) {
      k.key.fill(0);
    }
  }
  return out;
}

/**
 * The card of a subject from its events in the window (read, unwrap, decrypt, stay rule, names,
 * risk marks) — without the restriction check and the audit event {@link itineraryOf} adds.
 */
export async function cardOf(
  ctx: TripcardContext,
  subjectId: string,
  riskAreas: readonly RiskArea[],
  window: { fromDay: number; from: number; to: number },
): Promise<{ cities: CityLine[]; events: number }> {
  const events = await eventsInWindow(ctx, subjectId, window);
  const cities = visitedPlaces(events, ctx.timeZone, isCity).map((v): CityLine => {
    const lastSeen = dayText(v.days[v.days.length - 1]);
    if (v.place.startsWith('c:')) {
      const code = v.place.slice(2);
      return { country: code, name: lookupCountry(code)?.nameZh ?? code, lastSeen, risk: false };
    }
    const region = v.place.slice(2);
    return {
      region,
      name: lookupRegion(region)?.name ?? region,
      lastSeen,
      risk: cityAtRisk(region, riskAreas, window.from, window.to),
    };
  });
  return { cities, events: events.length };
}

/** The card of a subject at the instance clock's now; audited as `actor`. */
export async function itineraryOf(
  ctx: TripcardContext,
  subjectId: string,
  options: { actor: string; riskAreas: readonly RiskArea[] },
): Promise<Itinerary> {
  const { vault } = ctx.vault;
  const restricted = await vault.restrictions(subjectId);
  if (restricted.some((s) => s === '*' || s === EVENT_SCOPE || s === EVENT_CATEGORY)) {
    throw new TripcardUnavailableError('this itinerary is restricted (PIPL art. 47 para. 2)');
  }
  const now = ctx.store.clock.now();
  const window = windowAt(now, ctx.timeZone);
  const { cities, events } = await cardOf(ctx, subjectId, options.riskAreas, window);
  const auditId = await vault.auditIdOf(ctx.store.db.kysely, subjectId);
  await ctx.audit.append(ctx.store.db.kysely, [
    {
      kind: 'access',
      actor: options.actor,
      purpose: TRIPCARD_PURPOSE,
      ...(auditId === undefined ? {} : { subjectAuditId: auditId }),
      category: EVENT_CATEGORY,
      action: 'tripcard-itinerary',
      outcome: 'ok',
      at: now,
      details: { events, cities: cities.length },
    },
  ]);
  return { cities };
}
