// SPDX-License-Identifier: Apache-2.0
/**
 * @module Operator console routes (read side): the colour rule sets, the consent catalogue
 * (purposes with PIPL art. 13 bases, services, notices, repurposing campaigns) and the tracked
 * data-subject requests with their deadlines (PIPL arts. 44–50); writes: the risk-area list
 * (GB/T 38962-2020 §4 b; replaced whole, atomically, audit-logged) and review decisions (PIPL
 * art. 24 para. 3: a person may have an automated decision reviewed by a human).
 */
import {
  BUILT_IN_RULE_SETS,
  REVIEW_OUTCOMES,
  REVIEW_STATUSES,
  decideReview,
  listReviews,
  loadRiskAreas,
  type ReviewOutcome,
} from '../../services/codes/index.js';
import { listCampaigns, listNotices, loadCatalogue } from '../../personal/consent/index.js';
import { isOverdue, listRequests } from '../../lifecycle/rights/index.js';
import { principalOf } from './auth.js';
import { parseRiskAreaList, riskAreasFile, writeRiskAreas } from './risk-areas.js';
import { ID_TEXT, objectSchema, querySchema, route, type RouteSpec } from './route-kit.js';

const OPERATOR = ['operator'] as const;

const INSTANT = { type: 'string', minLength: 10, maxLength: 40 } as const;

/** The body of `PUT /api/operator/risk-areas`: what GET answers (`to` null while in force). */
const RISK_AREA_LIST = {
  type: 'array',
  maxItems: 2000,
  items: objectSchema(
    {
      region: { type: 'string', pattern: '^[0-9]{6}$' },
      level: { enum: ['medium', 'high'] },
      from: INSTANT,
      to: { anyOf: [INSTANT, { type: 'null' }] },
    },
    ['region', 'level', 'from'],
  ),
} as const;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The colour rules' inputs: rule sets and the risk-area list. */
function colourRuleRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/operator/rule-sets',
      access: OPERATOR,
      summary: 'the colour rule sets (data, versioned)',
      tags: ['codes'],
      example: {},
      handler() {
        return Promise.resolve(BUILT_IN_RULE_SETS);
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/risk-areas',
      access: OPERATOR,
      summary: 'the risk-area list the colour rules read (DIR/risk-areas.json)',
      tags: ['codes'],
      example: {},
      handler(_req, _reply, ctx) {
        return Promise.resolve(loadRiskAreas(riskAreasFile(ctx.store.paths.root)));
      },
    }),
    route({
      method: 'PUT',
      url: '/api/operator/risk-areas',
      access: OPERATOR,
      summary:
        'replace the risk-area list (the shape GET answers); codes and trip cards read it at query time',
      tags: ['codes'],
      bodyLimit: 256 * 1024,
      schema: { body: RISK_AREA_LIST },
      example: {
        body: [{ region: '320205', level: 'high', from: '2026-11-20T00:00:00.000Z', to: null }],
      },
      async handler(req, _reply, ctx) {
        // Every designation by the domain's rules (a known GB/T 2260 code, from < to): 400 if not.
        const list = parseRiskAreaList(req.body as unknown[]);
        const before = loadRiskAreas(riskAreasFile(ctx.store.paths.root)).length;
        writeRiskAreas(ctx.store.paths.root, list);
        const log = await ctx.audit();
        await log.append(ctx.store.db.kysely, [
          {
            kind: 'system',
            actor: `operator:${principalOf(req).accountName}`,
            action: 'risk-areas-replace',
            outcome: 'ok',
            at: ctx.store.clock.now(),
            details: {
              before,
              after: list.length,
              high: list.filter((a) => a.level === 'high').length,
            },
          },
        ]);
        return list;
      },
    }),
  ];
}

