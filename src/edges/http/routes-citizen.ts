// SPDX-License-Identifier: Apache-2.0
/**
 * @module Citizen portal routes: one-time-code login to the citizen's phone (the rights
 * capability's identity port over the outbox — no second OTP), then, with the session: consents
 * with signed receipts (PIPL arts. 14–16), data-subject requests with their deadlines and the
 * export download (arts. 44–47). A phone the vault does not know gets the same answer and no code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCitizenSession, endCitizenSession } from '../../foundation/accounts/index.js';
import { explainSubjectCode, issueSubjectCode } from '../../services/codes/index.js';
import { grantConsent, subjectConsents, withdrawConsent } from '../../personal/consent/index.js';
import { normalisePhone } from '../../kernel/domain/index.js';
import {
  REQUEST_TYPES,
  completeRequest,
  exportCsv,
  getRequest,
  isOverdue,
  listRequests,
  openRequest,
  type ExportDocument,
  type RightsRequest,
  rightsErrors,
} from '../../lifecycle/rights/index.js';
import type { FastifyRequest } from 'fastify';
import type { Actor, OnBehalf } from '../../services/codes/index.js';
import { principalOf, subjectOf } from './auth.js';
import type { HttpContext } from './context.js';
import { HttpConflictError, HttpInvalidError, HttpNotFoundError } from './errors.js';
import { objectSchema, querySchema, route, type RouteSpec } from './route-kit.js';

const CITIZEN = ['citizen'] as const;
/** The purpose slug login codes are issued under (a code for login opens nothing else). */
export const LOGIN_PURPOSE = 'portal.login';
export const SESSION_MS = 30 * 60_000;

export const PHONE = { type: 'string', pattern: '^\\+?[0-9][0-9 -]{9,18}$' } as const;
const CODE = { type: 'string', pattern: '^[0-9]{6}$' } as const;
const PURPOSE_ID = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' } as const;
const CATEGORIES = {
  type: 'array',
  minItems: 1,
  maxItems: 32,
  uniqueItems: true,
  items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
} as const;
const REQUEST_ID = { type: 'string', pattern: '^rq-[0-9a-f]{20}$' } as const;
/** Types the portal completes at once (correction needs the corrected value: operator desk). */
const AUTO_COMPLETE = new Set(['access', 'copy', 'portability', 'explanation', 'withdrawal']);
const EXPORT_TYPES = new Set(['access', 'copy']);

/** `?for=<dependant's opaque subject id>`: a guardian acting for a child (PIPL art. 31). */
const FOR_QUERY = querySchema({ for: { type: 'string', pattern: '^[A-Za-z0-9:._-]{8,128}$' } }, []);

function whoFor(req: FastifyRequest): { subject: string; who: Actor & OnBehalf } {
  const self = subjectOf(req);
  const dependant = (req.query as { for?: string }).for;
  return dependant === undefined || dependant === self
    ? { subject: self, who: { actor: 'citizen', role: 'citizen' } }
    : { subject: dependant, who: { actor: 'guardian', role: 'guardian', guardian: self } };
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function requestView(r: RightsRequest, now: Date) {
  return {
    id: r.id,
    type: r.type,
    state: r.state,
    openedAt: r.openedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    answerBy: r.answerBy.toISOString(),
    overdue: isOverdue(r, now),
    closedAt: iso(r.closedAt),
    refusal: r.refusal,
    result: r.result,
  };
}

/** How many finished exports the server holds for download (oldest dropped first). */
const EXPORTS_HELD = 200;

let exportRoot: string | undefined;
/**
 * Runs an executor that writes its export file, then takes the text into memory and deletes the
 * file (and the CSV the access executor writes beside it) at once: a plaintext copy of a person's
 * data must not stay at rest. The files live in a private directory outside the data dir (the
 * executors refuse the data dir), also removed when the process exits.
 */
async function captureExport<T>(
  ctx: HttpContext,
  id: string,
  run: (outPath: string) => Promise<T>,
): Promise<T> {
  if (exportRoot === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'hc-portal-exports-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    exportRoot = root;
  }
  const file = join(exportRoot, `${id}.json`);
  try {
    const result = await run(file);
    ctx.exports.set(id, readFileSync(file, 'utf8'));
    if (ctx.exports.size > EXPORTS_HELD) {
      ctx.exports.delete(ctx.exports.keys().next().value!);
    }
    return result;
  } finally {
    rmSync(file, { force: true });
    rmSync(join(exportRoot, `${id}.csv`), { force: true });
  }
}

/** One-time-code login and logout (public until the session exists). */
function sessionRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/citizen/otp',
      access: 'public',
      summary: 'send a login code to the phone (same answer whether the phone is known or not)',
      tags: ['citizen'],
      ratePerMinute: 10,
      schema: { body: objectSchema({ phone: PHONE }) },
      example: { body: { phone: '13800138000' } },
      async handler(req, reply, ctx) {
        const phone = normalisePhone((req.body as { phone: string }).phone);
        const rt = await ctx.rights();
        if (rt.identity === undefined) {
          throw new HttpConflictError('login by one-time code is not wired on this instance');
        }
        await rt.identity.sendCode(ctx.store.db.kysely, phone, LOGIN_PURPOSE);
        reply.code(202);
        return { sent: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/citizen/login',
      access: 'public',
      summary: 'exchange phone + one-time code for a 30-minute citizen session token',
      tags: ['citizen'],
      ratePerMinute: 10,
      schema: { body: objectSchema({ phone: PHONE, code: CODE }) },
      example: { body: { phone: '13800138000', code: '000000' } },
      async handler(req, _reply, ctx) {
        const body = req.body as { phone: string; code: string };
        const phone = normalisePhone(body.phone);
        const rt = await ctx.rights();
        if (rt.identity === undefined) {
          throw new HttpConflictError('login by one-time code is not wired on this instance');
        }
        const who = await rt.identity.confirm(ctx.store.db.kysely, phone, LOGIN_PURPOSE, body.code);
        if (who === undefined) {
          throw new rightsErrors.IdentityNotVerifiedError(
            'the one-time code is wrong, expired or already used',
          );
        }
        const s = await createCitizenSession(ctx.store, {
          subjectId: who.subjectId,
          expiresInMs: SESSION_MS,
        });
        return { token: s.token, expiresAt: s.expiresAt.toISOString() };
      },
    }),
    route({
      method: 'POST',
      url: '/api/citizen/logout',
      access: CITIZEN,
      summary: 'end this session',
      tags: ['citizen'],
      example: {},
      async handler(req, reply, ctx) {
        await endCitizenSession(ctx.store, principalOf(req).id);
        reply.code(204);
        return null;
      },
    }),
  ];
}

