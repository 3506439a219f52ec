// SPDX-License-Identifier: Apache-2.0
/**
 * @module The analytics queries and their public domains: crowd counts per H3 cell × hour, the
 * origin–destination matrix between districts (GB/T 2260 county-level units), the job-residence
 * distribution (home = most frequent night cell, work = most frequent weekday daytime cell) and
 * visitors to a site. A domain is derived from public geography only (the city's cell table), so
 * every party computes the same histogram layout and no party's data shapes it.
 */
import { cellToParent, getResolution, isValidCell } from 'h3-js';
import { z } from 'zod';
import { buildCityMap } from '../../foundation/sim/index.js';
import { QueryError } from './errors.js';

export const QUERY_KINDS = ['crowd', 'od', 'job-residence', 'site'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

const base = {
  prefecture: z.string().regex(/^\d{6}$/),
  from: z.string().datetime({ offset: true }),
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 31),
  /** Contribution bound c: the most cells one person counts in (per holder). */
  bound: z.number().int().min(1).max(1000).optional(),
};

export const querySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('crowd'), ...base }).strict(),
  z.object({ kind: z.literal('od'), ...base }).strict(),
  z
    .object({
      kind: z.literal('job-residence'),
      ...base,
      resolution: z.number().int().min(4).max(8).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('site'), ...base, site: z.string().regex(/^[0-9a-f]{15}$/) }).strict(),
]);
export type AnalyticsQuery = z.infer<typeof querySchema>;

/** Validates a query. */
export function parseQuery(raw: unknown): AnalyticsQuery {
  const r = querySchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new QueryError(`query: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`);
  }
  if (r.data.kind === 'site' && !isValidCell(r.data.site)) {
    throw new QueryError('query: site must be a valid H3 cell');
  }
  return r.data;
}

/** One event as the queries see it: an instant (ms), its local wall-clock fields, and a cell. */
export interface QueryEvent {
  readonly t: number;
  /** Local hour 0–23 and ISO weekday 1–7, read from the event's own RFC 3339 offset. */
  readonly hour: number;
  readonly weekday: number;
  readonly cell: string;
}

/** A query compiled against its public domain. */
export interface CompiledQuery {
  readonly query: AnalyticsQuery;
  /** Histogram length. */
  readonly cells: number;
  /** Contribution bound c. */
  readonly bound: number;
  /** The public label of cell i (for output and heat maps). */
  keyOf(i: number): Record<string, string | number>;
  /** The H3 cell a histogram index is drawn at on a map (undefined for matrices). */
  mapCellOf(i: number): string | undefined;
  /** The histogram indices one person's events fall in (before bounding; duplicates allowed). */
  personCells(events: readonly QueryEvent[]): number[];
  /** Axis labels when the release is a matrix (OD, job-residence). */
  readonly matrix?: { readonly rows: readonly string[]; readonly cols: readonly string[] };
}

/** Parses one feed time into a {@link QueryEvent} (or undefined when malformed). */
export function toQueryEvent(time: string, cell: string): QueryEvent | undefined {
  const t = Date.parse(time);
  if (Number.isNaN(t) || time.length < 19) {
    return undefined;
  }
  const hour = Number(time.slice(11, 13));
  const wd = new Date(`${time.slice(0, 10)}T00:00:00Z`).getUTCDay();
  return { t, hour, weekday: wd === 0 ? 7 : wd, cell };
}

