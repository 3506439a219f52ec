// SPDX-License-Identifier: Apache-2.0
/**
 * @module Operator routes for disposal (DESIGN.md §6; PIPL art. 47; the 2022 disposal
 * guideline): draft a plan, approve it with the calling operator's own key, run it in the
 * background and follow its progress. Plans live as files in `DIR/reports/plans/<id>.json`, the same
 * files `healthcode disposal …` reads, so the console and the CLI can share one plan.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  approve,
  draft,
  planBundle,
  readPlanFile,
  run,
  status,
  writeReport,
  type DisposalContext,
  disposalErrors,
} from '../../lifecycle/disposal/index.js';
import { isAppError } from '../../kernel/shared/index.js';
import { principalOf } from './auth.js';
import type { HttpContext } from './context.js';
import { disposalContext } from '../app/wiring/disposal.js';
import { HttpConflictError, HttpNotFoundError } from './errors.js';
import { objectSchema, route, type RouteSpec } from './route-kit.js';
import type { FastifyRequest } from 'fastify';

const OPERATOR = ['operator'] as const;
const PLAN_ID = { type: 'string', pattern: '^[A-Za-z0-9-]{1,64}$' } as const;
const ID_PARAMS = objectSchema({ id: PLAN_ID });
const EXAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** Outcome of a background run, by plan id (a code, never a message with data). */
const failures = new WeakMap<HttpContext, Map<string, string>>();

function planFile(ctx: HttpContext, id: string): string {
  const file = join(ctx.plansDir, `${id}.json`);
  if (!existsSync(file)) {
    throw new HttpNotFoundError('no plan with that id');
  }
  return file;
}

async function operatorContext(req: FastifyRequest, ctx: HttpContext): Promise<DisposalContext> {
  const d = disposalContext(ctx.store, `operator:${principalOf(req).accountName}`);
  await d.prepare();
  return d;
}

function idOf(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

/**
 * Renders the report or the public notice through the capability's own writer (the same files
 * `disposal report --html/--notice` writes) into a private temporary folder, and answers the text.
 */
async function renderDocument(
  d: DisposalContext,
  file: string,
  which: 'html' | 'notice',
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'healthcode-report-'));
  try {
    const out = join(dir, `${which}.html`);
    await writeReport(d, file, which === 'html' ? { html: out } : { notice: out });
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Disposal plans: list, draft, read, approve. */
function planRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/operator/disposal/plans',
      access: OPERATOR,
      summary: 'disposal plans with state and progress',
      tags: ['disposal'],
      example: {},
      async handler(req, _reply, ctx) {
        if (!existsSync(ctx.plansDir)) {
          return [];
        }
        const d = await operatorContext(req, ctx);
        const out = [];
        for (const name of readdirSync(ctx.plansDir).sort()) {
          if (!/^[A-Za-z0-9-]{1,64}\.json$/.test(name)) {
            continue;
          }
          const s = await status(d, join(ctx.plansDir, name));
          out.push({
            id: s.planId,
            state: s.state,
            done: s.done,
            total: s.total,
            approvals: s.approvals,
            executedAt: s.executedAt,
            certificateId: s.certificateId,
          });
        }
        return out;
      },
    }),
    route({
      method: 'POST',
      url: '/api/operator/disposal/plans',
      access: OPERATOR,
      summary: 'draft a plan retiring a purpose, a service, a list of them, or all',
      tags: ['disposal'],
      schema: {
        body: objectSchema({
          retire: { type: 'string', pattern: '^[a-z0-9][a-z0-9,._:-]{0,200}$' },
        }),
      },
      example: { body: { retire: 'no-such-purpose' } },
      async handler(req, reply, ctx) {
        const { retire } = req.body as { retire: string };
        const d = await operatorContext(req, ctx);
        mkdirSync(ctx.plansDir, { recursive: true });
        const tmp = join(ctx.plansDir, `.draft-${ctx.store.random.bytes(6).toString('hex')}.json`);
        const plan = await draft(d, retire, tmp, principalOf(req).accountName);
        renameSync(tmp, join(ctx.plansDir, `${plan.id}.json`));
        reply.code(201);
        return { id: plan.id, ...(await status(d, join(ctx.plansDir, `${plan.id}.json`))) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/disposal/plans/:id',
      access: OPERATOR,
      summary: 'one plan: the document and its status',
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: `/api/operator/disposal/plans/${EXAMPLE_ID}` },
      async handler(req, _reply, ctx) {
        const file = planFile(ctx, idOf(req));
        const d = await operatorContext(req, ctx);
        return { plan: readPlanFile(file), status: await status(d, file) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/operator/disposal/plans/:id/approve',
      access: OPERATOR,
      summary: "approve the plan, signed with the calling operator's own key",
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: `/api/operator/disposal/plans/${EXAMPLE_ID}/approve` },
      async handler(req, _reply, ctx) {
        const file = planFile(ctx, idOf(req));
        const d = await operatorContext(req, ctx);
        const check = await approve(d, file, principalOf(req).accountName);
        return {
          valid: check.valid,
          required: check.required,
          sufficient: check.sufficient,
          problems: check.problems,
        };
      },
    }),
  ];
}

