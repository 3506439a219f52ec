// SPDX-License-Identifier: Apache-2.0
/** @module Serving the built web UI: cache headers, page fallback under /ui/ only, and the not-built page. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheControlFor, packageRoot, registerWebUi } from './web-ui.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'healthcode-webui-'));
  dirs.push(dist);
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  writeFileSync(join(dist, 'sw.js'), 'self;');
  writeFileSync(join(dist, 'assets', 'main-AbCd1234.js'), 'export {};');
  return dist;
}

describe('registerWebUi', () => {
  it('serves hashed assets immutable, the shell and worker revalidated, page paths as the shell', async () => {
    const app = Fastify();
    expect(registerWebUi(app, fakeDist())).toBe(true);
    app.get('/api/x', () => ({ ok: true }));
    const asset = await app.inject('/ui/assets/main-AbCd1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await app.inject('/ui/sw.js');
    expect(sw.headers['cache-control']).toBe('no-cache');
    for (const page of ['/ui/', '/ui/citizen', '/ui/verify?x=1', '/ui/operator/plans']) {
      const res = await app.inject(page);
      expect(res.statusCode, page).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<title>shell</title>');
    }
    expect((await app.inject('/ui')).statusCode).toBe(301);
    const missing = await app.inject('/ui/assets/gone-AbCd1234.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect((await app.inject('/api/nothing')).body).not.toContain('shell');
    expect((await app.inject('/docs/nothing')).statusCode).toBe(404);
    await app.close();
  });

  it('answers /ui/ with a "not built" page when web/dist is missing, and the server still starts', async () => {
    const app = Fastify();
    expect(registerWebUi(app, join(tmpdir(), 'healthcode-no-such-dist'))).toBe(false);
    await app.ready();
    const res = await app.inject('/ui/citizen');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    await app.close();
  });

  it('finds the package root from src/ and from dist/src/', () => {
    const root = packageRoot();
    expect(packageRoot(join(root, 'dist', 'src', 'http', 'web-ui.js'))).toBe(root);
    expect(cacheControlFor('/x/web/dist/index.html')).toBe('no-cache');
  });
});
