// SPDX-License-Identifier: Apache-2.0
/**
 * @module The trip card's types and pure rules (DOMAIN.md §2.4, §6 req. 21): a carrier location
 * record (`id`, `phone`, `time` as RFC 3339, and one of `cell` — an H3 index —, `region` — a
 * GB/T 2260 code — or `country` — ISO 3166-1 alpha-2, GB/T 2659), validated into an event that
 * keeps only what the itinerary needs: the prefecture-level place (or country) and the instant.
 * Rejections carry a fixed reason, never the value.
 */
import {
  lookupCountry,
  normalisePhone,
  normaliseRegion,
  domainErrors,
} from '../../kernel/domain/index.js';

/** Why a record was not loaded (written to the reject file with its line number). */
export const REJECT_REASONS = [
  'malformed',
  'invalid-id',
  'invalid-phone',
  'invalid-time',
  'future-time',
  'out-of-window',
  'missing-place',
  'several-places',
  'unknown-cell',
  'unknown-region',
  'unknown-country',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Where an event happened: a prefecture-level place (`xx0100` for municipalities) or a country. */
export type Place = { readonly region: string } | { readonly country: string };

/** A validated event: the subscriber's phone (E.164), the instant, and the place. */
export interface TripEvent {
  readonly id: string;
  readonly phone: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /** `r:<six digits>` for a region, `c:<alpha-2>` for a country (compact, what is sealed). */
  readonly place: string;
}

/** One line's outcome. */
export type Parsed =
  | { readonly ok: true; readonly event: TripEvent }
  | { readonly ok: false; readonly reason: RejectReason };

/** What validation needs: the cell table and the window `[from, to]` in epoch ms. */
export interface ParseContext {
  readonly cells: ReadonlyMap<string, string>;
  readonly from: number;
  readonly to: number;
}

const EVENT_ID = /^[A-Za-z0-9._:-]{1,80}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

const reject = (reason: RejectReason): Parsed => ({ ok: false, reason });

/** Parses an RFC 3339 instant with an explicit offset (§5.6); NaN when it is not one. */
export function parseRfc3339Instant(text: string): number {
  if (!RFC3339.test(text)) {
    return NaN;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    return NaN;
  }
  // Date.parse rolls 2026-02-30 over into March; a real calendar date round-trips.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? ms : NaN;
}

const regionCache = new Map<string, string | null>();

/** The ways a division code can fail to name a place. */
function isRegionError(err: unknown): boolean {
  return (
    err instanceof domainErrors.RegionFormatError ||
    err instanceof domainErrors.RegionNbsCodeError ||
    err instanceof domainErrors.RegionUnknownError ||
    err instanceof domainErrors.RegionNotAPlaceError
  );
}

/** A GB/T 2260 code's prefecture-level place, or null when the dataset does not know it. */
export function placeOfRegion(code: string): string | null {
  let hit = regionCache.get(code);
  if (hit === undefined) {
    try {
      hit = normaliseRegion(code);
    } catch (err) {
      if (!isRegionError(err)) {
        throw err;
      }
      hit = null;
    }
    regionCache.set(code, hit);
  }
  return hit;
}

/** Validates one raw record (an object from a JSON line or a CSV row). */
export function parseRecord(raw: unknown, ctx: ParseContext): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('malformed');
  }
  const r = raw as Record<string, unknown>;
  const { id, phone, time } = r;
  if (typeof id !== 'string' || typeof phone !== 'string' || typeof time !== 'string') {
    return reject('malformed');
  }
  if (!EVENT_ID.test(id)) {
    return reject('invalid-id');
  }
  let e164: string;
  try {
    e164 = normalisePhone(phone);
  } catch (err) {
    if (!(err instanceof domainErrors.PhoneError)) {
      throw err;
    }
    return reject('invalid-phone');
  }
  const at = parseRfc3339Instant(time);
  if (Number.isNaN(at)) {
    return reject('invalid-time');
  }
  if (at > ctx.to) {
    return reject('future-time');
  }
  if (at < ctx.from) {
    return reject('out-of-window');
  }
  const given = [r.cell, r.region, r.country].filter(
    (v) => v !== undefined && v !== null && v !== '',
  );
  if (given.length === 0) {
    return reject('missing-place');
  }
  if (given.length > 1) {
    return reject('several-places');
  }
  let place: string;
  if (r.cell !== undefined && r.cell !== null && r.cell !== '') {
    const p = typeof r.cell === 'string' ? ctx.cells.get(r.cell.toLowerCase()) : undefined;
    if (p === undefined) {
      return reject('unknown-cell');
    }
    place = `r:${p}`;
  } else if (r.region !== undefined && r.region !== null && r.region !== '') {
    const p = typeof r.region === 'string' ? placeOfRegion(r.region) : null;
    if (p === null) {
      return reject('unknown-region');
    }
    place = `r:${p}`;
  } else {
    // China is not a foreign stay; Hong Kong, Macao and Taiwan are GB/T 2260 regions (81, 82, 71).
    const c = typeof r.country === 'string' ? lookupCountry(r.country) : undefined;
    if (
      c === undefined ||
      c.alpha2 === 'CN' ||
      c.alpha2.length !== 2 ||
      !/^[A-Za-z]{2}$/.test(r.country as string)
    ) {
      return reject('unknown-country');
    }
    place = `c:${c.alpha2}`;
  }
  return { ok: true, event: { id, phone: e164, at, place } };
}

/** Decodes a compact place into its public form. */
export function placeOf(compact: string): Place {
  return compact.startsWith('c:') ? { country: compact.slice(2) } : { region: compact.slice(2) };
}
