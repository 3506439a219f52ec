// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { decode } from 'cborg';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { decodeBase45, encodeBase45 } from './base45.js';
import { CborTag } from './cbor.js';
import { MemoryIssuer } from './memory-issuer.js';
import { parseTrustList } from './trust-list.js';
import { TOKEN_PREFIX } from './token.js';
import { verifyToken } from './verify.js';
import { deflate } from './inflate.js';

const T0 = '2026-12-01T08:00:00+08:00';
const endOfDay = new Date('2026-12-02T00:00:00+08:00');

function setup(alg: 'EdDSA' | 'ES256' | 'PS256' = 'EdDSA') {
  const clock = new FixedClock(T0);
  const issuer = new MemoryIssuer({ issuer: 'hc.example/sh', clock, random: systemRandom, alg });
  const issue = (colour: 'green' | 'yellow' | 'red' | 'gray' = 'green', name = '张*') =>
    issuer.issue({ colour, validUntil: endOfDay, maskedName: name, ruleSet: 'default@1' });
  return { clock, issuer, issue };
}

const later = (minutes: number) => new Date(new Date(T0).getTime() + minutes * 60_000);

function bytesOf(text: string): Uint8Array {
  return decodeBase45(text.slice(TOKEN_PREFIX.length));
}

function withBytes(b: Uint8Array): string {
  return TOKEN_PREFIX + encodeBase45(b);
}

