// SPDX-License-Identifier: Apache-2.0
/**
 * The demo city over HTTP (SQLite): the seeded city offers synthetic residents who really are in
 * the vault (a login code reaches them), their synthetic consents are in the ledger, and an
 * analyst's query runs over the carrier feeds the demo wrote, consent-filtered, to a stored
 * release; a query beyond the budget is the privacy capability's problem. Without feeds the query
 * route says so (409), and without `--demo` the residents route is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addAccount, createToken } from '../../src/foundation/accounts/index.js';
import { silentLogger } from '../../src/platform/runtime/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { seedDemoCity } from '../../src/edges/http/demo.js';
import { createTestInstance, type TestInstance } from '../support/dialects.js';

async function analystAuth(t: TestInstance): Promise<{ authorization: string }> {
  await addAccount(
    t.store,
    { name: 'analyst-a', role: 'analyst' },
    { wrapper: t.store.keyring.keyWrapper() },
  );
  const { token } = await createToken(t.store, { name: 'analyst-a', expiresInMs: 3_600_000 });
  return { authorization: `Bearer ${token}` };
}

describe('the demo city over HTTP (sqlite)', () => {
  let t: TestInstance;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await createTestInstance('sqlite', { initialConfig: { synthetic: true } });
    await seedDemoCity(t.store, silentLogger);
    app = buildHttpApp({ store: t.store, demo: true, rateLimit: false });
    await app.ready();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('lists synthetic residents who can log in, with seeded consents', async () => {
    const res = await app.inject('/api/demo/residents');
    expect(res.statusCode, res.body).toBe(200);
    const { label, residents } = res.json<{
      label: string;
      residents: Array<{ phone: string; maskedName: string }>;
    }>();
    expect(label).toBe('synthetic demo only');
    expect(residents.length).toBeGreaterThan(0);
    for (const r of residents) {
      expect(r.phone).toMatch(/^\+861[0-9]{10}$/);
      expect(r.maskedName).toContain('*');
    }
    // Every listed resident is in the vault: the login code reaches their phone.
    for (const r of residents) {
      const sent = await app.inject({
        method: 'POST',
        url: '/api/citizen/otp',
        payload: { phone: r.phone },
      });
      expect(sent.statusCode).toBe(202);
    }
    const otps = (await app.inject('/api/demo/otps')).json<{ codes: Array<{ phone: string }> }>();
    const reached = new Set(otps.codes.map((c) => c.phone));
    for (const r of residents) {
      expect(reached.has(r.phone), 'a code for a listed resident').toBe(true);
    }
    const seeded = await t.store.db.kysely
      .selectFrom('consent_current')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(seeded.n)).toBeGreaterThan(0);
  });

  it("runs an analyst's query over the demo's carrier feeds, then refuses past the budget", async () => {
    const auth = await analystAuth(t);
    const ran = await app.inject({
      method: 'POST',
      url: '/api/analyst/queries',
      headers: auth,
      payload: { query: 'crowd', rho: 0.2 },
    });
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json()).toMatchObject({ k: expect.any(Number), linkage: { pass: true } });
    const over = await app.inject({
      method: 'POST',
      url: '/api/analyst/queries',
      headers: auth,
      payload: { query: 'crowd', rho: 10 },
    });
    expect(over.statusCode).toBe(409);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json().code).toBe('ERR_PRIVACY_BUDGET_EXCEEDED');
  }, 120_000);
});

describe('without demo feeds (sqlite)', () => {
  it('answers 409 to a query and 404 to the demo residents', async () => {
    const t = await createTestInstance('sqlite', { initialConfig: { synthetic: true } });
    const app = buildHttpApp({ store: t.store, rateLimit: false });
    try {
      const auth = await analystAuth(t);
      const res = await app.inject({
        method: 'POST',
        url: '/api/analyst/queries',
        headers: auth,
        payload: { query: 'crowd' },
      });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().detail).toContain('carrier feeds');
      const bad = await app.inject({
        method: 'POST',
        url: '/api/analyst/queries',
        headers: auth,
        payload: { query: 'crowd', rho: 0.1, k: 2 },
      });
      expect(bad.statusCode).toBe(400);
      expect((await app.inject('/api/demo/residents')).statusCode).toBe(404);
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});
