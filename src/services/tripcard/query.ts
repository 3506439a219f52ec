// SPDX-License-Identifier: Apache-2.0
/**
 * @module The itinerary of one subscriber (issue 8 item 2; DOMAIN.md §6 req. 21): reads only that
 * subject's rows of the window (index `(subject_id, day)`) together with the wrapped `itinerary`
 * data keys they name (one statement), takes each key from the context's key cache when the row
 * read is the one it was unwrapped from (key-cache.ts), opens the rows, applies the stay rule, names the places (GB/T 2260, GB/T 2659) and adds risk marks from
 * the current list. The read is audited under the subject's pseudonym; restricted data (PIPL art.
 * 47 para. 2) is refused.
 */
import { lookupCountry, lookupRegion, type RiskArea } from '../../kernel/domain/index.js';
import { TRIPCARD_PURPOSE, windowAt, type TripcardContext } from './context.js';
import { TripcardUnavailableError } from './errors.js';
import { visitedPlaces, type PlacedInstant } from './itinerary.js';
import type { Keyring } from '../../platform/keys/index.js';
import { eventsWithKeys, type BundleWithKey } from './repository.js';
import type { WrappedKeyRow } from './key-cache.js';
import { EVENT_CATEGORY, EVENT_SCOPE, openBundlesInto } from './sealing.js';
import { cityAtRisk } from './risk.js';
import { dayText } from '../../kernel/shared/local-day.js';

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
  const rows = await eventsWithKeys(ctx.store.db, subjectId, window.fromDay, EVENT_SCOPE);
  // Rows by key generation (one, until a re-key): one key look-up per generation.
  const byGen = new Map<number, BundleWithKey[]>();
  for (const r of rows) {
    const list = byGen.get(r.gen);
    if (list === undefined) {
      byGen.set(r.gen, [r]);
    } else {
      list.push(r);
    }
  }
  const out: PlacedInstant[] = [];
  for (const [gen, list] of byGen) {
    const { wrapped, kek_version: kekVersion } = list[0];
    if (wrapped === null || kekVersion === null) {
      // Crypto-erased (or never created): the rows await the purge, and no cached copy survives.
      ctx.keys.forget(subjectId, EVENT_SCOPE, gen);
      continue;
    }
    const key = await ctx.keys.keyFor(
      { subjectId, scope: EVENT_SCOPE, gen, kekVersion, wrapped },
      (row) => unwrapWith(ctx.store.keyring, row),
    );
    try {
      openBundlesInto(key, subjectId, list, window, out);
    } finally {
      key.fill(0);
    }
  }
  return out;
}

async function unwrapWith(keyring: Keyring, row: WrappedKeyRow): Promise<Buffer> {
  const dk = await keyring.unwrapDek({
    subject_id: row.subjectId,
    scope: row.scope,
    gen: row.gen,
    kek_version: row.kekVersion,
    wrapped: row.wrapped,
    created_at: 0,
    destroyed_at: null,
  });
  return dk.key;
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