function mode(cells: readonly string[]): string | undefined {
  const n = new Map<string, number>();
  for (const c of cells) {
    n.set(c, (n.get(c) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestN = 0;
  for (const [c, k] of n) {
    if (k > bestN || (k === bestN && best !== undefined && c < best)) {
      best = c;
      bestN = k;
    }
  }
  return best;
}

/** Compiles a query against the public map of its prefecture. */
export function compileQuery(raw: AnalyticsQuery): CompiledQuery {
  const query = parseQuery(raw);
  let map;
  try {
    map = buildCityMap(query.prefecture);
  } catch (err) {
    throw new QueryError(`query: no public cell table for prefecture ${query.prefecture}`, {
      cause: err,
    });
  }
  const from = Date.parse(query.from);
  const to = from + query.hours * 3_600_000;
  const inWindow = (e: QueryEvent) => e.t >= from && e.t < to;
  const homeCells = [...map.home.cells].map((i) => map.cells[i]);
  const cellIndex = new Map(homeCells.map((c, i) => [c, i]));

  switch (query.kind) {
    case 'crowd': {
      const H = query.hours;
      return {
        query,
        cells: homeCells.length * H,
        bound: query.bound ?? 24,
        keyOf: (i) => ({
          cell: homeCells[Math.floor(i / H)],
          hour: new Date(from + (i % H) * 3_600_000).toISOString(),
        }),
        mapCellOf: (i) => homeCells[Math.floor(i / H)],
        personCells: (events) => {
          const out: number[] = [];
          for (const e of events) {
            const c = cellIndex.get(e.cell);
            if (c !== undefined && inWindow(e)) {
              out.push(c * H + Math.floor((e.t - from) / 3_600_000));
            }
          }
          return out;
        },
      };
    }
    case 'od': {
      const districts = map.home.counties.map((c) => c.code);
      const dIndex = new Map(districts.map((d, i) => [d, i]));
      const regionOf = new Map<string, number>();
      for (const i of map.home.cells) {
        const d = dIndex.get(map.regions[i]);
        if (d !== undefined) {
          regionOf.set(map.cells[i], d);
        }
      }
      const D = districts.length;
      return {
        query,
        cells: D * D,
        bound: query.bound ?? 8,
        keyOf: (i) => ({ origin: districts[Math.floor(i / D)], destination: districts[i % D] }),
        mapCellOf: () => undefined,
        matrix: { rows: districts, cols: districts },
        personCells: (events) => {
          const seq = events.filter(inWindow).sort((a, b) => a.t - b.t);
          const out: number[] = [];
          let prev: number | undefined;
          for (const e of seq) {
            const d = regionOf.get(e.cell);
            if (d === undefined) {
              continue; // outside the city: not part of an intra-city OD pair
            }
            if (prev !== undefined && d !== prev) {
              out.push(prev * D + d);
            }
            prev = d;
          }
          return out;
        },
      };
    }
    case 'job-residence': {
      const res = query.resolution ?? 6;
      const parents = [...new Set(homeCells.map((c) => cellToParent(c, res)))].sort();
      const pIndex = new Map(parents.map((p, i) => [p, i]));
      const P = parents.length;
      return {
        query,
        cells: P * P,
        bound: 1,
        keyOf: (i) => ({ home: parents[Math.floor(i / P)], work: parents[i % P] }),
        mapCellOf: (i) => parents[Math.floor(i / P)],
        matrix: { rows: parents, cols: parents },
        personCells: (events) => {
          const night: string[] = [];
          const day: string[] = [];
          for (const e of events) {
            if (!inWindow(e) || !cellIndex.has(e.cell)) {
              continue;
            }
            if (e.hour >= 22 || e.hour < 6) {
              night.push(e.cell);
            } else if (e.weekday <= 5 && e.hour >= 9 && e.hour < 17) {
              day.push(e.cell);
            }
          }
          const home = mode(night);
          const work = mode(day);
          if (home === undefined || work === undefined) {
            return [];
          }
          return [pIndex.get(cellToParent(home, res))! * P + pIndex.get(cellToParent(work, res))!];
        },
      };
    }
    case 'site': {
      const sres = getResolution(query.site);
      return {
        query,
        cells: 1,
        bound: 1,
        keyOf: () => ({ site: query.site }),
        mapCellOf: () => query.site,
        personCells: (events) =>
          events.some(
            (e) =>
              inWindow(e) &&
              getResolution(e.cell) >= sres &&
              cellToParent(e.cell, sres) === query.site,
          )
            ? [0]
            : [],
      };
    }
  }
}
