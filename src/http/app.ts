// SPDX-License-Identifier: Apache-2.0
/**
 * @module The Fastify application: status page, health and readiness probes, and (as the
 * capabilities land) the `/api/` routes. Errors become responses in one place.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../app/index.js';
import { renderStatusPage } from './status-page.js';
import { handleError, problem } from './problem.js';

export interface HttpOptions {
  readonly store: Store;
  /** Log requests (pino on stderr, no bodies, no personal data). */
  readonly logRequests?: boolean;
}

/** Builds the application; the caller listens (or uses `inject` in tests). */
export function buildHttpApp(options: HttpOptions): FastifyInstance {
  const { store } = options;
  const app = Fastify({
    logger: options.logRequests ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    bodyLimit: 64 * 1024,
    disableRequestLogging: !options.logRequests,
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-store');
  });

  app.get('/', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return renderStatusPage(store.config, store.clock.now());
  });

  app.get('/healthz', async (_req, reply) => {
    reply.type('text/plain; charset=utf-8');
    return 'ok';
  });

  app.get('/readyz', async (_req, reply) => {
    try {
      await sql`select 1`.execute(store.db.kysely);
      reply.type('text/plain; charset=utf-8');
      return 'ready';
    } catch {
      reply.code(503).type('text/plain; charset=utf-8');
      return 'database unavailable';
    }
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(problem(404, `no route for ${req.method} ${req.url.split('?')[0] ?? ''}`));
  });

  return app;
}
