// SPDX-License-Identifier: Apache-2.0
/**
 * @module Operator console routes (read side): the colour rule sets, the consent catalogue
 * (purposes with PIPL art. 13 bases, services, notices, repurposing campaigns) and the tracked
 * data-subject requests with their deadlines (PIPL arts. 44–50). Writes stay on the CLI until
 * their doors take HTTP-shaped input.
 */
import { join } from 'node:path';
import { BUILT_IN_RULE_SETS, REVIEW_STATUSES, listReviews, loadRiskAreas } from '../codes/index.js';
import { listCampaigns, listNotices, loadCatalogue } from '../consent/index.js';
import { isOverdue, listRequests } from '../rights/index.js';
import { querySchema, route, type RouteSpec } from './route-kit.js';

const OPERATOR = ['operator'] as const;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function operatorRoutes(): RouteSpec[] {
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
        return Promise.resolve(loadRiskAreas(join(ctx.store.paths.root, 'risk-areas.json')));
      },
    }),
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
