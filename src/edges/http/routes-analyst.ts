// SPDX-License-Identifier: Apache-2.0
/**
 * @module Analyst and account routes: the remaining zCDP privacy budget of a dataset for the
 * calling analyst (DESIGN.md §8), and `GET /api/me` — who a token belongs to, for every role.
 */
import { ROLES } from '../../foundation/accounts/index.js';
import { PrivacyLedger } from '../../services/analytics/index.js';
import { principalOf } from './auth.js';
import { querySchema, route, type RouteSpec } from './route-kit.js';

const DATASET = { type: 'string', pattern: '^[a-z0-9][a-z0-9:._-]{0,63}$' } as const;

export function analystRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/analyst/budget',
      access: ['analyst'],
      summary: "the calling analyst's zCDP budget of a dataset: budget, used, remaining (ρ)",
      tags: ['analytics'],
      schema: { querystring: querySchema({ dataset: DATASET }) },
      example: { url: '/api/analyst/budget?dataset=carriers:320200' },
      async handler(req, _reply, ctx) {
        const { dataset } = req.query as { dataset: string };
        const analyst = principalOf(req).accountName;
        const r = await new PrivacyLedger(ctx.store).remaining(dataset, analyst);
        return { dataset, analyst, unit: 'rho (zCDP)', ...r };
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      access: ROLES,
      summary: 'who this token belongs to: role, account name, expiry',
      tags: ['accounts'],
      example: {},
      handler(req) {
        const p = principalOf(req);
        return Promise.resolve({
          role: p.role,
          name: p.accountName,
          expiresAt: p.expiresAt.toISOString(),
        });
      },
    }),
  ];
}
