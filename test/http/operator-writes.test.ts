// SPDX-License-Identifier: Apache-2.0
/**
 * The operator console's consent writes on both engines (issue 10 item 4): proposing a
 * repurposing campaign and reading its numbers, adding a purpose (a sensitive one only after its
 * PIPL art. 55 assessment is stored: 409 with the consent code before), retiring one (its basis's
 * window closes), and publishing the notices for the catalogue. Bad bodies are 400 before auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { consentRuntime, recordPia } from '../../src/personal/consent/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { roleTokens } from './support.js';

const PURPOSE = {
  id: 'bike-share',
  name: { zh: '共享单车', en: 'Bike sharing' },
  description: { zh: '以服务码解锁共享单车。', en: 'Unlocking shared bikes with the code.' },
  legalBasis: '13(1)',
  categories: ['contact'],
  retention: 'P30D',
} as const;

const CLINIC = {
  ...PURPOSE,
  id: 'clinic-followup',
  name: { zh: '复诊提醒', en: 'Clinic follow-up' },
  categories: ['contact', 'medical-history'],
} as const;

for (const dialect of DIALECTS) {
  describe(`operator consent writes on ${dialect}`, () => {
    let t: TestInstance;
    let app: FastifyInstance;
    let op: { authorization: string };

    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-12-01T10:00:00+08:00') });
      app = buildHttpApp({ store: t.store, rateLimit: false });
      await app.ready();
      op = { authorization: `Bearer ${(await roleTokens(t.store)).operator}` };
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
    });

    const post = (url: string, payload?: object, headers = op) =>
      app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    const get = (url: string) => app.inject({ method: 'GET', url, headers: op });

    it('publishes the notices once (201), then answers them unchanged (200)', async () => {
      const first = await post('/api/operator/notices', {});
      expect(first.statusCode, first.body).toBe(201);
      const published = first.json<Array<{ kind: string; hash: string; published: boolean }>>();
      expect(published).toHaveLength(4);
      expect(published.every((n) => /^[0-9a-f]{64}$/.test(n.hash) && n.published)).toBe(true);
      const again = await post('/api/operator/notices', {});
      expect(again.statusCode).toBe(200);
      expect(again.json<Array<{ hash: string }>>().map((n) => n.hash)).toEqual(
        published.map((n) => n.hash),
      );
      const bad = await post('/api/operator/notices', { text: 'free text' }, { authorization: '' });
      expect(bad.statusCode).toBe(400);
    });

    it('proposes a campaign (201), lists it and reports its numbers', async () => {
      const res = await post('/api/operator/campaigns', {
        purpose: 'public-transit',
        from: ['epidemic-control'],
        categories: ['identity', 'contact'],
        lang: 'en',
      });
      expect(res.statusCode, res.body).toBe(201);
      const c = res.json<{ id: string; purposeId: string; noticeHash: string; closedAt: null }>();
      expect(c).toMatchObject({ purposeId: 'public-transit', closedAt: null });
      const list = get('/api/operator/campaigns');
      expect((await list).json<Array<{ id: string }>>().map((x) => x.id)).toContain(c.id);
      const report = await get(`/api/operator/campaigns/${c.id}`);
      expect(report.statusCode).toBe(200);
      expect(report.json()).toMatchObject({
        campaign: { id: c.id },
        invited: 0,
        accepted: 0,
        declined: 0,
        pending: 0,
      });
      expect((await get('/api/operator/campaigns/cmp_nothing')).statusCode).toBe(404);
    });

    it('rejects bad campaign bodies with 400 before auth, and domain refusals with the consent code', async () => {
      for (const body of [
        { purpose: 'public-transit', from: 'epidemic-control', categories: ['contact'] },
        { purpose: 'public-transit', from: ['epidemic-control'], categories: ['shoe-size'] },
        { purpose: 'public-transit', from: [], categories: ['contact'] },
        { purpose: 'public-transit', from: ['epidemic-control'], categories: ['contact'], x: 1 },
      ]) {
        const res = await post('/api/operator/campaigns', body, { authorization: '' });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const notConsent = await post('/api/operator/campaigns', {
        purpose: 'epidemic-control',
        from: ['statistics'],
        categories: ['itinerary'],
      });
      expect(notConsent.json()).toMatchObject({ code: 'ERR_CONSENT_NOT_CONSENT_BASED' });
      const unknown = await post('/api/operator/campaigns', {
        purpose: 'ghost-purpose',
        from: ['epidemic-control'],
        categories: ['contact'],
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'ERR_CONSENT_UNKNOWN_PURPOSE' });
    });

    it('adds a purpose (201; twice: 409), a sensitive one only after its PIA (409 before)', async () => {
      const res = await post('/api/operator/purposes', PURPOSE);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ id: 'bike-share', legalBasis: '13(1)', validTo: null });
      const purposes = (await get('/api/operator/purposes')).json<Array<{ id: string }>>();
      expect(purposes.map((p) => p.id)).toContain('bike-share');
      expect((await post('/api/operator/purposes', PURPOSE)).statusCode).toBe(409);

      const noPia = await post('/api/operator/purposes', CLINIC);
      expect(noPia.statusCode).toBe(409);
      expect(noPia.headers['content-type']).toContain('application/problem+json');
      expect(noPia.json()).toMatchObject({ status: 409, code: 'ERR_CONSENT_PIA_REQUIRED' });
      const rt = await consentRuntime(t.store);
      await recordPia(
        rt.deps,
        {
          kind: 'sensitive-processing',
          ref: CLINIC.id,
          lawfulness: 'PIPL art. 13(1) with separate consent (art. 29).',
          necessity: 'Follow-up needs the condition being followed up.',
          impact: 'Medical data is sensitive (art. 28).',
          safeguards: 'Encrypted per category; purpose guard; short retention.',
          assessor: 'test DPO',
        },
        'operator:test',
      );
      const withPia = await post('/api/operator/purposes', CLINIC);
      expect(withPia.statusCode, withPia.body).toBe(201);
      expect(withPia.json()).toMatchObject({ separateConsent: true });
    });

    it('rejects bad purpose bodies with 400 before auth', async () => {
      for (const body of [
        { ...PURPOSE, id: 'Bad Id!' },
        { ...PURPOSE, legalBasis: '14(1)' },
        { ...PURPOSE, categories: [] },
        { ...PURPOSE, name: { zh: '只有中文' } },
        { ...PURPOSE, retention: 7 },
      ]) {
        const res = await post('/api/operator/purposes', body, { authorization: '' });
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
    });

    it('retires a purpose (200, basis closed), then 409; an unknown one is 404', async () => {
      const res = await post('/api/operator/purposes/bike-share/retire');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ validTo: string }>().validTo).toBe('2026-12-01T02:00:00.000Z');
      expect((await post('/api/operator/purposes/bike-share/retire')).statusCode).toBe(409);
      const unknown = await post('/api/operator/purposes/ghost-purpose/retire');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'ERR_CONSENT_UNKNOWN_PURPOSE' });
      const bad = await post('/api/operator/purposes/bad%20id/retire', undefined, {
        authorization: '',
      });
      expect(bad.statusCode).toBe(400);
    });
  });
}
