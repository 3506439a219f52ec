// SPDX-License-Identifier: Apache-2.0
/**
 * The citizen health routes and the operator writes on both engines, over people stored through
 * the real vault: a guardian lists their dependant (consent ledger hint, vault link confirmed);
 * declarations land in the vault categories the colour rules read and re-evaluate the code (for a
 * dependant only by their guardian); the operator replaces the risk-area list (validated, written
 * atomically, audit-logged, read by the next colour decision) and decides a queued review.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  addAccount,
  createCitizenSession,
  createToken,
} from '../../src/foundation/accounts/index.js';
import { createAuditLog } from '../../src/foundation/audit/index.js';
import { openSubjectCodes, requestReview } from '../../src/services/codes/index.js';
import { consentRuntime, currentNotices, grantConsent } from '../../src/personal/consent/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import { instanceVault } from '../../src/edges/app/index.js';

/** A GB 11643 number with its MOD 11-2 check character (synthetic bodies). */
function idNumber(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

const ADULT = idNumber('31010419800101001');
const CHILD = idNumber('31010420180601002');
const OTHER = idNumber('31010419820202003');
const T0 = '2026-12-01T10:00:00+08:00';
const HIGH_SHENZHEN = {
  region: '440300',
  level: 'high',
  from: '2026-11-20T00:00:00.000Z',
  to: null,
} as const;

interface Answer {
  colour: string;
  validUntil: string;
  fired: Array<{ rule: string; colour: string; reason: string }>;
}

for (const dialect of DIALECTS) {
  describe(`citizen health and operator writes on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let app: FastifyInstance;
    let adult: string;
    let child: string;
    let other: string;
    const auth: Record<'adult' | 'other' | 'operator', { authorization: string }> = {
      adult: { authorization: '' },
      other: { authorization: '' },
      operator: { authorization: '' },
    };

    beforeAll(async () => {
      clock = new FixedClock(T0);
      t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      const iv = await instanceVault(t.store);
      const repo = iv.vault.repository({
        actor: 'test:seed',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      adult = (await repo.ensureCitizen(ADULT)).subjectId;
      other = (await repo.ensureCitizen(OTHER)).subjectId;
      child = (await repo.ensureCitizen(CHILD, { guardian: adult })).subjectId;
      await repo.put(adult, 'identity', { name: '张三丰', idNumber: ADULT });
      await repo.put(child, 'identity', { name: '张小宝', idNumber: CHILD, guardian: adult });
      await repo.put(other, 'identity', { name: '欧阳娜娜', idNumber: OTHER });
      for (const s of [adult, child, other]) {
        await repo.put(s, 'test-results', {
          kind: 'nucleic-acid',
          result: 'negative',
          at: '2026-11-30T09:00:00+08:00',
        });
      }
      await iv.finish();
      // The guardian consented for the child (PIPL art. 31): the ledger names them.
      const rt = await consentRuntime(t.store);
      const policy = (await currentNotices(rt.deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
      await grantConsent(rt.deps, {
        subjectId: child,
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        guardianId: adult,
        actor: 'citizen:test',
      });
      await rt.finish();
      for (const [k, s] of [
        ['adult', adult],
        ['other', other],
      ] as const) {
        const session = await createCitizenSession(t.store, { subjectId: s, expiresInMs: 3.6e6 });
        auth[k] = { authorization: `Bearer ${session.token}` };
      }
      await addAccount(
        t.store,
        { name: 'op', role: 'operator' },
        { wrapper: t.store.keyring.keyWrapper() },
      );
      const op = await createToken(t.store, { name: 'op', expiresInMs: 3.6e6 });
      auth.operator = { authorization: `Bearer ${op.token}` };
      app = buildHttpApp({ store: t.store, rateLimit: false });
      await app.ready();
    }, 90_000);

    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
    });

    // Declarations made at one instant merge into one: each call is a second after the last.
    const declare = (who: 'adult' | 'other', body: unknown, url = '/api/citizen/declarations') => {
      clock.advance(1000);
      return app.inject({ method: 'POST', url, headers: auth[who], payload: body as object });
    };

    it('lists the dependants a guardian holds, confirmed by the vault link', async () => {
      const mine = await app.inject({ url: '/api/citizen/dependants', headers: auth.adult });
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json()).toEqual({ dependants: [{ subject: child, maskedName: '张**' }] });
      const none = await app.inject({ url: '/api/citizen/dependants', headers: auth.other });
      expect(none.json()).toEqual({ dependants: [] });
      expect(none.body).not.toContain('欧阳');
    });

    it('stores a declaration in the vault and re-evaluates the colour', async () => {
      const green = await declare('adult', { temperatureC: 36.6, symptoms: ['none'] });
      expect(green.statusCode, green.body).toBe(201);
      expect(green.json<Answer>().colour).toBe('green');
      const fever = await declare('adult', { temperatureC: 38.4 });
      expect(fever.statusCode, fever.body).toBe(201);
      const a = fever.json<Answer>();
      expect(a.colour).toBe('yellow');
      expect(a.fired.map((f) => f.rule)).toEqual(['declaration.fever']);
      expect(a.validUntil).toBe('2026-12-01T16:00:00.000Z');
      // The next code rests on the same stored decision.
      const explain = await app.inject({ url: '/api/citizen/code/explain', headers: auth.adult });
      expect(explain.json()).toMatchObject({ colour: 'yellow' });
      expect(
        explain.json<{ inputs: { declarations: unknown[] } }>().inputs.declarations,
      ).toContainEqual({
        at: clock.now().toISOString(),
        temperatureC: 38.4,
      });
      // Audit-logged by the vault (a write leaf per category), with no personal data in it.
      const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
      const sc = await openSubjectCodes(t.store, instanceVault, { riskAreas: [] });
      const trail = await log.trail((await sc.vault.vault.auditIdOf(t.store.db.kysely, adult))!);
      const writes = trail.filter((e) => e.kind === 'write').map((e) => e.category);
      expect(writes).toEqual(expect.arrayContaining(['temperature', 'symptoms']));
      expect(JSON.stringify(trail)).not.toContain(ADULT);
      expect(JSON.stringify(trail)).not.toContain('张三丰');
    });

    it('lets only the guardian declare for a dependant', async () => {
      const ok = await declare('adult', { for: child, symptoms: ['cough'] });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json<Answer>().fired.map((f) => f.rule)).toContain('declaration.symptoms');
      const viaQuery = await declare(
        'adult',
        { symptoms: ['none'] },
        `/api/citizen/declarations?for=${child}`,
      );
      expect(viaQuery.statusCode, viaQuery.body).toBe(201);
      const stranger = await declare('other', { for: child, temperatureC: 39 });
      expect(stranger.statusCode).toBe(403);
      expect(stranger.json()).toMatchObject({ code: 'ERR_CODES_NOT_GUARDIAN' });
      const clash = await declare(
        'adult',
        { for: child, symptoms: ['none'] },
        `/api/citizen/declarations?for=${other}`,
      );
      expect(clash.statusCode).toBe(400);
    });

    it('refuses bad declarations with 400 problems', async () => {
      const bad: unknown[] = [
        {},
        { for: child },
        { temperatureC: 33.9 },
        { temperatureC: 43.1 },
        { temperatureC: '37' },
        { symptoms: [] },
        { symptoms: ['headache'] },
        { symptoms: ['cough', 'cough'] },
        { symptoms: ['none', 'fever'] },
        { itinerary: [] },
        { itinerary: [{ region: '999999', from: '2026-11-28', to: '2026-11-29' }] },
        { itinerary: [{ region: '440305', from: '2026-11-29', to: '2026-11-28' }] },
        { itinerary: [{ region: '440305', from: '2026-02-30', to: '2026-03-01' }] },
        { itinerary: [{ region: '440305', from: '2026-11-30', to: '2026-12-02' }] },
        { itinerary: [{ region: '440305', from: '2026-11-28' }] },
        { temperatureC: 36.6, extra: 1 },
      ];
      for (const body of bad) {
        const res = await declare('other', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ status: 400, title: 'Bad Request' });
      }
    });

    it('replaces the risk-area list atomically; the next decision reads it', async () => {
      const before = await declare('other', {
        temperatureC: 36.5,
        itinerary: [{ region: '440305', from: '2026-11-28', to: '2026-11-29' }],
      });
      expect(before.statusCode, before.body).toBe(201);
      expect(before.json<Answer>().colour).toBe('green');

      const put = await app.inject({
        method: 'PUT',
        url: '/api/operator/risk-areas',
        headers: auth.operator,
        payload: [HIGH_SHENZHEN],
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toEqual([HIGH_SHENZHEN]);
      const file = join(t.store.paths.root, 'risk-areas.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([HIGH_SHENZHEN]);
      const get = await app.inject({ url: '/api/operator/risk-areas', headers: auth.operator });
      expect(get.json()).toEqual([HIGH_SHENZHEN]);

      // No restart: the stay in Nanshan (440305) now falls in a high-risk Shenzhen.
      const after = await declare('other', { temperatureC: 36.5 });
      expect(after.json<Answer>()).toMatchObject({ colour: 'yellow' });
      expect(after.json<Answer>().fired.map((f) => f.rule)).toContain('area.high');

      for (const wrong of [
        [{ ...HIGH_SHENZHEN, region: '999999' }],
        [{ ...HIGH_SHENZHEN, level: 'low' }],
        [{ ...HIGH_SHENZHEN, from: 'yesterday' }],
        [{ ...HIGH_SHENZHEN, to: '2026-11-19T00:00:00.000Z' }],
        [{ region: '440300', level: 'high' }],
        { areas: [] },
      ]) {
        const res = await app.inject({
          method: 'PUT',
          url: '/api/operator/risk-areas',
          headers: auth.operator,
          payload: wrong as object,
        });
        expect(res.statusCode, JSON.stringify(wrong)).toBe(400);
        expect(res.json()).toMatchObject({ status: 400 });
      }
      // Nothing half-written: the refused lists left the stored one alone.
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([HIGH_SHENZHEN]);

      const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
      const size = await log.size();
      const recent = await Promise.all(
        Array.from({ length: Math.min(size, 40) }, (_, i) => log.entry(size - 1 - i)),
      );
      const replaced = recent.find((e) => e.action === 'risk-areas-replace');
      expect(replaced).toMatchObject({ kind: 'system', actor: 'operator:op', outcome: 'ok' });

      const cleared = await app.inject({
        method: 'PUT',
        url: '/api/operator/risk-areas',
        headers: auth.operator,
        payload: [],
      });
      expect(cleared.statusCode).toBe(200);
      expect(cleared.json()).toEqual([]);
    });

    it('decides a queued review once: 200, then 409; unknown ids 404', async () => {
      const sc = await openSubjectCodes(t.store, instanceVault, { riskAreas: [] });
      const review = await requestReview(sc, other, { actor: 'citizen', role: 'citizen' });
      await sc.finish();
      const url = `/api/operator/reviews/${review.id}/decision`;
      clock.advance(1000); // the decision's re-evaluation is the newest
      const badOutcome = await app.inject({
        method: 'POST',
        url,
        headers: auth.operator,
        payload: { outcome: 'pardon' },
      });
      expect(badOutcome.statusCode).toBe(400);
      const decided = await app.inject({
        method: 'POST',
        url,
        headers: auth.operator,
        payload: { outcome: 'home-observation', note: 'checked by phone' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json()).toMatchObject({
        id: review.id,
        status: 'changed',
        outcome: 'home-observation',
        reviewer: 'operator:op',
      });
      const again = await app.inject({
        method: 'POST',
        url,
        headers: auth.operator,
        payload: { outcome: 'upheld' },
      });
      expect(again.statusCode).toBe(409);
      const missing = await app.inject({
        method: 'POST',
        url: '/api/operator/reviews/rv_nosuchreview/decision',
        headers: auth.operator,
        payload: { outcome: 'upheld' },
      });
      expect(missing.statusCode).toBe(404);
      const explain = await app.inject({ url: '/api/citizen/code/explain', headers: auth.other });
      expect(
        explain.json<Answer & { reasons: Array<{ rule: string }> }>().reasons.map((r) => r.rule),
      ).toContain('order.home-observation');
    });
  });
}
