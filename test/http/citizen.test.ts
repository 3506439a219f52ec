// SPDX-License-Identifier: Apache-2.0
/**
 * The citizen portal's API on both engines, over a person stored through the real vault: a login
 * code goes through the outbox (shown by the demo route), the code buys a session, the session
 * lists and withdraws consents with signed receipts, opens an access request carried out at once,
 * and downloads its export. Unknown phones get the same answer and no code; a wrong code is refused.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { dayAt, runningClock } from '../support/clock.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import { seedPerson } from '../e2e/rights-fixture.js';
import { computeIdCheckChar } from '../../src/kernel/domain/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { instanceVault } from '../../src/edges/app/index.js';

for (const dialect of DIALECTS) {
  describe(`citizen portal API on ${dialect}`, () => {
    it('logs in by one-time code, manages consents, opens a request and downloads the export', async () => {
      // On the harness clock, which the person's fixture is dated around.
      const t = await createTestInstance(dialect, {
        initialConfig: { synthetic: true },
        clock: runningClock(dayAt(0, '10:00')),
      });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      const app = buildHttpApp({ store: t.store, demo: true, rateLimit: false });
      try {
        const person = await seedPerson(t.store, 1, 2);
        const codes = async () =>
          (await app.inject('/api/demo/otps'))
            .json<{
              codes: Array<{ code: string; purpose: string }>;
            }>()
            .codes.filter((c) => c.purpose === 'portal.login');

        const unknown = await app.inject({
          method: 'POST',
          url: '/api/citizen/otp',
          payload: { phone: '13900000000' },
        });
        expect(unknown.statusCode).toBe(202);
        expect(await codes()).toHaveLength(0);

        const sent = await app.inject({
          method: 'POST',
          url: '/api/citizen/otp',
          payload: { phone: person.phone },
        });
        expect(sent.statusCode).toBe(202);
        expect(sent.json()).toEqual({ sent: true });
        const [otp] = await codes();
        expect(otp?.code).toMatch(/^[0-9]{6}$/);

        const wrong = await app.inject({
          method: 'POST',
          url: '/api/citizen/login',
          payload: { phone: person.phone, code: otp.code === '000000' ? '111111' : '000000' },
        });
        expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
        expect(wrong.statusCode).toBeLessThan(500);

        const login = await app.inject({
          method: 'POST',
          url: '/api/citizen/login',
          payload: { phone: person.phone, code: otp.code },
        });
        expect(login.statusCode, login.body).toBe(200);
        const auth = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
        expect((await app.inject({ url: '/api/me', headers: auth })).json()).toMatchObject({
          role: 'citizen',
        });

        // "My data" by group, read through the vault (the citizen and the linked SIM merged).
        const data = await app.inject({ url: '/api/citizen/data', headers: auth });
        expect(data.statusCode, data.body).toBe(200);
        type Group = { records: Array<{ category: string; subjectKind: string }> };
        const groups = data.json<{ groups: Record<string, Group> }>().groups;
        expect(Object.keys(groups).sort()).toEqual(
          ['basic', 'certification', 'code', 'health', 'itinerary'].sort(),
        );
        const cats = (g: string) => (groups[g]?.records ?? []).map((r) => r.category);
        expect(cats('basic')).toEqual(expect.arrayContaining(['identity', 'contact', 'address']));
        expect(cats('health')).toContain('temperature');
        expect(cats('certification')).toEqual(
          expect.arrayContaining(['test-results', 'vaccination', 'colour-decisions']),
        );
        expect(groups.code).toEqual(groups.certification);

        const code = await app.inject({ url: '/api/citizen/code', headers: auth });
        expect(code.statusCode, code.body).toBe(200);
        const c0 = code.json<{
          token: string;
          colour: string;
          maskedName: string;
          qrSvg: string;
          refreshAt: string;
          expiresAt: string;
        }>();
        expect(c0.qrSvg).toContain('<svg');
        expect(Date.parse(c0.refreshAt)).toBeLessThan(Date.parse(c0.expiresAt));
        const verdict = await app.inject({
          method: 'POST',
          url: '/api/verify',
          payload: { token: c0.token },
        });
        expect(verdict.json()).toMatchObject({
          valid: true,
          colour: c0.colour,
          maskedName: c0.maskedName,
        });
        const why = await app.inject({ url: '/api/citizen/code/explain', headers: auth });
        expect(why.statusCode, why.body).toBe(200);
        expect(why.json()).toMatchObject({ colour: c0.colour });
        // Not this citizen's dependant: refused.
        const other = await app.inject({
          url: `/api/citizen/code?for=${person.subscriberId}`,
          headers: auth,
        });
        expect(other.statusCode).toBeGreaterThanOrEqual(400);
        expect(other.statusCode).toBeLessThan(500);

        const consents = await app.inject({ url: '/api/citizen/consents', headers: auth });
        expect(consents.statusCode).toBe(200);
        const c = consents.json<{ consents: Array<{ purposeId: string; status: string }> }>();
        expect(
          c.consents.some((x) => x.purposeId === 'public-transit' && x.status === 'active'),
        ).toBe(true);
        const withdrawn = await app.inject({
          method: 'POST',
          url: '/api/citizen/consents/withdraw',
          headers: auth,
          payload: { purpose: 'public-transit' },
        });
        expect(withdrawn.statusCode, withdrawn.body).toBe(200);
        expect(withdrawn.json<{ receipt: string }>().receipt.split('.')).toHaveLength(3);

        const opened = await app.inject({
          method: 'POST',
          url: '/api/citizen/requests',
          headers: auth,
          payload: { type: 'access' },
        });
        expect(opened.statusCode, opened.body).toBe(201);
        const r = opened.json<{ id: string; state: string; dueAt: string }>();
        expect(r.state).toBe('completed');
        // The export is held in memory: no plaintext copy stays in the server's temp files.
        const leftovers = readdirSync(tmpdir())
          .filter((d) => d.startsWith('hc-portal-exports-'))
          // Another test's server may remove its own folder between the listing and this read.
          .flatMap((d) => {
            try {
              return readdirSync(join(tmpdir(), d));
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
                return [];
              }
              throw err; // anything else would hide the files this check looks for
            }
          })
          .filter((f) => f.startsWith(r.id));
        expect(leftovers).toEqual([]);
        const list = await app.inject({ url: '/api/citizen/requests', headers: auth });
        expect(list.json<Array<{ id: string }>>().map((x) => x.id)).toContain(r.id);

        const json = await app.inject({
          url: `/api/citizen/requests/${r.id}/export?format=json`,
          headers: auth,
        });
        expect(json.statusCode).toBe(200);
        expect(json.headers['content-disposition']).toContain('attachment');
        expect(json.body).toContain(person.citizenId);
        const csv = await app.inject({
          url: `/api/citizen/requests/${r.id}/export?format=csv`,
          headers: auth,
        });
        expect(csv.statusCode).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');

        // A request store that fails is a server failure, never "no such export" (a 404).
        const events = sql.table('rights_request_events');
        const away = sql.table('rights_request_events_away');
        await sql`alter table ${events} rename to ${away}`.execute(t.store.db.kysely);
        const broken = await app.inject({
          url: `/api/citizen/requests/${r.id}/export?format=json`,
          headers: auth,
        });
        await sql`alter table ${away} rename to ${events}`.execute(t.store.db.kysely);
        expect(broken.statusCode, broken.body).toBe(500);

        // The session ends at logout.
        const out = await app.inject({ method: 'POST', url: '/api/citizen/logout', headers: auth });
        expect(out.statusCode).toBe(204);
        expect((await app.inject({ url: '/api/me', headers: auth })).statusCode).toBe(401);
      } finally {
        await app.close();
        await t.cleanup();
      }
    }, 120_000);

    it("refuses a child's own consent: the age comes from the vault, a guardian must consent", async () => {
      // One clock for the whole scenario: the child is six on it, on any date the suite runs.
      const clock = new FixedClock('2026-06-15T10:00:00+08:00');
      const t = await createTestInstance(dialect, { clock, initialConfig: { synthetic: true } });
      const app = buildHttpApp({ store: t.store, demo: true, rateLimit: false });
      try {
        const iv = await instanceVault(t.store);
        const epi = iv.vault.repository({
          actor: 'test:seed',
          role: 'operator',
          purpose: 'epidemic-control',
        });
        const phone = '+8613900000201';
        const body17 = '11010520200315123';
        const child = (await epi.ensureCitizen(body17 + computeIdCheckChar(body17))).subjectId;
        const sim = (await epi.ensureSubscriber(phone)).subjectId;
        await epi.link(child, sim);
        await iv.finish();

        await app.inject({ method: 'POST', url: '/api/citizen/otp', payload: { phone } });
        const otps = await app.inject('/api/demo/otps');
        const otp = otps
          .json<{ codes: Array<{ code: string; purpose: string }> }>()
          .codes.find((c) => c.purpose === 'portal.login')!;
        const login = await app.inject({
          method: 'POST',
          url: '/api/citizen/login',
          payload: { phone, code: otp.code },
        });
        expect(login.statusCode, login.body).toBe(200);
        const auth = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
        const notices = await app.inject('/api/notices/current?lang=zh');
        const policy = notices
          .json<Array<{ kind: string; language: string; hash: string }>>()
          .find((n) => n.kind === 'privacy-policy' && n.language === 'zh')!.hash;
        const grant = (separate: boolean) =>
          app.inject({
            method: 'POST',
            url: '/api/citizen/consents',
            headers: auth,
            payload: {
              purpose: 'public-transit',
              categories: ['contact'],
              noticeHash: policy,
              separate,
            },
          });
        const plain = await grant(false);
        expect(plain.statusCode, plain.body).toBeGreaterThanOrEqual(400);
        expect(plain.statusCode).toBeLessThan(500);
        expect(plain.json()).toMatchObject({ code: 'ERR_CONSENT_SEPARATE_REQUIRED' });
        const separate = await grant(true);
        expect(separate.statusCode).toBeLessThan(500);
        expect(separate.json()).toMatchObject({ code: 'ERR_CONSENT_GUARDIAN_REQUIRED' });
        const mine = await app.inject({ url: '/api/citizen/consents', headers: auth });
        expect(mine.json<{ history: unknown[] }>().history).toEqual([]);
      } finally {
        await app.close();
        await t.cleanup();
      }
    }, 120_000);
  });
}
