// SPDX-License-Identifier: Apache-2.0
/**
 * @module The Fastify application: status page, probes, `GET /checkpoint`, and the `/api/` routes
 * of the route table, each with JSON schemas (OpenAPI 3.1 at `/docs/json`, browsable at `/docs`).
 * Order of work per request: parse and validate (400 on failure) → authenticate and check the role
 * (`preHandler`: 401/403) → handle. Every error becomes RFC 9457 problem+json in one place
 * (problem.ts), Fastify's own `FST_ERR_*` included. Security headers (helmet), rate limits on
 * public writes, request ids, and pino logs that carry neither bodies nor credentials.
 */
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import { authPreHandler } from './auth.js';
import { createHttpContext, type HttpContext } from './context.js';
import { handleError, problem } from './problem.js';
import { apiRoutes } from './route-table.js';
import { closeTripcard } from './routes-tripcard.js';
import type { RouteSpec } from './route-kit.js';
import { helmetHeaders, helmetOptions } from './security-headers.js';
import { renderStatusPage } from './status-page.js';
import { registerWebUi } from './web-ui.js';

export interface HttpOptions {
  readonly store: Store;
  /** Log requests (pino on stderr: method, path, status, request id; no bodies, no tokens). */
  readonly logRequests?: boolean;
  /** Where request logs go (default stderr; tests capture them). */
  readonly logStream?: NodeJS.WritableStream;
  /** A `--demo` instance: adds `/api/demo/*` (synthetic data only). */
  readonly demo?: boolean;
  /** Rate limits on public routes (default on; the benchmark turns them off and says so). */
  readonly rateLimit?: boolean;
  /** Behind a reverse proxy: trust its `X-Forwarded-*` (docs/deployment.md). */
  readonly trustProxy?: boolean | string;
  /** HTTPS: PEM certificate chain and key (`serve --tls-cert/--tls-key`). */
  readonly https?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** While `ready` is false (the demo city is being seeded), `/readyz` answers 503. */
  readonly readiness?: { readonly ready: boolean };
  /** Replaces the route table (tests). */
  readonly routes?: readonly RouteSpec[];
}

