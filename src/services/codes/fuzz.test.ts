// SPDX-License-Identifier: Apache-2.0
/**
 * Bad input (issue 5): 12,000 mutated tokens — characters of the text, bytes under the Base45
 * layer, and the signature alone — go through the verifier. No exception may escape, and no
 * mutated token may verify as `ok`. A seeded generator keeps failures reproducible.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vendoredPath } from '../../../test/vectors/vendored.js';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from './base45.js';
import { verifyDcc } from './dcc.js';
import { dccSignerFromCertificate } from './dcc-signer.js';
import { MemoryIssuer } from './memory-issuer.js';
import { TOKEN_PREFIX } from './token.js';
import { verifyToken } from './verify.js';

/** xorshift32: small, fast, seeded. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function mutateText(text: string, r: (n: number) => number): string {
  const i = r(text.length);
  switch (r(5)) {
    case 0:
      return text.slice(0, i) + BASE45_ALPHABET[r(45)] + text.slice(i + 1);
    case 1:
      return text.slice(0, i) + text.slice(i + 1);
    case 2:
      return text.slice(0, i) + BASE45_ALPHABET[r(45)] + text.slice(i);
    case 3:
      return text.slice(0, i);
    default:
      return text.slice(0, i) + String.fromCharCode(r(0x3000)) + text.slice(i + 1);
  }
}

function mutateBytes(bytes: Uint8Array, r: (n: number) => number): Uint8Array {
  const b = Buffer.from(bytes);
  const i = r(b.length);
  switch (r(5)) {
    case 0:
      b[i] ^= 1 << r(8);
      return b;
    case 1:
      b[i] = r(256);
      return b;
    case 2:
      return Buffer.concat([b.subarray(0, i), Buffer.of(r(256)), b.subarray(i)]);
    case 3:
      return Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
    default: {
      // A CBOR head rewritten to claim a huge length or an indefinite container.
      const heads = [0x5a, 0x9a, 0xba, 0x9f, 0xbf, 0x1b, 0xd8, 0xf7, 0xff];
      b[i] = heads[r(heads.length)]!;
      return b;
    }
  }
}

describe('fuzzing the verifiers', () => {
  const clock = new FixedClock('2026-12-01T08:00:00+08:00');
  const at = new Date('2026-12-01T08:05:00+08:00');

  it.each(['EdDSA', 'ES256'] as const)(
    'never throws and never accepts a mutated %s token',
    (alg) => {
      const issuer = new MemoryIssuer({
        issuer: 'hc.example/fuzz',
        clock,
        random: systemRandom,
        alg,
      });
      const bundle = issuer.trustBundle();
      const tokens = ['张*', '欧阳**', 'Zhang *'].map(
        (name) =>
          issuer.issue({
            colour: 'green',
            validUntil: new Date('2026-12-02T00:00:00+08:00'),
            maskedName: name,
            ruleSet: 'default@1',
          }).text,
      );
      for (const t of tokens) {
        expect(verifyToken(t, { ...bundle, at }).reason).toBe('ok');
      }
      const r = prng(alg === 'EdDSA' ? 0x5eed : 0xbeef);
      const reasons = new Map<string, number>();
      let runs = 0;
      for (let n = 0; n < 6000; n++) {
        const original = tokens[n % tokens.length];
        let mutated: string;
        const kind = n % 3;
        if (kind === 0) {
          mutated = mutateText(original, r);
        } else {
          const bytes = decodeBase45(original.slice(TOKEN_PREFIX.length));
          if (kind === 1) {
            mutated = TOKEN_PREFIX + encodeBase45(mutateBytes(bytes, r));
          } else {
            // The signature alone: its last 64 bytes.
            const b = Buffer.from(bytes);
            b[b.length - 1 - r(64)] ^= 1 << r(8);
            mutated = TOKEN_PREFIX + encodeBase45(b);
          }
        }
        if (mutated === original) {
          continue;
        }
        runs++;
        let v;
        try {
          v = verifyToken(mutated, { ...bundle, at });
        } catch (err) {
          throw new Error(`verifyToken threw on mutation #${n}`, { cause: err });
        }
        if (v.ok) {
          throw new Error(`mutation #${n} verified as ok: ${mutated}`);
        }
        if (kind === 2) {
          expect(v.reason).toBe('bad-signature');
        }
        reasons.set(v.reason, (reasons.get(v.reason) ?? 0) + 1);
      }
      expect(runs).toBeGreaterThan(5900);
      expect(reasons.get('bad-signature')).toBeGreaterThan(1900);
      expect(reasons.get('malformed')).toBeGreaterThan(1000);
    },
  );

  it('never throws on mutated DCC certificates', () => {
    const dccCase = vendoredPath('dcc', 'common', '2DCode', 'raw', 'CO1.json');
    const c = JSON.parse(readFileSync(dccCase, 'utf8')) as {
      PREFIX: string;
      TESTCTX: { CERTIFICATE: string };
    };
    const signer = dccSignerFromCertificate(c.TESTCTX.CERTIFICATE);
    const dccAt = new Date('2021-05-03T18:00:00Z');
    expect(verifyDcc(c.PREFIX, { signers: signer, at: dccAt }).valid).toBe(true);
    const r = prng(0xdcc);
    for (let n = 0; n < 2000; n++) {
      const mutated = mutateText(c.PREFIX, r);
      if (mutated === c.PREFIX) {
        continue;
      }
      const res = verifyDcc(mutated, { signers: signer, at: dccAt });
      expect(res.valid).toBe(false);
    }
  });
});
