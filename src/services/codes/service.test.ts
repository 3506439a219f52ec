// SPDX-License-Identifier: Apache-2.0
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FixedClock, systemRandom, type KeyWrapper } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { assessColourRules } from '../../../test/support/assessments.js';
import type { ColourDecision, ColourInputs } from './model.js';
import { CodesService } from './service.js';
import { parseTrustList } from './trust-list.js';
import { verifyToken } from './verify.js';

/** A small AES-256-GCM KeyWrapper standing in for the keyring (context bound as AAD). */
function testWrapper(): KeyWrapper & { contexts: string[] } {
  const key = randomBytes(32);
  const contexts: string[] = [];
  return {
    contexts,
    wrap(secret, ctx) {
      contexts.push(ctx);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(ctx));
      return Promise.resolve(Buffer.concat([iv, c.update(secret), c.final(), c.getAuthTag()]));
    },
    unwrap(wrapped, ctx) {
      const w = Buffer.from(wrapped);
      const d = createDecipheriv('aes-256-gcm', key, w.subarray(0, 12)).setAAD(Buffer.from(ctx));
      d.setAuthTag(w.subarray(-16));
      return Promise.resolve(Buffer.concat([d.update(w.subarray(12, -16)), d.final()]));
    },
  };
}

const inputs: ColourInputs = {
  tests: [],
  declarations: [{ at: '2026-12-01T07:00:00+08:00', temperatureC: 36.5 }],
  itinerary: [],
  riskAreas: [],
  orders: [],
};

for (const dialect of DIALECTS) {
  describe(`stored issuer on ${dialect}`, () => {
    it('issues tokens another instance verifies with only the trust list; rotation; revocation', async () => {
      const clock = new FixedClock('2026-12-01T08:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      try {
        const wrapper = testWrapper();
        const svc = new CodesService({
          db: t.store.db.kysely,
          wrapper,
          clock,
          random: systemRandom,
          issuer: 'hc.example/sh',
          timeZone: 'Asia/Shanghai',
        });
        const first = await svc.ensureKeys();
        expect(await svc.ensureKeys()).toEqual(first);
        expect(wrapper.contexts).toEqual([
          `codes:key:${first.anchorKid}`,
          `codes:key:${first.signingKid}`,
        ]);
        const a = await svc.issueFromInputs({ name: '王小明', inputs });
        expect(a.decision.colour).toBe('green');

        // A fresh service object (another process) unwraps the stored keys.
        const again = new CodesService({
          db: t.store.db.kysely,
          wrapper,
          clock,
          random: systemRandom,
          issuer: 'hc.example/sh',
          timeZone: 'Asia/Shanghai',
        });
        clock.advance(60_000);
        const rotated = await again.rotateSigningKey();
        expect(rotated).not.toBe(first.signingKid);
        const b = await again.issueFromInputs({ name: '王小明', inputs });
        await again.revoke(b.token.tokenHash);
        const file = await again.trustListText();

        // The verifier side: only the file.
        const bundle = parseTrustList(file, { anchors: [first.anchorKid] });
        const at = new Date('2026-12-01T08:05:00+08:00');
        expect(verifyToken(a.token.text, { ...bundle, at })).toMatchObject({
          ok: true,
          colour: 'green',
          maskedName: '王**',
        });
        expect(verifyToken(b.token.text, { ...bundle, at }).reason).toBe('revoked');
        expect(file).not.toContain('王');
        expect((await again.rotateIfDue(7)).rotated).toBe(false);
        clock.advance(8 * 86400_000);
        expect((await again.rotateIfDue(7)).rotated).toBe(true);

        // Revoking the current key rotates it away; unknown targets are refused.
        const current = (await again.ensureKeys()).signingKid;
        expect(await again.revoke(current)).toMatchObject({ kind: 'key', added: true });
        expect((await again.ensureKeys()).signingKid).not.toBe(current);
        await expect(again.revoke('0011223344556677')).rejects.toMatchObject({
          code: 'ERR_CODES_REVOCATION_TARGET',
        });
        await expect(again.revoke('nonsense')).rejects.toMatchObject({
          code: 'ERR_CODES_REVOCATION_TARGET',
        });
      } finally {
        await t.cleanup();
      }
    });

    it('issues for a stored subject through the ports and records the decision', async () => {
      const clock = new FixedClock('2026-12-01T08:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      try {
        const svc = new CodesService({
          db: t.store.db.kysely,
          wrapper: testWrapper(),
          clock,
          random: systemRandom,
          issuer: 'hc.example/sh',
          timeZone: 'Asia/Shanghai',
        });
        const recorded: [string, ColourDecision][] = [];
        const out = await svc.issueForSubject('subject-1', {
          source: {
            load: () =>
              Promise.resolve({
                displayName: '欧阳娜娜',
                inputs: {
                  ...inputs,
                  orders: [{ kind: 'quarantine', at: '2026-12-01T06:00:00+08:00' }],
                },
              }),
          },
          decisions: {
            record: (id, d) => {
              recorded.push([id, d]);
              return Promise.resolve();
            },
            latest: () => Promise.resolve(undefined),
          },
        });
        expect(out.decision.colour).toBe('red');
        expect(recorded[0]?.[0]).toBe('subject-1');
        expect(recorded[0]?.[1].fired.map((f) => f.rule)).toEqual(['order.quarantine']);
        expect(out.token.text).not.toContain('subject-1');
      } finally {
        await t.cleanup();
      }
    });
  });
}
