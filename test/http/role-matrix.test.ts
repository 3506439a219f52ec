// SPDX-License-Identifier: Apache-2.0
/**
 * The role matrix (issue 10 item 2, least privilege): every route × every role is either allowed
 * or 403, and every non-public route is 401 without a token. The expected access lives in ONE
 * table below; a route the server registers without an entry here fails the test, and so does an
 * entry for a route that no longer exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROLES, createCitizenSession, type Role } from '../../src/foundation/accounts/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { apiRoutes } from '../../src/edges/http/route-table.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { collectApiRoutes, roleTokens } from './support.js';

type Expected = 'public' | readonly Role[];

const OP = ['operator'] as const;
const AUD = ['auditor'] as const;
const CIT = ['citizen'] as const;

/** THE table: who may call what. */
const MATRIX: Readonly<Record<string, Expected>> = {
  'POST /api/verify': 'public',
  'GET /api/trust-list': 'public',
  'GET /api/revocations': 'public',
  'POST /api/certificates/verify': 'public',
  'GET /api/notices/current': 'public',
  'GET /api/demo/otps': 'public',
  'GET /api/demo/residents': 'public',
  'GET /api/me': ROLES,
  'POST /api/citizen/otp': 'public',
  'POST /api/citizen/login': 'public',
  'POST /api/citizen/logout': CIT,
  'GET /api/citizen/code': CIT,
  'GET /api/citizen/code/explain': CIT,
  'GET /api/citizen/consents': CIT,
  'POST /api/citizen/consents': CIT,
  'POST /api/citizen/consents/withdraw': CIT,
  'GET /api/citizen/requests': CIT,
  'POST /api/citizen/requests': CIT,
  'GET /api/citizen/requests/:id/export': CIT,
  'GET /api/citizen/data': CIT,
  'GET /api/citizen/dependants': CIT,
  'POST /api/citizen/declarations': CIT,
  'POST /api/tripcard/code': 'public',
  'POST /api/tripcard/itinerary': 'public',
  'GET /api/analyst/budget': ['analyst'],
  'POST /api/analyst/queries': ['analyst'],
  'GET /api/audit/checkpoint': AUD,
  'GET /api/audit/proof/inclusion': AUD,
  'GET /api/audit/proof/consistency': AUD,
  'GET /api/audit/leaves/:index': AUD,
  'GET /api/operator/rule-sets': OP,
  'GET /api/operator/risk-areas': OP,
  'PUT /api/operator/risk-areas': OP,
  'GET /api/operator/reviews': OP,
  'POST /api/operator/reviews/:id/decision': OP,
  'GET /api/operator/purposes': OP,
  'GET /api/operator/services': OP,
  'GET /api/operator/notices': OP,
  'GET /api/operator/campaigns': OP,
  'POST /api/operator/campaigns': OP,
  'GET /api/operator/campaigns/:id': OP,
  'POST /api/operator/purposes': OP,
  'POST /api/operator/purposes/:id/retire': OP,
  'POST /api/operator/notices': OP,
  'GET /api/operator/requests': OP,
  'GET /api/operator/disposal/plans': OP,
  'POST /api/operator/disposal/plans': OP,
  'GET /api/operator/disposal/plans/:id': OP,
  'POST /api/operator/disposal/plans/:id/approve': OP,
  'GET /api/operator/disposal/plans/:id/report': OP,
  'GET /api/operator/disposal/plans/:id/notice': OP,
  'GET /api/operator/disposal/plans/:id/certificates': OP,
  'POST /api/operator/disposal/plans/:id/run': OP,
  'GET /api/operator/disposal/plans/:id/progress': OP,
};

for (const dialect of DIALECTS) {
  describe(`role matrix on ${dialect}`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let registered: Set<string>;
    let tokens: Record<Role, string>;

    beforeAll(async () => {
      t = await createTestInstance(dialect, { initialConfig: { synthetic: true } });
      app = buildHttpApp({ store: t.store, demo: true, rateLimit: false });
      registered = collectApiRoutes(app);
      await app.ready();
      tokens = await roleTokens(t.store);
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
    });

    it('has exactly one entry per registered /api/ route', () => {
      expect([...registered].sort()).toEqual(Object.keys(MATRIX).sort());
    });

    it('answers 401 without a token, 403 to every role not listed, and serves the listed ones', async () => {
      const seen: string[] = [];
      for (const spec of apiRoutes()) {
        const key = `${spec.method} ${spec.url}`;
        const expected = MATRIX[key];
        expect(expected, `no matrix entry for ${key}`).toBeDefined();
        const request = {
          method: spec.method,
          url: spec.example.url ?? spec.url,
          ...(spec.example.body === undefined ? {} : { payload: spec.example.body as object }),
        };
        const anonymous = await app.inject(request);
        if (expected === 'public') {
          expect(anonymous.statusCode, key).toBeLessThan(500);
          expect([401, 403], key).not.toContain(anonymous.statusCode);
          continue;
        }
        expect(anonymous.statusCode, `${key} without a token`).toBe(401);
        expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
        const garbage = await app.inject({
          ...request,
          headers: { authorization: 'Bearer hct_AAAAAAAAAAAA_' + 'A'.repeat(43) },
        });
        expect(garbage.statusCode, `${key} with an unknown token`).toBe(401);
        for (const role of ROLES) {
          const res = await app.inject({
            ...request,
            headers: { authorization: `Bearer ${tokens[role]}` },
          });
          const allowed = expected.includes(role);
          if (allowed) {
            expect(res.statusCode, `${key} as ${role}: ${res.body}`).toBeLessThan(500);
            expect([401, 403], `${key} as ${role}: ${res.body}`).not.toContain(res.statusCode);
          } else {
            expect(res.statusCode, `${key} as ${role}`).toBe(403);
            expect(res.headers['content-type']).toContain('application/problem+json');
          }
          seen.push(`${key} ${role} ${res.statusCode}`);
          if (key === 'POST /api/citizen/logout' && role === 'citizen') {
            // That ended the session; the rest of the matrix needs a live one.
            expect(res.statusCode).toBe(204);
            tokens.citizen = (
              await createCitizenSession(t.store, {
                subjectId: 'subj-test-0000000002',
                expiresInMs: 3_600_000,
              })
            ).token;
          }
        }
      }
      expect(seen.length).toBeGreaterThan(0);
    }, 120_000);
  });
}