/** Human reviews of colour decisions. */
function reviewRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/operator/reviews',
      access: OPERATOR,
      summary: 'colour reviews (corrections and objections), newest first',
      tags: ['codes'],
      schema: { querystring: querySchema({ status: { enum: [...REVIEW_STATUSES] } }, []) },
      example: {},
      async handler(req, _reply, ctx) {
        const { status } = req.query as { status?: (typeof REVIEW_STATUSES)[number] };
        return listReviews(await ctx.subjectCodes(), {
          ...(status === undefined ? {} : { status }),
          limit: 500,
        });
      },
    }),
    route({
      method: 'POST',
      url: '/api/operator/reviews/:id/decision',
      access: OPERATOR,
      summary:
        'decide a pending review: upheld keeps the colour, an order outcome stores that order and re-evaluates',
      tags: ['codes'],
      schema: {
        params: objectSchema({ id: ID_TEXT }),
        body: objectSchema(
          {
            outcome: { enum: [...REVIEW_OUTCOMES] },
            // Accepted for the reviewer's screen; not stored (free text may hold personal data).
            note: { type: 'string', maxLength: 1000 },
          },
          ['outcome'],
        ),
      },
      example: { url: '/api/operator/reviews/rv_none/decision', body: { outcome: 'upheld' } },
      async handler(req, _reply, ctx) {
        const { id } = req.params as { id: string };
        const { outcome } = req.body as { outcome: ReviewOutcome };
        const reviewer = { actor: `operator:${principalOf(req).accountName}`, role: 'operator' };
        const { review } = await decideReview(await ctx.subjectCodes(), id, reviewer, outcome);
        return review;
      },
    }),
  ];
}

/** The consent catalogue as the console reads it. */
function catalogueReadRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/operator/purposes',
      access: OPERATOR,
      summary: 'the purpose catalogue with legal bases, categories and retention',
      tags: ['consent'],
      example: {},
      async handler(_req, _reply, ctx) {
        const cat = await loadCatalogue(ctx.consentDeps());
        return [...cat.purposes.values()].map((p) => ({
          ...p,
          validFrom: p.validFrom.toISOString(),
          validTo: iso(p.validTo),
        }));
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/services',
      access: OPERATOR,
      summary: 'the services citizens use and the purposes each runs on',
      tags: ['consent'],
      example: {},
      async handler(_req, _reply, ctx) {
        const cat = await loadCatalogue(ctx.consentDeps());
        return [...cat.services.values()];
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/notices',
      access: OPERATOR,
      summary: 'every published notice version (user agreement, privacy policy)',
      tags: ['consent'],
      example: {},
      async handler(_req, _reply, ctx) {
        const notices = await listNotices(ctx.consentDeps().db);
        return notices.map((n) => ({
          kind: n.kind,
          language: n.language,
          version: n.version,
          hash: n.hash,
          publishedAt: n.publishedAt.toISOString(),
          supersededAt: iso(n.supersededAt),
        }));
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/campaigns',
      access: OPERATOR,
      summary: 'repurposing campaigns (asking for consent to a new purpose)',
      tags: ['consent'],
      example: {},
      async handler(_req, _reply, ctx) {
        const campaigns = await listCampaigns(ctx.consentDeps());
        return campaigns.map((c) => ({
          ...c,
          createdAt: c.createdAt.toISOString(),
          closedAt: iso(c.closedAt),
        }));
      },
    }),
  ];
}

/** The queue of data-subject requests. */
function requestQueueRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/operator/requests',
      access: OPERATOR,
      summary: 'data-subject requests, soonest due first (overdue=true: only late ones)',
      tags: ['rights'],
      schema: { querystring: querySchema({ overdue: { enum: ['true', 'false'] } }, []) },
      example: { url: '/api/operator/requests?overdue=false' },
      async handler(req, _reply, ctx) {
        const { overdue } = req.query as { overdue?: string };
        const now = ctx.store.clock.now();
        const rows = await listRequests(
          { db: ctx.store.db.kysely, clock: ctx.store.clock },
          { overdue: overdue === 'true' },
        );
        return rows.map((r) => ({
          id: r.id,
          type: r.type,
          state: r.state,
          channel: r.channel,
          openedAt: r.openedAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          answerBy: r.answerBy.toISOString(),
          overdue: isOverdue(r, now),
          closedAt: iso(r.closedAt),
          refusal: r.refusal,
        }));
      },
    }),
  ];
}

export function operatorRoutes(): RouteSpec[] {
  return [
    ...colourRuleRoutes(),
    ...reviewRoutes(),
    ...catalogueReadRoutes(),
    ...requestQueueRoutes(),
  ];
}
