// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 7 — verification minimisation: the verify (验码) response holds only colour,
 * validity window and a masked identity (surname + `*`); no address, history or raw ID — neither
 * in the verdict nor anywhere in the token or the trust list a verifier holds (PIPL art. 6).
 */
import { describe, expect, it } from 'vitest';
import { decode } from 'cborg';
import { FixedClock, systemRandom } from '../../src/kernel/shared/index.js';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import {
  CodesService,
  decodeBase45,
  parseTrustList,
  verifyToken,
  type ColourInputs,
} from '../../src/services/codes/index.js';

const wrapper = () => {
  const key = randomBytes(32);
  return {
    wrap: (s: Uint8Array, ctx: string) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(ctx));
      return Promise.resolve(Buffer.concat([iv, c.update(s), c.final(), c.getAuthTag()]));
    },
    unwrap: (w: Uint8Array, ctx: string) => {
      const b = Buffer.from(w);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12)).setAAD(Buffer.from(ctx));
      d.setAuthTag(b.subarray(-16));
      return Promise.resolve(Buffer.concat([d.update(b.subarray(12, -16)), d.final()]));
    },
  };
};

const NAME = '司马相如';
const inputs: ColourInputs = {
  tests: [
    {
      kind: 'nucleic-acid',
      result: 'negative',
      sampledAt: '2026-11-30T08:00:00+08:00',
      resultAt: '2026-11-30T20:00:00+08:00',
    },
  ],
  declarations: [{ at: '2026-12-01T07:00:00+08:00', temperatureC: 36.7, symptoms: [] }],
  itinerary: [
    { region: '440305', from: '2026-11-25T08:00:00+08:00', to: '2026-11-26T08:00:00+08:00' },
  ],
  riskAreas: [{ region: '440300', level: 'medium', from: '2026-11-01T00:00:00+08:00', to: null }],
  orders: [],
};

for (const dialect of DIALECTS) {
  describe(`req. 7: verification minimisation (${dialect})`, () => {
    it('discloses only colour, window and masked name; the token carries no history, place or ID', async () => {
      const clock = new FixedClock('2026-12-01T08:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      try {
        const svc = new CodesService({
          db: t.store.db.kysely,
          wrapper: wrapper(),
          clock,
          random: systemRandom,
          issuer: 'hc.example/req7',
          timeZone: 'Asia/Shanghai',
        });
        const { token, decision } = await svc.issueFromInputs({ name: NAME, inputs });
        expect(decision.colour).toBe('yellow'); // the medium-risk stay fired
        const trust = await svc.trustListText();
        const v = verifyToken(token.text, {
          ...parseTrustList(trust),
          at: new Date('2026-12-01T08:01:00+08:00'),
        });
        expect(Object.keys(v).sort()).toEqual([
          'colour',
          'maskedName',
          'ok',
          'reason',
          'validFrom',
          'validUntil',
        ]);
        expect(v.maskedName).toBe('司马**');

        // Everything inside the token, decoded: only issuer, times, random id, colour, masked name, rule set.
        const sign1 = decode(decodeBase45(token.text.slice(5)), {
          useMaps: true,
          tags: { 18: (d: () => unknown) => d() },
        }) as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
        const claims = decode(sign1[2], { useMaps: true }) as Map<number, unknown>;
        const dump = JSON.stringify(
          [...claims].map(([k, x]) => [
            k,
            x instanceof Map ? [...x] : x instanceof Uint8Array ? 'bytes' : x,
          ]),
        );
        // The trust list as a verifier reads it (body decoded), with its random encodings (keys,
        // key ids, salt, signature) blanked: base64url or hex text can spell any short secret by
        // chance.
        type Keyed = { kid: string; publicKey: string };
        const doc = JSON.parse(trust) as { anchor: Keyed; body: string; signature: string };
        const body = JSON.parse(Buffer.from(doc.body, 'base64url').toString('utf8')) as {
          keys: Keyed[];
          revocations: { salt: string };
        };
        const blank = (k: Keyed) => ({ ...k, kid: '-', publicKey: '-' });
        const trustText = JSON.stringify({
          ...doc,
          anchor: blank(doc.anchor),
          signature: '-',
          body: {
            ...body,
            keys: body.keys.map(blank),
            revocations: { ...body.revocations, salt: '-' },
          },
        });
        expect(body.keys.length).toBeGreaterThan(0);
        for (const secret of [
          '440305',
          '440300',
          '2026-11-30',
          '36.7',
          NAME,
          '相如',
          'negative',
          'medium',
        ]) {
          expect(dump).not.toContain(secret);
          expect(trustText).not.toContain(secret);
        }
        expect([...(claims.get(-65537) as Map<number, unknown>).keys()]).toEqual([1, 2, 3]);
      } finally {
        await t.cleanup();
      }
    });
  });
}
