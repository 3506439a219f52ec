// SPDX-License-Identifier: Apache-2.0
/**
 * @module `POST /api/analyst/queries`: one private-analytics query (DESIGN.md §8; DOMAIN.md §6
 * req. 23–24) run in this process over the instance's carrier feeds, each carrier its own input
 * party and every subscriber filtered through the consent guard for the `statistics` purpose
 * (PIPL arts. 13, 29) — or, when `analytics.parties` in DIR/config.json names a job file, against
 * those pinned party processes (`healthcode party --config`), this server as coordinator. The
 * zCDP budget is reserved before any party starts; the answer is the stored release, or the
 * analytics/privacy capability's problem (budget exhausted, withheld).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Store } from '../../platform/runtime/index.js';
import { principalOf } from './auth.js';
import type { HttpContext } from './context.js';
import { HttpConflictError } from './errors.js';
import { route, type RouteSpec } from './route-kit.js';

/**
 * Where the instance's carrier feeds live: beside the data dir (`DIR-carrier-feeds`), never in it
 * — they are the carriers' data, not the instance's (the sim refuses feeds inside DIR).
 */
export function carrierFeedsDir(store: Store): string {
  const root = resolve(store.paths.root);
  return join(dirname(root), `${basename(root)}-carrier-feeds`);
}

const QUERY_KIND = { enum: ['crowd', 'od', 'job-residence', 'site'] } as const;
const LABEL = { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,128}$' } as const;

/**
 * The body: the analytics request (`query` an object as `analytics run` takes it), or — as the
 * console sends — `query` a kind with the window's members beside it; the analyst is always the
 * caller (the budget is per analyst). Analytics validates the rest (its errors are 400).
 */
const BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['query'],
  properties: {
    query: { oneOf: [QUERY_KIND, { type: 'object' }] },
    dataset: LABEL,
    rho: { type: 'number' },
    k: { type: 'integer' },
    delta: { type: 'number' },
    dedup: { type: 'boolean' },
    prefecture: { type: 'string', pattern: '^[0-9]{6}$' },
    from: { type: 'string', maxLength: 40 },
    hours: { type: 'integer' },
    site: { type: 'string', maxLength: 20 },
    resolution: { type: 'integer' },
    bound: { type: 'integer' },
  },
} as const;

/** Default ρ of one console query (the default budget allows several). */
export const DEFAULT_QUERY_RHO = 0.1;

type Body = Record<string, unknown> & { query: string | Record<string, unknown> };

async function requestOf(body: Body, ctx: HttpContext, analyst: string): Promise<unknown> {
  const { query, dataset, rho, k, delta, dedup, ...window } = body;
  let q: Record<string, unknown>;
  if (typeof query === 'string') {
    const { DEFAULT_PREFECTURE } = await import('../../foundation/sim/index.js');
    const { startOfYesterday } = await import('../../services/analytics/index.js');
    q = {
      kind: query,
      prefecture: DEFAULT_PREFECTURE,
      from: startOfYesterday(ctx.store.clock.now(), ctx.store.config.timeZone),
      hours: 24,
      ...window,
    };
  } else {
    q = query;
  }
  return {
    query: q,
    dataset: dataset ?? `carriers:${String(q.prefecture)}`,
    analyst,
    rho: rho ?? DEFAULT_QUERY_RHO,
    ...(k === undefined ? {} : { k }),
    ...(delta === undefined ? {} : { delta }),
    ...(dedup === undefined ? {} : { dedup }),
  };
}

export function analyticsRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/analyst/queries',
      access: ['analyst'],
      summary:
        "run one DP query over the instance's carrier feeds (consent-filtered); answers the stored release",
      tags: ['analytics'],
      schema: { body: BODY },
      example: { body: { query: 'crowd', rho: 0.05 } },
      async handler(req, _reply, ctx) {
        const analyst = principalOf(req).accountName;
        const a = await import('../../services/analytics/index.js');
        const request = a.parseAnalyticsRequest(await requestOf(req.body as Body, ctx, analyst));
        const jobFile = ctx.store.config.analytics?.parties;
        if (jobFile !== undefined) {
          // Real party processes (`healthcode party --config`), each consulting its own consent
          // source; this server is only the coordinator.
          const coordinator = a.loadJobFile(resolve(ctx.store.paths.root, jobFile));
          return a.runReleaseWithParties(ctx.store, request, coordinator);
        }
        const dir = carrierFeedsDir(ctx.store);
        if (!existsSync(dir)) {
          throw new HttpConflictError(
            'this instance has no carrier feeds (DIR-carrier-feeds beside the data dir); a --demo city writes them, or `seed --carrier-feeds`',
          );
        }
        const holders = a.carrierFeedsFromDir(dir);
        const { ConsentGuard } = await import('../../personal/consent/index.js');
        const { instanceVault } = await import('../app/wiring/vault.js');
        const iv = await instanceVault(ctx.store);
        const sys = iv.vault.systemRepository({
          actor: 'system:analytics-consent',
          purpose: 'maintenance',
        });
        // A subscriber counts under their citizen's consent when the SIM is linked to one person.
        const guard = new ConsentGuard({ ...ctx.consentDeps(), subjects: iv.vault });
        const consent = a.guardedConsent(guard, async (s) => {
          const subscriber = await sys.findSubscriber(s.phone);
          if (subscriber === undefined) {
            return undefined;
          }
          const citizens = await sys.links(subscriber);
          return citizens.length === 1 ? citizens[0] : subscriber;
        });
        try {
          return await a.runReleaseWithFeeds(ctx.store, request, { holders, consent });
        } finally {
          await iv.finish();
        }
      },
    }),
  ];
}