/** The default request body limit; routes that take more say so. */
export const BODY_LIMIT = 64 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function serverOptions(
  options: HttpOptions,
  stamp: (req: FastifyRequest, reply: FastifyReply) => void,
): FastifyServerOptions {
  return {
    logger: options.logRequests
      ? {
          level: process.env.HEALTHCODE_LOG_LEVEL ?? 'info',
          stream: options.logStream ?? process.stderr,
          redact: {
            paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
            censor: '[redacted]',
          },
          serializers: {
            // Path only: no query string, no client address, no headers, never a body.
            req: (req: { method: string; url: string; id: string }) => ({
              method: req.method,
              path: req.url.split('?')[0],
              id: req.id,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    requestTimeout: 30_000,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Router-level errors (bad URL encoding, over-long path parameters) get problem documents too.
    frameworkErrors: (error, req, reply) => {
      stamp(req, reply);
      handleError(error, req, reply);
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: options.trustProxy ?? false,
    // Strict validation: no type coercion (a number sent as "1" is a wrong type), no silent removal.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  };
}

function registerOps(
  app: FastifyInstance,
  ctx: HttpContext,
  readiness: { readonly ready: boolean },
): void {
  const hidden = { hide: true } as const;
  app.get('/', { schema: hidden }, async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return renderStatusPage(ctx.store.config, ctx.store.clock.now());
  });
  app.get(
    '/healthz',
    { schema: { summary: 'liveness probe', tags: ['operations'] } },
    async (_req, reply) => {
      reply.type('text/plain; charset=utf-8');
      return 'ok';
    },
  );
  app.get(
    '/readyz',
    { schema: { summary: 'readiness probe (the database answers)', tags: ['operations'] } },
    async (req, reply) => {
      if (!readiness.ready) {
        reply.code(503).type('text/plain; charset=utf-8');
        return 'seeding the synthetic demo city';
      }
      try {
        await sql`select 1`.execute(ctx.store.db.kysely);
        reply.type('text/plain; charset=utf-8');
        return 'ready';
      } catch (err) {
        // The probe's one query failed: not ready. Logged by class only (driver texts vary).
        req.log.warn({ name: err instanceof Error ? err.name : typeof err }, 'readyz: database');
        reply.code(503).type('text/plain; charset=utf-8');
        return 'database unavailable';
      }
    },
  );
  app.get(
    '/checkpoint',
    {
      schema: {
        summary: 'the latest signed audit checkpoint (C2SP signed note)',
        tags: ['operations'],
      },
    },
    async (_req, reply) => {
      const log = await ctx.audit();
      const cp = (await log.latestCheckpoint()) ?? (await log.init());
      reply.type('text/plain; charset=utf-8');
      return cp.note;
    },
  );
}

/** Builds the application; the caller listens (or uses `inject` in tests). */
export function buildHttpApp(options: HttpOptions): FastifyInstance {
  const { store } = options;
  // Set below once the policy is known; router-level errors (which skip onRequest) call it too.
  let stampHeaders: (req: FastifyRequest, reply: FastifyReply) => void = () => undefined;
  const app = Fastify({
    ...serverOptions(options, (req, reply) => stampHeaders(req, reply)),
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
  }) as unknown as FastifyInstance;
  const ctx = createHttpContext(store, { demo: options.demo === true });
  const routes = (options.routes ?? apiRoutes()).filter((r) => !r.demoOnly || ctx.demo);

  app.decorateRequest('principal', undefined);
  app.addHook('onClose', () => closeTripcard(ctx));
  // Only JSON bodies: anything else is 415 before a handler sees it.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(problem(404, `no route for ${req.method} ${req.url.split('?')[0] ?? ''}`));
  });

  // Helmet's policy, computed once (security-headers.ts) and resolved before the server answers
  // (onReady), then stamped with the request id and a `no-store` default (routes that may be
  // cached override it) first thing on every request, so even parser and router errors carry
  // them. One synchronous hook and no onSend hook: no promise and no awaited header table per
  // request on the hot `POST /api/verify` path (bench/http.bench.ts).
  let securityHeaders: Record<string, string> | undefined;
  const computing = helmetHeaders(helmetOptions(options.https !== undefined)).then(
    (h) => {
      securityHeaders = { ...h, 'cache-control': 'no-store' };
    },
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  app.addHook('onReady', async () => {
    const failed = await computing;
    if (failed instanceof Error) {
      throw failed;
    }
  });
  stampHeaders = (req, reply) => {
    if (securityHeaders === undefined) {
      throw new TypeError('security headers used before the server was ready');
    }
    void reply.headers(securityHeaders).header('x-request-id', req.id);
  };
  app.addHook('onRequest', (req, reply, done) => {
    stampHeaders(req, reply);
    done();
  });
  if (options.rateLimit !== false) {
    void app.register(rateLimit, { global: false });
  }
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'healthcode API',
        version: '0.1.0',
        description:
          'Routes under /api/. Errors are application/problem+json (RFC 9457). See docs/api.md.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });

  void app.register((scope, _opts, done) => {
    registerOps(scope, ctx, options.readiness ?? { ready: true });
    for (const spec of routes) {
      scope.route({
        method: spec.method,
        url: spec.url,
        schema: {
          ...spec.schema,
          summary: spec.summary,
          tags: [...spec.tags],
          ...(spec.access === 'public'
            ? {}
            : {
                security: [{ bearer: [] }],
                description: `Roles: ${spec.access.join(', ')}.`,
              }),
        },
        ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
        ...(spec.ratePerMinute !== undefined && options.rateLimit !== false
          ? { config: { rateLimit: { max: spec.ratePerMinute, timeWindow: 60_000 } } }
          : {}),
        // Public routes carry no auth hook at all (nothing to run on the hot verify path).
        ...(spec.access === 'public' ? {} : { preHandler: authPreHandler(store, spec.access) }),
        handler: (req, reply) => spec.handler(req, reply, ctx),
      });
    }
    done();
  });
  // The web UI (web/, src/edges/http/web-ui.ts) is registered below.
  registerWebUi(app);

  return app;
}
