// SPDX-License-Identifier: Apache-2.0
/**
 * `POST /api/verify` on a real token of the instance's stored issuer, on both engines: the answer
 * shows colour, validity and masked name only; a tampered token and a revoked one are refused.
 */
import { describe, expect, it } from 'vitest';
import { openCodesService } from '../../src/services/codes/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';

const EMPTY = { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] };

for (const dialect of DIALECTS) {
  describe(`POST /api/verify on ${dialect}`, () => {
    it('verifies offline against the trust list; refuses tampered and revoked tokens', async () => {
      const t = await createTestInstance(dialect, { initialConfig: { synthetic: true } });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      try {
        const codes = openCodesService(t.store, t.store.keyring.keyWrapper());
        const issued = await codes.issueFromInputs({ name: '王小明', inputs: EMPTY });
        const token = issued.token.text;
        let app = buildHttpApp({ store: t.store, rateLimit: false });
        const ok = await app.inject({ method: 'POST', url: '/api/verify', payload: { token } });
        expect(ok.statusCode).toBe(200);
        const body = ok.json<Record<string, unknown>>();
        expect(body).toMatchObject({
          valid: true,
          reason: 'ok',
          colour: issued.decision.colour,
          maskedName: '王**',
        });
        expect(Object.keys(body).sort()).toEqual(
          ['colour', 'maskedName', 'reason', 'valid', 'validFrom', 'validUntil'].sort(),
        );
        const i = token.length - 5;
        const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
        const bad = await app.inject({
          method: 'POST',
          url: '/api/verify',
          payload: { token: tampered },
        });
        expect(bad.json().valid).toBe(false);
        await app.close();

        await codes.revoke(token);
        app = buildHttpApp({ store: t.store, rateLimit: false });
        const revoked = await app.inject({
          method: 'POST',
          url: '/api/verify',
          payload: { token },
        });
        expect(revoked.json()).toMatchObject({ valid: false, reason: 'revoked' });
        const list = (await app.inject('/api/revocations')).json<{ tokens: string[] }>();
        expect(list.tokens).toHaveLength(1);
        const trust = await app.inject('/api/trust-list');
        expect(JSON.parse(trust.body).format).toBe('healthcode.trust-list.v1');
        await app.close();
      } finally {
        await t.cleanup();
      }
    }, 60_000);
  });
}
