// SPDX-License-Identifier: Apache-2.0
/**
 * @module An input party's local step: read its own records (a carrier's cell events and
 * real-name register), keep only subscribers whose data may serve `statistics` (the consent
 * port), group events per person — by ID number through the register, so a person with two SIMs
 * at one carrier counts once — and build the contribution-bounded histogram the party shares.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { JobSpec, LocalInput, PersonContribution } from '../../foundation/privacy/index.js';
import { BoundedHistogram, RandomBits } from '../../foundation/privacy/index.js';
import type { Random } from '../../kernel/shared/index.js';
import { systemRandom } from '../../kernel/shared/index.js';
import type { CarrierId, SyntheticRecord } from '../../foundation/sim/index.js';
import { FeedError, QueryError } from './errors.js';
import { compileQuery, parseQuery, toQueryEvent, type QueryEvent } from './model.js';

/**
 * The consent guard's narrow port for analytics inputs: may this subscriber's data be used for
 * the `statistics` purpose? The consent capability implements it; input parties consult it
 * before anything of a subscriber enters a histogram.
 */
export interface StatisticsConsentPort {
  allowsStatistics(subject: {
    readonly holder: string;
    readonly phone: string;
  }): boolean | Promise<boolean>;
}

/** Allows everything: only for synthetic demo cities, where no real person's consent exists. */
export const SYNTHETIC_CONSENT: StatisticsConsentPort = { allowsStatistics: () => true };

/** Refuses the listed phones (e.g. withdrawn consents exported by the holder's consent ledger). */
export function denyListConsent(phones: Iterable<string>): StatisticsConsentPort {
  const deny = new Set(phones);
  return { allowsStatistics: (s) => !deny.has(s.phone) };
}

/** One event line of a carrier feed. */
export interface FeedEvent {
  readonly phone: string;
  readonly time: string;
  readonly cell: string;
}

/** A holder's data source. */
export interface HolderData {
  readonly holder: string;
  events(): AsyncIterable<FeedEvent>;
  /** phone → ID number from the real-name register, when the holder has one. */
  register(): Promise<ReadonlyMap<string, string> | undefined>;
}

/** Reads `<carrier>-events.ndjson` and `<carrier>-subscribers.csv` as written by the sim. */
export function carrierFeed(
  holder: string,
  eventsFile: string,
  subscribersFile?: string,
): HolderData {
  return {
    holder,
    async *events() {
      const rl = createInterface({ input: createReadStream(eventsFile), crlfDelay: Infinity });
      let line = 0;
      for await (const text of rl) {
        line++;
        if (text.trim() === '') {
          continue;
        }
        let e: Partial<FeedEvent>;
        try {
          e = JSON.parse(text) as Partial<FeedEvent>;
        } catch {
          throw new FeedError(`${holder} events: line ${line} is not JSON`);
        }
        if (
          typeof e.phone !== 'string' ||
          typeof e.time !== 'string' ||
          typeof e.cell !== 'string'
        ) {
          throw new FeedError(`${holder} events: line ${line} lacks phone, time or cell`);
        }
        yield e as FeedEvent;
      }
    },
    async register() {
      if (subscribersFile === undefined) {
        return undefined;
      }
      const map = new Map<string, string>();
      const rl = createInterface({ input: createReadStream(subscribersFile), crlfDelay: Infinity });
      let header: string[] | undefined;
      for await (const text of rl) {
        const cols = text.split(',').map((s) => s.trim());
        if (header === undefined) {
          header = cols;
          continue;
        }
        const id = cols[header.indexOf('id_number')];
        const phone = cols[header.indexOf('phone')];
        if (id && phone) {
          map.set(phone, id);
        }
      }
      if (header === undefined || !header.includes('id_number') || !header.includes('phone')) {
        throw new FeedError(`${holder} register: expected the columns id_number,phone`);
      }
      return map;
    },
  };
}

/** A holder's data from in-memory synthetic records (tests, demo without files). */
export function recordsFeed(
  holder: CarrierId,
  batches: readonly (readonly SyntheticRecord[])[],
): HolderData {
  return {
    holder,
    async *events() {
      for (const batch of batches) {
        for (const r of batch) {
          if (r.type === 'location-events' && r.carrier === holder) {
            for (const e of r.events) {
              yield { phone: r.phone, time: e.time, cell: e.cell };
            }
          }
        }
      }
      await Promise.resolve();
    },
    register() {
      const map = new Map<string, string>();
      for (const batch of batches) {
        for (const r of batch) {
          if (r.type === 'resident') {
            if (r.resident.carrier === holder) {
              map.set(r.resident.phone, r.resident.idNumber);
            }
            if (r.resident.secondPhone?.carrier === holder) {
              map.set(r.resident.secondPhone.phone, r.resident.idNumber);
            }
          }
        }
      }
      return Promise.resolve(map);
    },
  };
}

/** Holder-side statistics (logged at the holder; never sent). */
export interface LocalStats {
  readonly events: number;
  readonly persons: number;
  readonly refusedByConsent: number;
  readonly dropped: number;
}

/** Builds the holder's bounded histogram for a job (the input party's provider). */
export async function buildLocalInput(
  job: JobSpec,
  data: HolderData,
  consent: StatisticsConsentPort,
  random: Random = systemRandom,
): Promise<LocalInput & { persons: readonly PersonContribution[]; stats: LocalStats }> {
  const compiled = compileQuery(parseQuery(job.query));
  if (compiled.cells !== job.cells) {
    throw new QueryError('the job does not match the query domain');
  }
  const register = await data.register();
  // Keyed by the register identity when the holder knows it (`id:`), else by phone (`phone:`).
  const byPerson = new Map<string, QueryEvent[]>();
  const verdicts = new Map<string, boolean>();
  let events = 0;
  let refused = 0;
  for await (const e of data.events()) {
    let ok = verdicts.get(e.phone);
    if (ok === undefined) {
      ok = await consent.allowsStatistics({ holder: data.holder, phone: e.phone });
      verdicts.set(e.phone, ok);
      if (!ok) {
        refused++;
      }
    }
    if (!ok) {
      continue;
    }
    const q = toQueryEvent(e.time, e.cell);
    if (q === undefined) {
      continue;
    }
    events++;
    const id = register?.get(e.phone);
    const person = id === undefined ? `phone:${e.phone}` : `id:${id}`;
    let list = byPerson.get(person);
    if (list === undefined) {
      list = [];
      byPerson.set(person, list);
    }
    list.push(q);
  }
  const hist = new BoundedHistogram(job.cells, job.contributionBound, new RandomBits(random));
  const kept: PersonContribution[] = [];
  for (const [person, evs] of byPerson) {
    const cells = hist.addPerson(compiled.personCells(evs));
    if (cells.length > 0) {
      kept.push(person.startsWith('id:') ? { id: person.slice(3), cells } : { cells });
    }
  }
  byPerson.clear();
  return {
    histogram: hist.counts,
    linkageRecords: () => kept.map((p) => ({ cells: p.cells })),
    persons: kept,
    stats: {
      events,
      persons: hist.stats.persons,
      refusedByConsent: refused,
      dropped: hist.stats.dropped,
    },
  };
}
