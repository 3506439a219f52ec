// SPDX-License-Identifier: Apache-2.0
/**
 * @module Analytics for callers other than the CLI — the HTTP API's analyst routes: the remaining
 * zCDP budget of a dataset and analyst, a request body validated into an {@link AnalyticsRequest},
 * and one query run to a stored release, either against holders' feeds in this process (each
 * holder its own party node over pinned TLS on loopback) or against pinned party processes
 * (`healthcode party`, local or remote). DOMAIN.md §6 req. 23–24 hold on every path: the budget
 * is reserved before any party is contacted, and nothing is returned unless the linkage test
 * passed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Store } from '../../platform/runtime/index.js';
import { peerSchema, type CoordinatorOptions } from '../../foundation/privacy/index.js';
import { PrivacyLedger, type ReleaseRecord } from './ledger.js';
import { FeedError, QueryError } from './errors.js';
import { startFeedCluster } from './feed-cluster.js';
import { carrierFeed, type HolderData, type StatisticsConsentPort } from './local.js';
import { parseQuery } from './model.js';
import { runAnalytics, type AnalyticsRelease, type AnalyticsRequest } from './service.js';

/** What `GET …/budget` answers: ρ budget, ρ used (spent and reserved), ρ remaining. */
export interface BudgetView {
  readonly dataset: string;
  readonly analyst: string;
  readonly budgetRho: number;
  readonly usedRho: number;
  readonly remainingRho: number;
}

/** The remaining budget of `dataset` for `analyst` (the default budget if none was set). */
export async function analyticsBudget(
  store: Store,
  who: { readonly dataset: string; readonly analyst: string },
): Promise<BudgetView> {
  const r = await new PrivacyLedger(store).remaining(who.dataset, who.analyst);
  return {
    dataset: who.dataset,
    analyst: who.analyst,
    budgetRho: r.budget,
    usedRho: r.used,
    remainingRho: r.remaining,
  };
}

const label = z.string().regex(/^[A-Za-z0-9:._-]{1,128}$/);

const requestSchema = z
  .object({
    query: z.unknown(),
    dataset: label,
    analyst: label,
    rho: z.number().positive().max(10),
    k: z.number().int().min(5).max(1000).optional(),
    delta: z.number().positive().max(1e-3).optional(),
    dedup: z.boolean().optional(),
  })
  .strict();

/**
 * Validates a request body (`{ query, dataset, analyst, rho, k?, delta?, dedup? }`); throws a
 * {@link QueryError} naming the first problem. k below the policy minimum 5 is refused here.
 */
export function parseAnalyticsRequest(raw: unknown): AnalyticsRequest {
  const r = requestSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new QueryError(`request: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`);
  }
  const { query, ...rest } = r.data;
  return { ...rest, query: parseQuery(query) };
}

/** Midnight starting yesterday in the instance's zone, RFC 3339 with offset: a query's default start. */
export function startOfYesterday(now: Date, timeZone: string): string {
  const d = new Date(now.getTime() - 86_400_000);
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = name === undefined || name === 'GMT' ? '+00:00' : name.slice(3);
  return `${date}T00:00:00${offset}`;
}

/** The carriers' feeds in `dir` as written by `seed --carrier-feeds` (`<c>-events.ndjson`, …). */
export function carrierFeedsFromDir(dir: string): HolderData[] {
  const feeds = resolve(dir);
  const holders = ['cmcc', 'cucc', 'ctcc']
    .filter((c) => existsSync(join(feeds, `${c}-events.ndjson`)))
    .map((c) =>
      carrierFeed(
        c,
        join(feeds, `${c}-events.ndjson`),
        existsSync(join(feeds, `${c}-subscribers.csv`))
          ? join(feeds, `${c}-subscribers.csv`)
          : undefined,
      ),
    );
  if (holders.length === 0) {
    throw new FeedError('the feeds directory holds no <carrier>-events.ndjson');
  }
  return holders;
}

/**
 * Reads a job file (`{ coordinator: { key, cert }, parties: [...] }`, paths relative to it): the
 * coordinator identity and every pinned party with its address.
 */
export function loadJobFile(file: string): CoordinatorOptions {
  const dir = dirname(resolve(file));
  let raw: { coordinator?: { key?: unknown; cert?: unknown }; parties?: unknown };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
  } catch (err) {
    throw new QueryError('the job file is not readable JSON', { cause: err });
  }
  if (
    typeof raw.coordinator?.key !== 'string' ||
    typeof raw.coordinator.cert !== 'string' ||
    !Array.isArray(raw.parties)
  ) {
    throw new QueryError('the job file needs coordinator.key, coordinator.cert and parties[]');
  }
  return {
    identity: {
      keyPem: readFileSync(resolve(dir, raw.coordinator.key), 'utf8'),
      certPem: readFileSync(resolve(dir, raw.coordinator.cert), 'utf8'),
    },
    parties: raw.parties.map((p) => peerSchema.parse(p)),
  };
}

/**
 * Runs one query against holders' data in this process: one input party per holder (consulting
 * `consent` for every subscriber) and two compute parties, real pinned TLS on loopback. Returns
 * the stored release. Errors: ERR_PRIVACY_BUDGET_EXCEEDED (before any work),
 * ERR_PRIVACY_JOB_ABORTED, ERR_PRIVACY_REIDENTIFICATION (release withheld), ERR_ANALYTICS_*.
 */
export async function runReleaseWithFeeds(
  store: Store,
  request: AnalyticsRequest,
  source: {
    readonly holders: readonly HolderData[];
    readonly consent: StatisticsConsentPort;
    readonly log?: (msg: string) => void;
  },
): Promise<AnalyticsRelease> {
  const cluster = await startFeedCluster(source.holders, source.consent, {
    ...(source.log ? { log: source.log } : {}),
  });
  try {
    const out = await runAnalytics(
      {
        store,
        coordinator: { ...cluster, clock: store.clock, ...(source.log ? { log: source.log } : {}) },
        ...(source.log ? { log: source.log } : {}),
      },
      request,
    );
    return out.release;
  } finally {
    await cluster.close();
  }
}

/** Runs one query against pinned party processes (e.g. {@link loadJobFile}); same errors. */
export async function runReleaseWithParties(
  store: Store,
  request: AnalyticsRequest,
  coordinator: CoordinatorOptions,
  log?: (msg: string) => void,
): Promise<AnalyticsRelease> {
  const out = await runAnalytics(
    { store, coordinator: { clock: store.clock, ...coordinator }, ...(log ? { log } : {}) },
    request,
  );
  return out.release;
}

/** The releases stored for a dataset (newest last), as the ledger keeps them. */
export async function listAnalyticsReleases(
  store: Store,
  dataset: string,
): Promise<ReleaseRecord[]> {
  return new PrivacyLedger(store).listReleases(dataset);
}