/** Running an approved plan and following its progress. */
function runRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/operator/disposal/plans/:id/run',
      access: OPERATOR,
      summary: 'run (or resume) an approved plan in the background; follow /progress',
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: `/api/operator/disposal/plans/${EXAMPLE_ID}/run` },
      async handler(req, reply, ctx) {
        const id = idOf(req);
        const file = planFile(ctx, id);
        if (ctx.runs.has(id)) {
          throw new HttpConflictError('this plan is running');
        }
        const d = await operatorContext(req, ctx);
        const s = await status(d, file);
        if (s.executedAt === null && s.approvals.valid.length < s.approvals.required) {
          throw new disposalErrors.NotApprovedError(
            `the plan needs ${s.approvals.required} approval(s); it has ${s.approvals.valid.length}`,
          );
        }
        let fails = failures.get(ctx);
        if (fails === undefined) {
          fails = new Map();
          failures.set(ctx, fails);
        }
        fails.delete(id);
        const job = run(d, file)
          .catch((err: unknown) => {
            fails.set(id, isAppError(err) ? err.code : 'ERR_INTERNAL');
            req.log.error(
              { plan: id, code: isAppError(err) ? err.code : 'internal' },
              'disposal run failed',
            );
          })
          .finally(() => ctx.runs.delete(id));
        ctx.runs.set(id, job);
        reply.code(202);
        return { id, started: true };
      },
    }),
    route({
      method: 'GET',
      url: '/api/operator/disposal/plans/:id/progress',
      access: OPERATOR,
      summary: 'progress of a run: state, done, total; running; a failure code',
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: `/api/operator/disposal/plans/${EXAMPLE_ID}/progress` },
      async handler(req, _reply, ctx) {
        const id = idOf(req);
        const file = planFile(ctx, id);
        const s = await status(disposalContext(ctx.store, 'system:http'), file);
        return {
          state: s.state,
          done: s.done,
          total: s.total,
          running: ctx.runs.has(id),
          error: failures.get(ctx)?.get(id) ?? null,
          certificateId: s.certificateId,
          executedAt: s.executedAt,
        };
      },
    }),
    ...documentRoutes(),
  ];
}

export function disposalRoutes(): RouteSpec[] {
  return [...planRoutes(), ...runRoutes()];
}

/** Downloads: the HTML report, the public notice, and the certificate bundles of a plan. */
function documentRoutes(): RouteSpec[] {
  const html = (which: 'html' | 'notice', url: string, summary: string): RouteSpec =>
    route({
      method: 'GET',
      url,
      access: OPERATOR,
      summary,
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: url.replace(':id', EXAMPLE_ID) },
      async handler(req, reply, ctx) {
        const file = planFile(ctx, idOf(req));
        const text = await renderDocument(await operatorContext(req, ctx), file, which);
        reply.type('text/html; charset=utf-8');
        return text;
      },
    });
  return [
    html(
      'html',
      '/api/operator/disposal/plans/:id/report',
      'the self-contained HTML disposal report (GB/T 35273 §6.4), as `disposal report --html` writes it',
    ),
    html(
      'notice',
      '/api/operator/disposal/plans/:id/notice',
      'the public disposal notice (Chinese and English, HTML), as `disposal report --notice` writes it',
    ),
    route({
      method: 'GET',
      url: '/api/operator/disposal/plans/:id/certificates',
      access: OPERATOR,
      summary:
        "the plan's certificate bundles (signed certificate + inclusion proof, as `disposal certificate plan` writes); [] before the run",
      tags: ['disposal'],
      schema: { params: ID_PARAMS },
      example: { url: `/api/operator/disposal/plans/${EXAMPLE_ID}/certificates` },
      async handler(req, _reply, ctx) {
        const file = planFile(ctx, idOf(req));
        const d = await operatorContext(req, ctx);
        try {
          return [await planBundle(d, file)];
        } catch (err) {
          if (err instanceof disposalErrors.PlanNotRunError) {
            return [];
          }
          throw err;
        }
      },
    }),
  ];
}
