// SPDX-License-Identifier: Apache-2.0
/**
 * The framework's promises, route by route from the route table: malformed JSON, wrong types and
 * oversized bodies are refused with a problem document BEFORE any auth check (no token sent);
 * OpenAPI 3.1 lists every route; request ids; security headers; rate limits; logs without
 * bodies or credentials.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { apiRoutes } from '../../src/edges/http/route-table.js';
import { createTestInstance, type TestInstance } from '../support/dialects.js';

describe('http framework (sqlite)', () => {
  let t: TestInstance;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestInstance('sqlite', { initialConfig: { synthetic: true } });
    app = buildHttpApp({ store: t.store, demo: true });
    await app.ready();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('refuses malformed, oversized and wrongly typed bodies with 4xx problems before auth', async () => {
    const withBody = apiRoutes().filter((r) => r.method !== 'GET');
    expect(withBody.length).toBeGreaterThan(3);
    for (const spec of withBody) {
      const url = spec.example.url ?? spec.url;
      const json = { 'content-type': 'application/json' };
      const broken = await app.inject({
        method: spec.method,
        url,
        headers: json,
        payload: '{"a":',
      });
      expect(broken.statusCode, `${spec.url} broken JSON`).toBe(400);
      expect(broken.json()).toMatchObject({ status: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      expect(broken.headers['content-type']).toContain('application/problem+json');

      const big = await app.inject({
        method: spec.method,
        url,
        headers: json,
        payload: JSON.stringify({ token: 'x'.repeat(300_000) }),
      });
      expect(big.statusCode, `${spec.url} oversized`).toBe(413);
      expect(big.json()).toMatchObject({ status: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });

      const text = await app.inject({
        method: spec.method,
        url,
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      });
      expect(text.statusCode, `${spec.url} text/plain`).toBe(415);

      if (spec.schema?.body !== undefined) {
        // A list body (PUT risk-areas) may be empty; a list of non-objects is still wrong.
        const list = (spec.schema.body as { type?: unknown }).type === 'array';
        for (const wrong of [list ? [1] : [], 'str', 7, null, { unexpected: true }]) {
          const res = await app.inject({
            method: spec.method,
            url,
            headers: json,
            payload: JSON.stringify(wrong),
          });
          expect(res.statusCode, `${spec.url} ${JSON.stringify(wrong)}`).toBe(400);
          expect(res.json()).toMatchObject({ title: 'Bad Request', status: 400 });
          expect(res.json().detail).toEqual(expect.any(String));
        }
      }
    }
    // A number where a string belongs is a wrong type, not coerced.
    const coerced = await app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { token: 12345 },
    });
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json().code).toBe('ERR_HTTP_VALIDATION');
  }, 60_000);

  it('validates query strings and path parameters before auth', async () => {
    for (const url of [
      '/api/audit/proof/inclusion?leaf=-1',
      '/api/audit/proof/inclusion?leaf=1&leaf=2',
      '/api/audit/proof/consistency?from=a&to=1',
      '/api/audit/leaves/01',
      '/api/analyst/budget?dataset=UPPER',
      '/api/operator/disposal/plans/..%2F..%2Fetc/progress',
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().status).toBe(400);
    }
  });

  it('publishes OpenAPI 3.1 with every route, and the browsable docs', async () => {
    const doc = (await app.inject('/docs/json')).json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown }>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    for (const spec of apiRoutes()) {
      const path = spec.url.replace(/:([a-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[spec.method.toLowerCase()];
      expect(op, `${spec.method} ${path} documented`).toBeDefined();
      expect(op?.security !== undefined).toBe(spec.access !== 'public');
    }
    const ui = await app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('sets security headers and request ids, and honours a well-formed caller id', async () => {
    const res = await app.inject('/healthz');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(given.headers['x-request-id']).toBe('trace-12345678');
    const bad = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'x\u0007' } });
    expect(bad.headers['x-request-id']).not.toBe('x\u0007');
  });

  it('serves the latest signed checkpoint as text', async () => {
    const res = await app.inject('/checkpoint');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body.split('\n')[0]).toBe(t.store.config.origin);
    expect(res.body).toContain('\n— ');
  });

  it('rate-limits POST /api/verify per client with 429 problems', async () => {
    let last = 0;
    for (let i = 0; i < 125; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/verify',
        payload: { token: 'HCN1:X' },
        remoteAddress: '192.0.2.77',
      });
      last = res.statusCode;
      if (last === 429) {
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
        expect(res.headers['retry-after']).toBeDefined();
        break;
      }
    }
    expect(last).toBe(429);
    // Another client is not affected.
    const other = await app.inject({
      method: 'POST',
      url: '/api/verify',
      payload: { token: 'HCN1:X' },
      remoteAddress: '192.0.2.78',
    });
    expect(other.statusCode).toBe(200);
  });

  it('answers 404 problems for unknown routes and demo routes without --demo', async () => {
    const plain = buildHttpApp({ store: t.store });
    try {
      const res = await plain.inject('/api/demo/otps');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      await plain.close();
    }
    const demo = await app.inject('/api/demo/otps');
    expect(demo.statusCode).toBe(200);
    expect(demo.json().label).toBe('synthetic demo only');
  });

  it('logs method, path, status and request id — never bodies, query strings or tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = buildHttpApp({ store: t.store, logRequests: true, logStream: sink });
    try {
      await logged.inject({
        method: 'POST',
        url: '/api/verify?phone=13800138000',
        headers: { authorization: 'Bearer hct_secretsecret_' + 'S'.repeat(43) },
        payload: { token: 'HCN1:PERSONALDATA' },
      });
    } finally {
      await logged.close();
    }
    const all = lines.join('');
    expect(all).toContain('/api/verify');
    expect(all).toContain('statusCode');
    expect(all).not.toContain('13800138000');
    expect(all).not.toContain('PERSONALDATA');
    expect(all).not.toContain('secretsecret');
    expect(all).not.toContain('remoteAddress');
  });
});