/** The citizen's own health code and why it has its colour. */
function codeRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/citizen/code',
      access: CITIZEN,
      summary:
        "my health code (or, with ?for=, a dependant's): a fresh short-lived token, colour, masked name, QR (SVG)",
      tags: ['citizen', 'codes'],
      schema: { querystring: FOR_QUERY },
      example: {},
      async handler(req, _reply, ctx) {
        const { subject, who } = whoFor(req);
        const code = await issueSubjectCode(await ctx.subjectCodes(), subject, who);
        const expires = Date.parse(code.expiresAt);
        const issued = Date.parse(code.issuedAt);
        return {
          ...code,
          // Refresh at 80 % of the token's life, so a shown QR never expires on screen.
          refreshAt: new Date(issued + Math.floor((expires - issued) * 0.8)).toISOString(),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/citizen/code/explain',
      access: CITIZEN,
      summary: 'why this colour: the stored decision, the rules that fired, the rule-set version',
      tags: ['citizen', 'codes'],
      schema: { querystring: FOR_QUERY },
      example: {},
      async handler(req, _reply, ctx) {
        const { subject, who } = whoFor(req);
        return explainSubjectCode(await ctx.subjectCodes(), subject, who);
      },
    }),
  ];
}

/** The citizen's consents: history, grant, withdraw. */
function consentRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/citizen/consents',
      access: CITIZEN,
      summary: 'my consents, their history and the signed receipts',
      tags: ['citizen', 'consent'],
      example: {},
      async handler(req, _reply, ctx) {
        const c = await subjectConsents(ctx.store.db.kysely, subjectOf(req));
        return { consents: c.consents, history: c.history, receipts: c.receipts };
      },
    }),
    route({
      method: 'POST',
      url: '/api/citizen/consents',
      access: CITIZEN,
      summary: 'consent to categories of a purpose under the current privacy policy (its hash)',
      tags: ['citizen', 'consent'],
      schema: {
        body: objectSchema(
          {
            purpose: PURPOSE_ID,
            categories: CATEGORIES,
            noticeHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            separate: { type: 'boolean' },
          },
          ['purpose', 'categories', 'noticeHash'],
        ),
      },
      example: {
        body: {
          purpose: 'no-such-purpose',
          categories: ['health-status'],
          noticeHash: '0'.repeat(64),
        },
      },
      async handler(req, reply, ctx) {
        const b = req.body as {
          purpose: string;
          categories: string[];
          noticeHash: string;
          separate?: boolean;
        };
        const { deps } = await ctx.consent();
        const r = await grantConsent(deps, {
          subjectId: subjectOf(req),
          purposeId: b.purpose,
          categories: b.categories,
          noticeHash: b.noticeHash,
          ...(b.separate === undefined ? {} : { separate: b.separate }),
          collectionMethod: 'portal',
          actor: 'citizen:portal',
        });
        reply.code(201);
        return { receiptId: r.receiptId, receipt: r.receipt, categories: r.categories };
      },
    }),
    route({
      method: 'POST',
      url: '/api/citizen/consents/withdraw',
      access: CITIZEN,
      summary: 'withdraw consent to a purpose (all its categories, or the ones named)',
      tags: ['citizen', 'consent'],
      schema: {
        body: objectSchema({ purpose: PURPOSE_ID, categories: CATEGORIES }, ['purpose']),
      },
      example: { body: { purpose: 'no-such-purpose' } },
      async handler(req, _reply, ctx) {
        const b = req.body as { purpose: string; categories?: string[] };
        const { deps } = await ctx.consent();
        const r = await withdrawConsent(deps, {
          subjectId: subjectOf(req),
          purposeId: b.purpose,
          ...(b.categories === undefined ? {} : { categories: b.categories }),
          collectionMethod: 'portal',
          actor: 'citizen:portal',
        });
        return { receiptId: r.receiptId, receipt: r.receipt, categories: r.categories };
      },
    }),
  ];
}