describe('offline verification of our tokens', () => {
  it.each(['EdDSA', 'ES256', 'PS256'] as const)('issues and verifies with %s', (alg) => {
    const { issuer, issue } = setup(alg);
    const t = issue('yellow');
    const v = verifyToken(t.text, { ...issuer.trustBundle(), at: later(1) });
    expect(v).toEqual({
      ok: true,
      reason: 'ok',
      colour: 'yellow',
      validFrom: '2026-12-01T00:00:00.000Z',
      validUntil: '2026-12-01T00:15:00.000Z',
      maskedName: '张*',
    });
  });

  it('discloses nothing beyond colour, window and masked name', () => {
    const { issuer, issue } = setup();
    const v = verifyToken(issue().text, { ...issuer.trustBundle(), at: later(1) });
    expect(Object.keys(v).sort()).toEqual(
      ['colour', 'maskedName', 'ok', 'reason', 'validFrom', 'validUntil'].sort(),
    );
  });

  it('uses a prefix of its own and a QR-alphanumeric body', () => {
    const { issue } = setup();
    const t = issue();
    expect(t.text.startsWith('HCN1:')).toBe(true);
    expect(t.text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    expect(t.text.length).toBeLessThan(320);
  });

  it('caps the token at the colour validity end', () => {
    const { issuer, clock } = setup();
    clock.set('2026-12-01T23:55:00+08:00');
    const t = issuer.issue({
      colour: 'green',
      validUntil: endOfDay,
      maskedName: '李*',
      ruleSet: 'd@1',
    });
    expect(t.expiresAt).toBe('2026-12-01T16:00:00.000Z');
    expect(() =>
      issuer.issue({
        colour: 'green',
        validUntil: new Date(T0),
        maskedName: '李*',
        ruleSet: 'd@1',
      }),
    ).toThrow(RangeError);
  });

  it('expires, and is not valid before its issue time', () => {
    const { issuer, issue } = setup();
    const t = issue();
    const bundle = issuer.trustBundle();
    expect(verifyToken(t.text, { ...bundle, at: later(15) }).reason).toBe('expired');
    expect(verifyToken(t.text, { ...bundle, at: later(-5) }).reason).toBe('not-yet-valid');
    expect(verifyToken(t.text, { ...bundle, at: later(-0.5) }).reason).toBe('ok');
    const expired = verifyToken(t.text, { ...bundle, at: later(20) });
    expect(expired.colour).toBeUndefined();
    expect(expired.validUntil).toBe('2026-12-01T00:15:00.000Z');
  });

  it('refuses a token whose signature was changed', () => {
    const { issuer, issue } = setup();
    const bytes = bytesOf(issue().text);
    bytes[bytes.length - 1] ^= 1;
    expect(verifyToken(withBytes(bytes), { ...issuer.trustBundle(), at: later(1) }).reason).toBe(
      'bad-signature',
    );
  });

  it('refuses keys it does not trust, and keys used with the wrong algorithm', () => {
    const a = setup();
    const b = setup();
    expect(verifyToken(a.issue().text, { ...b.issuer.trustBundle(), at: later(1) }).reason).toBe(
      'unknown-key',
    );
    // Rewrite the protected header's alg from EdDSA (-8) to ES256 (-7): the key refuses it.
    const bytes = bytesOf(a.issue().text);
    const i = Buffer.from(bytes).indexOf(Buffer.from([0x01, 0x27, 0x04, 0x48]));
    bytes[i + 1] = 0x26;
    expect(verifyToken(withBytes(bytes), { ...a.issuer.trustBundle(), at: later(1) }).reason).toBe(
      'unsupported-algorithm',
    );
  });

  it('keeps old tokens valid after a key rotation until they expire', () => {
    const { issuer, issue, clock } = setup();
    const old = issue();
    clock.advance(60_000);
    issuer.rotate();
    const fresh = issue();
    const bundle = issuer.trustBundle();
    expect(bundle.trustList.keys.size).toBe(2);
    expect(verifyToken(old.text, { ...bundle, at: later(5) }).reason).toBe('ok');
    expect(verifyToken(fresh.text, { ...bundle, at: later(5) }).reason).toBe('ok');
    expect(verifyToken(old.text, { ...bundle, at: later(16) }).reason).toBe('expired');
  });

  it('fails revoked tokens and tokens of revoked keys with `revoked`', () => {
    const { issuer, issue } = setup();
    const a = issue();
    const b = issue();
    issuer.revokeToken(a.tokenHash);
    let bundle = issuer.trustBundle();
    expect(verifyToken(a.text, { ...bundle, at: later(1) }).reason).toBe('revoked');
    expect(verifyToken(b.text, { ...bundle, at: later(1) }).reason).toBe('ok');
    issuer.revokeKey(issuer.signer.kid);
    bundle = issuer.trustBundle();
    expect(verifyToken(b.text, { ...bundle, at: later(1) }).reason).toBe('revoked');
  });

  it('publishes revocations that name nobody and differ at every publication', () => {
    const { issuer, issue } = setup();
    const t = issue();
    issuer.revokeToken(t.tokenHash);
    const one = issuer.trustListText();
    const two = issuer.trustListText();
    const entries = (text: string) => [...parseTrustList(text).revocations.tokens];
    expect(entries(one)).toHaveLength(1);
    expect(entries(one)[0]).not.toEqual(entries(two)[0]);
    expect(one).not.toContain(t.tokenHash);
    expect(Buffer.from(entries(one)[0], 'base64')).toHaveLength(16);
  });

  it('lets no two tokens of one person share an identifier', () => {
    const { issue } = setup();
    const claimsOf = (text: string) => {
      const sign1 = decode(bytesOf(text), {
        useMaps: true,
        tags: { 18: (d: () => unknown) => new CborTag(18, d()) },
      }) as CborTag;
      const [, , payload] = sign1.value as Uint8Array[];
      return decode(payload, { useMaps: true }) as Map<number, unknown>;
    };
    const a1 = claimsOf(issue('green', '张*').text);
    const a2 = claimsOf(issue('green', '张*').text);
    const b = claimsOf(issue('green', '张*').text); // another person, same surname and colour
    expect(a1.get(7)).not.toEqual(a2.get(7));
    const withoutCti = (m: Map<number, unknown>) => [...m].filter(([k]) => k !== 7);
    // Everything but the random cti is identical across the two people as well.
    expect(withoutCti(a1)).toEqual(withoutCti(b));
    expect(withoutCti(a1)).toEqual(withoutCti(a2));
    expect([...a1.keys()].sort()).toEqual([-65537, 1, 4, 6, 7].sort());
  });

  it('judges trust-list freshness at the verification time', () => {
    const { issuer, issue } = setup();
    const t = issue();
    const bundle = issuer.trustBundle();
    expect(verifyToken(t.text, { ...bundle, at: later(8 * 24 * 60) }).reason).toBe(
      'trust-list-expired',
    );
  });

  it.each([
    ['the EU prefix', (t: string) => 'HC1:' + t.slice(5)],
    ['lower case', (t: string) => t.toLowerCase()],
    ['a trailing space', (t: string) => t + ' '],
    ['a truncated body', (t: string) => t.slice(0, -3)],
    ['an oversized text', (t: string) => t + 'A'.repeat(3000)],
    ['an empty body', () => 'HCN1:'],
    ['an untagged message', (t: string) => withBytes(bytesOf(t).subarray(1))],
    [
      'the CWT tag added',
      (t: string) => withBytes(Buffer.concat([Buffer.of(0xd8, 0x3d), bytesOf(t)])),
    ],
    ['a zlib bomb', () => withBytes(deflate(new Uint8Array(1_000_000)))],
    [
      'compressed garbage',
      () => withBytes(Buffer.concat([Buffer.of(0x78, 0x9c), Buffer.alloc(30, 7)])),
    ],
  ])('refuses %s as malformed', (_label, mutate) => {
    const { issuer, issue } = setup();
    const v = verifyToken(mutate(issue().text), { ...issuer.trustBundle(), at: later(1) });
    expect(v.ok).toBe(false);
    expect(['malformed']).toContain(v.reason);
  });

  it('refuses an unprotected header it did not write', () => {
    const { issuer, issue } = setup();
    const bytes = Buffer.from(bytesOf(issue().text));
    const at = bytes.indexOf(0xa0, 10); // the empty unprotected map after the protected bstr
    const mutated = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.of(0xa1, 0x04, 0x41, 0x00),
      bytes.subarray(at + 1),
    ]);
    expect(verifyToken(withBytes(mutated), { ...issuer.trustBundle(), at: later(1) }).reason).toBe(
      'malformed',
    );
  });
});

describe('claims encoding', () => {
  it('writes exactly the deterministic CBOR a generic encoder produces', async () => {
    const { encode } = await import('cborg');
    const { encodeClaims } = await import('./token.js');
    const c = {
      issuer: 'healthcode.local/instance',
      issuedAt: 1_796_000_000,
      expiresAt: 1_796_000_900,
      cti: new Uint8Array(16).fill(7),
      colour: 'gray' as const,
      maskedName: '欧阳**',
      ruleSet: 'default@1',
    };
    const generic = encode(
      new Map<number, unknown>([
        [1, c.issuer],
        [4, c.expiresAt],
        [6, c.issuedAt],
        [7, c.cti],
        [
          -65537,
          new Map<number, unknown>([
            [1, c.colour],
            [2, c.maskedName],
            [3, c.ruleSet],
          ]),
        ],
      ]),
    );
    expect(Buffer.from(encodeClaims(c)).toString('hex')).toBe(Buffer.from(generic).toString('hex'));
  });
});
