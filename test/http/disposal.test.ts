// SPDX-License-Identifier: Apache-2.0
/**
 * The operator console's disposal flow over HTTP on both engines, on a person stored through the
 * real vault: draft a plan retiring everything, approve it with the operator's own key, run it in
 * the background and follow its progress to the end; a second run while one is going is 409, and
 * a certificate bundle with a forged signature does not verify.
 */
import { describe, expect, it } from 'vitest';
import { addAccount, createToken } from '../../src/foundation/accounts/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { dayAt, runningClock } from '../support/clock.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { seedPerson } from '../e2e/rights-fixture.js';

for (const dialect of DIALECTS) {
  describe(`disposal over HTTP on ${dialect}`, () => {
    it('drafts, approves, runs and reports progress', async () => {
      // On the harness clock, which the person's fixture is dated around.
      const t = await createTestInstance(dialect, {
        initialConfig: { synthetic: true },
        clock: runningClock(dayAt(0, '10:00')),
      });
      const app = buildHttpApp({ store: t.store, rateLimit: false });
      try {
        await seedPerson(t.store, 1, 2);
        await addAccount(
          t.store,
          { name: 'op-a', role: 'operator' },
          { wrapper: t.store.keyring.keyWrapper() },
        );
        const { token } = await createToken(t.store, { name: 'op-a', expiresInMs: 3_600_000 });
        const auth = { authorization: `Bearer ${token}` };

        const drafted = await app.inject({
          method: 'POST',
          url: '/api/operator/disposal/plans',
          headers: auth,
          payload: { retire: 'all' },
        });
        expect(drafted.statusCode, drafted.body).toBe(201);
        const { id } = drafted.json<{ id: string }>();
        const base = `/api/operator/disposal/plans/${id}`;

        const early = await app.inject({ method: 'POST', url: `${base}/run`, headers: auth });
        expect(early.statusCode).toBeGreaterThanOrEqual(400);
        expect(early.json().code).toBe('ERR_DISPOSAL_NOT_APPROVED');

        const approved = await app.inject({
          method: 'POST',
          url: `${base}/approve`,
          headers: auth,
        });
        expect(approved.statusCode, approved.body).toBe(200);
        expect(approved.json()).toMatchObject({ sufficient: true, valid: ['op-a'] });

        const started = await app.inject({ method: 'POST', url: `${base}/run`, headers: auth });
        expect(started.statusCode, started.body).toBe(202);
        const again = await app.inject({ method: 'POST', url: `${base}/run`, headers: auth });
        expect([202, 409]).toContain(again.statusCode);

        let progress: { running: boolean; executedAt: string | null; error: string | null } = {
          running: true,
          executedAt: null,
          error: null,
        };
        for (let i = 0; i < 600 && (progress.running || progress.executedAt === null); i++) {
          await new Promise((r) => setTimeout(r, 100));
          progress = (await app.inject({ url: `${base}/progress`, headers: auth })).json();
          if (progress.error !== null) {
            break;
          }
        }
        expect(progress.error).toBeNull();
        expect(progress.executedAt).not.toBeNull();
        const list = (
          await app.inject({ url: '/api/operator/disposal/plans', headers: auth })
        ).json();
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ id });
        expect(list[0].certificateId).toEqual(expect.any(String));

        // The downloads: the HTML report, the public notice, and the certificate bundle, which
        // verifies against this log like the file `disposal certificate plan` writes.
        const report = await app.inject({ url: `${base}/report`, headers: auth });
        expect(report.statusCode, report.body).toBe(200);
        expect(report.headers['content-type']).toContain('text/html');
        expect(report.body).toContain(id);
        const notice = await app.inject({ url: `${base}/notice`, headers: auth });
        expect(notice.statusCode, notice.body).toBe(200);
        expect(notice.headers['content-type']).toContain('text/html');
        expect(notice.body).toMatch(/<html/i);
        const certs = await app.inject({ url: `${base}/certificates`, headers: auth });
        expect(certs.statusCode, certs.body).toBe(200);
        const bundles = certs.json<Array<{ format: string; certificate: { id: string } }>>();
        expect(bundles).toHaveLength(1);
        expect(bundles[0]).toMatchObject({ format: 'healthcode/audit-inclusion/v1' });
        expect(bundles[0]?.certificate.id).toBe(list[0].certificateId);
        const checked = await app.inject({
          method: 'POST',
          url: '/api/certificates/verify',
          payload: { bundle: bundles[0] },
        });
        expect(checked.json(), checked.body).toMatchObject({ valid: true });
        const missing = await app.inject({
          url: '/api/operator/disposal/plans/00000000-0000-4000-8000-000000000000/certificates',
          headers: auth,
        });
        expect(missing.statusCode).toBe(404);

        const forged = await app.inject({
          method: 'POST',
          url: '/api/certificates/verify',
          payload: {
            bundle: {
              format: 'healthcode/audit-inclusion/v1',
              certificate: {
                id: 'x',
                kind: 'plan',
                signature: { alg: 'Ed25519', publicKey: 'AAAA', value: 'AAAA' },
              },
            },
          },
        });
        expect(forged.json()).toEqual({ valid: false, reason: 'certificate-signature' });
      } finally {
        await app.close();
        await t.cleanup();
      }
    }, 120_000);
  });
}