/** The citizen's data-subject requests and their exports (PIPL arts. 44–50). */
function requestRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/citizen/requests',
      access: CITIZEN,
      summary: 'my data-subject requests with their due dates',
      tags: ['citizen', 'rights'],
      example: {},
      async handler(req, _reply, ctx) {
        const now = ctx.store.clock.now();
        const rows = await listRequests(
          { db: ctx.store.db.kysely, clock: ctx.store.clock },
          { subjectId: subjectOf(req) },
        );
        return rows.map((r) => requestView(r, now));
      },
    }),
    route({
      method: 'POST',
      url: '/api/citizen/requests',
      access: CITIZEN,
      summary:
        'open a request (identity proven by this session); access, copy, portability, explanation and withdrawal are carried out at once',
      tags: ['citizen', 'rights'],
      schema: {
        body: objectSchema({ type: { enum: [...REQUEST_TYPES] }, purpose: PURPOSE_ID }, ['type']),
      },
      example: { body: { type: 'explanation' } },
      async handler(req, reply, ctx) {
        const b = req.body as { type: string; purpose?: string };
        const rt = await ctx.rights();
        let r = await openRequest(rt.deps, {
          type: b.type,
          channel: 'portal',
          subjectId: subjectOf(req),
          identityMethod: 'one-time-code',
          params: b.purpose === undefined ? {} : { purposeId: b.purpose },
          actor: 'citizen:portal',
        });
        if (AUTO_COMPLETE.has(r.type) && rt.deps.executors?.[r.type] !== undefined) {
          const id = r.id;
          r =
            EXPORT_TYPES.has(r.type) || r.type === 'portability'
              ? await captureExport(ctx, id, (outPath) =>
                  completeRequest(rt.deps, id, { actor: 'citizen:portal', outPath }),
                )
              : await completeRequest(rt.deps, id, { actor: 'citizen:portal' });
        }
        reply.code(201);
        return requestView(r, ctx.store.clock.now());
      },
    }),
    route({
      method: 'GET',
      url: '/api/citizen/requests/:id/export',
      access: CITIZEN,
      summary: 'download the export of a completed access/copy request (json or csv)',
      tags: ['citizen', 'rights'],
      schema: {
        params: objectSchema({ id: REQUEST_ID }),
        querystring: querySchema({ format: { enum: ['json', 'csv'] } }, []),
      },
      example: { url: '/api/citizen/requests/rq-00000000000000000000/export?format=json' },
      async handler(req, reply, ctx) {
        const { id } = req.params as { id: string };
        const { format } = req.query as { format?: 'json' | 'csv' };
        const text = ctx.exports.get(id);
        let owner: string | null;
        let type = '';
        try {
          const r = await getRequest(ctx.store.db.kysely, id);
          owner = r.subjectId;
          type = r.type;
        } catch (err) {
          // Only an unknown request reads as "no export"; a failing store fails loudly.
          if (!(err instanceof rightsErrors.RequestUnknownError)) {
            throw err;
          }
          owner = null;
        }
        // Someone else's request and a missing one answer alike.
        if (text === undefined || owner !== subjectOf(req)) {
          throw new HttpNotFoundError('no export for that request (exports last until restart)');
        }
        if (format === 'csv' && !EXPORT_TYPES.has(type)) {
          throw new HttpInvalidError('a portability package is JSON only');
        }
        reply.header('content-disposition', `attachment; filename="${id}.${format ?? 'json'}"`);
        if (format === 'csv') {
          reply.type('text/csv; charset=utf-8');
          return exportCsv(JSON.parse(text) as ExportDocument);
        }
        reply.type('application/json; charset=utf-8');
        return text;
      },
    }),
  ];
}

export function citizenRoutes(): RouteSpec[] {
  return [...sessionRoutes(), ...codeRoutes(), ...consentRoutes(), ...requestRoutes()];
}
