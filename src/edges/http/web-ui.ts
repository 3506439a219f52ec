// SPDX-License-Identifier: Apache-2.0
/**
 * @module Serves the built web UI (`web/dist`, issue 10 §4) under `/ui/` with @fastify/static:
 * hashed assets cached for a year as immutable (RFC 9111 §5.2.2; RFC 8246), the app shell, the
 * service worker and its precache list revalidated every time (`no-cache`) so a new build reaches
 * every device, and page paths (`/ui/citizen`, …) answered with the shell (history-API routing).
 * Only paths under `/ui/` fall back; `/api` and `/docs` keep their own 404s. Without a build the
 * server still starts and `/ui/` says how to build it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { problem } from './problem.js';

export const WEB_UI_PREFIX = '/ui/';

/** The package root: the nearest folder above this file whose package.json is ours (src/ or dist/src/). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'healthcode') {
          return dir;
        }
      } catch (err) {
        // Not JSON, so not our package.json: keep walking up.
        if (!(err instanceof SyntaxError)) {
          throw err;
        }
      }
    }
    const up = dirname(dir);
    if (up === dir) {
      throw new Error('package root not found above the HTTP module');
    }
    dir = up;
  }
}

/** The folder the Vite build writes. */
export function webDistDir(root: string = packageRoot()): string {
  return join(root, 'web', 'dist');
}

/** True when the web UI has been built (`npm run build`). */
export function webUiBuilt(dist: string = webDistDir()): boolean {
  return existsSync(join(dist, 'index.html'));
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Cache policy by file: content-hashed assets never change; everything else revalidates. */
export function cacheControlFor(path: string): string {
  return /[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8,}\.(?:js|css|svg|png|woff2?)$/.test(path)
    ? IMMUTABLE
    : REVALIDATE;
}

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>healthcode — web UI not built</title></head>
<body><h1>网页界面尚未构建 · The web UI is not built</h1>
<p>运行 <code>npm run build</code> 后重启服务。Run <code>npm run build</code>, then restart the server.</p>
<p><a href="/">状态 status</a> · <a href="/docs">API</a></p></body></html>
`;

/** Page paths fall back to the shell; a missing file (anything with an extension) stays 404. */
const isPagePath = (path: string) => !/\.[A-Za-z0-9]{1,8}$/.test(path);

/**
 * Registers the web UI. Call once from `buildHttpApp`; `dist` is for tests. Returns whether a
 * build was found (the caller may show it on the status page).
 */
export function registerWebUi(app: FastifyInstance, dist: string = webDistDir()): boolean {
  const built = webUiBuilt(dist);
  void app.register(async (scope) => {
    scope.get('/ui', { schema: { hide: true } }, async (_req, reply) =>
      reply.redirect(WEB_UI_PREFIX, 301),
    );
    if (!built) {
      scope.get('/ui/*', { schema: { hide: true } }, async (_req, reply) => {
        void reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8');
        return NOT_BUILT;
      });
      return;
    }
    const { default: fastifyStatic } = await import('@fastify/static');
    await scope.register(fastifyStatic, {
      root: dist,
      prefix: WEB_UI_PREFIX,
      // One route per built file (the build is fixed while the server runs); our own `/ui/*`
      // below decides what an unknown path gets.
      wildcard: false,
      index: false,
      cacheControl: false,
      schemaHide: true,
      setHeaders: (res: { setHeader(name: string, value: string): void } | FastifyReply, path) => {
        const value = cacheControlFor(path);
        if ('setHeader' in res) {
          res.setHeader('cache-control', value);
        } else {
          void res.header('cache-control', value);
        }
      },
    });
    const shell = (reply: FastifyReply) =>
      reply
        .header('cache-control', REVALIDATE)
        .sendFile('index.html', dist, { cacheControl: false });
    scope.get('/ui/', { schema: { hide: true } }, async (_req, reply) => shell(reply));
    scope.get('/ui/*', { schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      if (!isPagePath(path)) {
        return reply
          .code(404)
          .type('application/problem+json')
          .send(problem(404, `no such file ${path}`));
      }
      return shell(reply);
    });
  });
  return built;
}
