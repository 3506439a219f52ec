// SPDX-License-Identifier: Apache-2.0
/**
 * @module The offline verifier's reasons at their edges: every verdict with its window, each
 * time bound at the exact second, the key window, the header and claims checks of both claim
 * readers (our exact layout and the general strict one), and the revocation name read from a
 * token. Tokens that break the format are signed with the trusted key, so that only the check
 * under test can refuse them (found by the mutation run, docs/mutation-testing.md).
 */
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { signWith } from './algorithms.js';
import { encodeBase45 } from './base45.js';
import { encodeSign1, sigStructure } from './cose.js';
import { deflate } from './inflate.js';
import { MemoryIssuer } from './memory-issuer.js';
import { TOKEN_PREFIX, encodeClaims, type TokenSigner } from './token.js';
import type { TrustList, TrustedKey } from './trust-list.js';
import { tokenHashOfToken, verifyToken } from './verify.js';

const T0 = '2026-12-01T00:00:00Z';
/** The issuing second of every token here. */
const IAT = Date.parse(T0) / 1000;
const EXP = IAT + 900;
const WINDOW = { validFrom: '2026-12-01T00:00:00.000Z', validUntil: '2026-12-01T00:15:00.000Z' };

const atSecond = (s: number) => new Date(s * 1000);

function setup(alg: 'EdDSA' | 'ES256' | 'PS256' = 'EdDSA') {
  const issuer = new MemoryIssuer({
    issuer: 'hc.example/sh',
    clock: new FixedClock(T0),
    random: systemRandom,
    alg,
  });
  const token = issuer.issue({
    colour: 'green',
    validUntil: atSecond(EXP),
    maskedName: '王*',
    ruleSet: 'default@1',
  });
  return { issuer, token, bundle: issuer.trustBundle() };
}

/** A COSE_Sign1 token over any payload and protected header, signed with `signer`'s key. */
function signed(
  signer: TokenSigner,
  payload: Uint8Array,
  protectedBytes: Uint8Array = signer.protectedBytes,
): string {
  const signature = signWith(signer.alg, signer.privateKey, sigStructure(protectedBytes, payload));
  return TOKEN_PREFIX + encodeBase45(encodeSign1(protectedBytes, payload, signature));
}

interface ClaimFields {
  iss: unknown;
  exp: unknown;
  iat: unknown;
  cti: unknown;
  hc: unknown;
  extra?: unknown;
}

const goodFields = (issuer: string): ClaimFields => ({
  iss: issuer,
  exp: EXP,
  iat: IAT,
  cti: new Uint8Array(16).fill(3),
  hc: new Map<number, unknown>([
    [1, 'green'],
    [2, '王*'],
    [3, 'default@1'],
  ]),
});

/**
 * The claims as CBOR: `canonical` is the exact layout our issuer writes (the verifier's fast
 * reader takes it); `shuffled` puts `exp` first, which only the general reader accepts.
 */
function claimsCbor(f: ClaimFields, order: 'canonical' | 'shuffled'): Uint8Array {
  const entries: [number, unknown][] = [
    [4, f.exp],
    [1, f.iss],
    [6, f.iat],
    [7, f.cti],
    [-65537, f.hc],
  ];
  if (f.extra !== undefined) {
    entries.push([2, f.extra]);
  }
  const m = new Map(entries.filter(([, v]) => v !== undefined));
  return order === 'canonical' ? encode(m) : encode(m, { mapSorter: () => 0 });
}

function hcMap(colour: unknown, maskedName: unknown, ruleSet: unknown): Map<number, unknown> {
  return new Map([
    [1, colour],
    [2, maskedName],
    [3, ruleSet],
  ]);
}

function withKey(list: TrustList, change: Partial<TrustedKey>): TrustList {
  const [[kid, key]] = [...list.keys];
  return { ...list, keys: new Map([[kid, { ...key, ...change }]]) };
}

describe('verdicts carry the token window', () => {
  it('on revocation, expiry, an early scan and a stale trust list', () => {
    const { issuer, token, bundle } = setup();
    expect(verifyToken(token.text, { ...bundle, at: atSecond(EXP) })).toEqual({
      ok: false,
      reason: 'expired',
      ...WINDOW,
    });
    expect(verifyToken(token.text, { ...bundle, at: atSecond(IAT - 61) })).toEqual({
      ok: false,
      reason: 'not-yet-valid',
      ...WINDOW,
    });
    const stale = bundle.trustList.expiresAt;
    expect(verifyToken(token.text, { ...bundle, at: atSecond(stale) })).toEqual({
      ok: false,
      reason: 'trust-list-expired',
      ...WINDOW,
    });
    issuer.revokeToken(token.tokenHash);
    expect(verifyToken(token.text, { ...issuer.trustBundle(), at: atSecond(IAT) })).toEqual({
      ok: false,
      reason: 'revoked',
      ...WINDOW,
    });
  });
});

describe('time bounds, to the second', () => {
  it('tolerates 60 seconds of issuer clock lead by default, and what is configured', () => {
    const { token, bundle } = setup();
    expect(verifyToken(token.text, { ...bundle, at: atSecond(IAT - 60) }).reason).toBe('ok');
    expect(verifyToken(token.text, { ...bundle, at: atSecond(IAT - 61) }).reason).toBe(
      'not-yet-valid',
    );
    const strict = { ...bundle, skewSeconds: 0 };
    expect(verifyToken(token.text, { ...strict, at: atSecond(IAT) }).reason).toBe('ok');
    expect(verifyToken(token.text, { ...strict, at: atSecond(IAT - 1) }).reason).toBe(
      'not-yet-valid',
    );
  });

  it('is valid until the last second before exp', () => {
    const { token, bundle } = setup();
    expect(verifyToken(token.text, { ...bundle, at: atSecond(EXP - 1) })).toEqual({
      ok: true,
      reason: 'ok',
      colour: 'green',
      ...WINDOW,
      maskedName: '王*',
    });
    expect(verifyToken(token.text, { ...bundle, at: atSecond(EXP) }).reason).toBe('expired');
  });

  it('judges the trust list stale from its expiry second on', () => {
    const { token, bundle } = setup();
    const expiresAt = IAT + 1000;
    const list = { ...bundle.trustList, expiresAt };
    // The token has expired by then; the list is checked first.
    expect(verifyToken(token.text, { trustList: list, at: atSecond(expiresAt - 1) }).reason).toBe(
      'expired',
    );
    expect(verifyToken(token.text, { trustList: list, at: atSecond(expiresAt) }).reason).toBe(
      'trust-list-expired',
    );
  });

  it("refuses a token issued outside its key's window or expiring after the key's verify-until", () => {
    const { token, bundle } = setup();
    const verdict = (change: Partial<TrustedKey>, skewSeconds?: number) =>
      verifyToken(token.text, {
        trustList: withKey(bundle.trustList, change),
        at: atSecond(IAT),
        ...(skewSeconds === undefined ? {} : { skewSeconds }),
      });
    const keyExpired = { ok: false, reason: 'key-expired', ...WINDOW };
    expect(verdict({ notBefore: IAT + 60 }).reason).toBe('ok');
    expect(verdict({ notBefore: IAT + 61 })).toEqual(keyExpired);
    expect(verdict({ notBefore: IAT + 1 }, 0)).toEqual(keyExpired);
    expect(verdict({ notAfter: IAT - 60 }).reason).toBe('ok');
    expect(verdict({ notAfter: IAT - 61 })).toEqual(keyExpired);
    expect(verdict({ notAfter: IAT - 1 }, 0)).toEqual(keyExpired);
    expect(verdict({ verifyUntil: EXP }).reason).toBe('ok');
    expect(verdict({ verifyUntil: EXP - 1 })).toEqual(keyExpired);
  });
});

describe('protected header', () => {
  it('refuses a key id that is not 8 bytes, before looking for the key', () => {
    const { issuer, bundle } = setup();
    const payload = claimsCbor(goodFields(issuer.issuer), 'canonical');
    const kid = Buffer.from(issuer.signer.kid, 'hex');
    const header = (k: unknown) =>
      encode(
        new Map<number, unknown>([
          [1, -8],
          [4, k],
        ]),
      );
    const at = atSecond(IAT);
    expect(verifyToken(signed(issuer.signer, payload, header(kid)), { ...bundle, at }).reason).toBe(
      'ok',
    );
    for (const k of [kid.subarray(0, 7), Buffer.concat([kid, Buffer.of(0)]), kid.toString('hex')]) {
      expect(verifyToken(signed(issuer.signer, payload, header(k)), { ...bundle, at })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses an algorithm it does not support, whether or not it knows the key', () => {
    const { issuer, bundle } = setup();
    const payload = claimsCbor(goodFields(issuer.issuer), 'canonical');
    const at = atSecond(IAT);
    for (const kid of [Buffer.from(issuer.signer.kid, 'hex'), Buffer.alloc(8, 1)]) {
      // -257 is RS256, which our tokens never use.
      const header = encode(
        new Map<number, unknown>([
          [1, -257],
          [4, kid],
        ]),
      );
      expect(verifyToken(signed(issuer.signer, payload, header), { ...bundle, at })).toEqual({
        ok: false,
        reason: 'unsupported-algorithm',
      });
    }
  });

  it('verifies ES256 tokens, and refuses one whose key id names an EdDSA key', () => {
    const es = setup('ES256');
    expect(verifyToken(es.token.text, { ...es.bundle, at: atSecond(IAT) }).reason).toBe('ok');
    const ed = setup('EdDSA');
    const [[, edKey]] = [...ed.bundle.trustList.keys];
    const esKid = es.issuer.signer.kid;
    const misfiled: TrustList = {
      ...ed.bundle.trustList,
      keys: new Map([[esKid, { ...edKey, kid: esKid }]]),
    };
    expect(verifyToken(es.token.text, { trustList: misfiled, at: atSecond(IAT) })).toEqual({
      ok: false,
      reason: 'unsupported-algorithm',
    });
  });
});

describe('claims, through both readers', () => {
  for (const order of ['canonical', 'shuffled'] as const) {
    describe(`${order} layout`, () => {
      it('accepts well-formed claims, names at their longest', () => {
        const { issuer, bundle } = setup();
        const at = atSecond(IAT);
        const base = goodFields(issuer.issuer);
        const text = signed(issuer.signer, claimsCbor(base, order));
        expect(verifyToken(text, { ...bundle, at })).toEqual({
          ok: true,
          reason: 'ok',
          colour: 'green',
          ...WINDOW,
          maskedName: '王*',
        });
        const longest = claimsCbor(
          { ...base, hc: hcMap('red', 'n'.repeat(32), 'r'.repeat(64)) },
          order,
        );
        expect(verifyToken(signed(issuer.signer, longest), { ...bundle, at })).toMatchObject({
          ok: true,
          colour: 'red',
          maskedName: 'n'.repeat(32),
        });
      });

      it('refuses a well-signed token naming another issuer as unknown-key', () => {
        const { issuer, bundle } = setup();
        const payload = claimsCbor({ ...goodFields(issuer.issuer), iss: 'hc.example/bj' }, order);
        expect(
          verifyToken(signed(issuer.signer, payload), { ...bundle, at: atSecond(IAT) }),
        ).toEqual({ ok: false, reason: 'unknown-key' });
      });

      it.each<[string, (f: ClaimFields) => ClaimFields]>([
        ['without cti', (f) => ({ ...f, cti: undefined })],
        ['with a sixth claim', (f) => ({ ...f, extra: 'sub' })],
        ['a numeric issuer', (f) => ({ ...f, iss: 42 })],
        ['a fractional iat', (f) => ({ ...f, iat: IAT + 0.5 })],
        ['a fractional exp', (f) => ({ ...f, exp: EXP + 0.5 })],
        ['a text exp', (f) => ({ ...f, exp: String(EXP) })],
        ['a 15-byte cti', (f) => ({ ...f, cti: new Uint8Array(15) })],
        ['a 17-byte cti', (f) => ({ ...f, cti: new Uint8Array(17) })],
        ['a text cti', (f) => ({ ...f, cti: 'c'.repeat(16) })],
        ['an hc array', (f) => ({ ...f, hc: ['green', '王*', 'default@1'] })],
        [
          'an hc of two entries',
          (f) => ({
            ...f,
            hc: new Map([
              [1, 'green'],
              [2, '王*'],
            ]),
          }),
        ],
        [
          'an hc of four entries',
          (f) => ({ ...f, hc: new Map([...hcMap('green', '王*', 'default@1'), [4, 'x']]) }),
        ],
        ['an unknown colour', (f) => ({ ...f, hc: hcMap('purple', '王*', 'default@1') })],
        ['a numeric masked name', (f) => ({ ...f, hc: hcMap('green', 7, 'default@1') })],
        ['a numeric rule set', (f) => ({ ...f, hc: hcMap('green', '王*', 1) })],
        ['exp equal to iat', (f) => ({ ...f, exp: IAT })],
        ['exp before iat', (f) => ({ ...f, exp: IAT - 1 })],
        [
          'a 33-character masked name',
          (f) => ({ ...f, hc: hcMap('green', 'n'.repeat(33), 'd@1') }),
        ],
        ['a 65-character rule set', (f) => ({ ...f, hc: hcMap('green', '王*', 'r'.repeat(65)) })],
      ])('refuses well-signed claims with %s as malformed', (_label, change) => {
        const { issuer, bundle } = setup();
        const payload = claimsCbor(change(goodFields(issuer.issuer)), order);
        expect(
          verifyToken(signed(issuer.signer, payload), { ...bundle, at: atSecond(IAT) }),
        ).toEqual({ ok: false, reason: 'malformed' });
      });
    });
  }

  it('reads claims whose numbers need 1, 2 and 4-byte heads, and refuses longer heads than needed', () => {
    const { issuer, bundle } = setup();
    const claims = (iat: number, exp: number) =>
      encodeClaims({
        issuer: issuer.issuer,
        issuedAt: iat,
        expiresAt: exp,
        cti: new Uint8Array(16),
        colour: 'yellow',
        maskedName: '李*',
        ruleSet: 'd@1',
      });
    const verdict = (payload: Uint8Array, at: number) =>
      verifyToken(signed(issuer.signer, payload), {
        trustList: withKey(bundle.trustList, { notBefore: 0, notAfter: IAT }),
        at: atSecond(at),
      });
    // iat 5 (in the head), exp 30 (1 byte), 300 (2 bytes), 70000 (4 bytes).
    for (const exp of [30, 300, 70_000]) {
      expect(verdict(claims(5, exp), 5)).toMatchObject({
        ok: true,
        colour: 'yellow',
        validUntil: new Date(exp * 1000).toISOString(),
      });
    }
    // exp 30 written with a 2-byte head (19 00 1e) instead of one (18 1e): not shortest.
    const short = Buffer.from(claims(5, 30));
    const at = short.indexOf(Buffer.of(0x04, 0x18, 0x1e));
    const long = Buffer.concat([
      short.subarray(0, at + 1),
      Buffer.of(0x19, 0x00, 0x1e),
      short.subarray(at + 3),
    ]);
    expect(verdict(long, 5)).toEqual({ ok: false, reason: 'malformed' });
    // exp 300 written with a 4-byte head.
    const mid = Buffer.from(claims(5, 300));
    const at2 = mid.indexOf(Buffer.of(0x04, 0x19, 0x01, 0x2c));
    const wide = Buffer.concat([
      mid.subarray(0, at2 + 1),
      Buffer.of(0x1a, 0x00, 0x00, 0x01, 0x2c),
      mid.subarray(at2 + 4),
    ]);
    expect(verdict(wide, 5)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses claims with bytes after them, or cut short', () => {
    const { issuer, bundle } = setup();
    const payload = Buffer.from(claimsCbor(goodFields(issuer.issuer), 'canonical'));
    const at = atSecond(IAT);
    for (const bad of [Buffer.concat([payload, Buffer.of(0)]), payload.subarray(0, -1)]) {
      expect(verifyToken(signed(issuer.signer, bad), { ...bundle, at })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });
});

describe('the text', () => {
  it('refuses another prefix in front of a valid body, and what is not a string', () => {
    const { token, bundle } = setup();
    const at = atSecond(IAT);
    expect(verifyToken('HCN2:' + token.text.slice(5), { ...bundle, at })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyToken(42 as unknown as string, { ...bundle, at })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('reads a token of 2,048 characters, whose signed bytes outgrow the scratch buffer, and no longer', () => {
    const { issuer, bundle } = setup();
    /** A validly signed token naming an issuer of `n` characters (the key says the same). */
    const long = (n: number) => {
      const name = 'i'.repeat(n);
      const text = signed(issuer.signer, claimsCbor({ ...goodFields(name) }, 'canonical'));
      return { text, trustList: withKey(bundle.trustList, { issuer: name }) };
    };
    const ofLength = (chars: number) => {
      for (let n = 1200; n < 1400; n++) {
        const t = long(n);
        if (t.text.length === chars) {
          return t;
        }
      }
      throw new Error(`no token of ${chars} characters`);
    };
    const at = atSecond(IAT);
    const longest = ofLength(2048);
    expect(verifyToken(longest.text, { trustList: longest.trustList, at })).toMatchObject({
      ok: true,
      reason: 'ok',
    });
    // Base45 takes two bytes to three characters: the next length is 2,050.
    const over = ofLength(2050);
    expect(verifyToken(over.text, { trustList: over.trustList, at })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(tokenHashOfToken(longest.text)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHashOfToken(over.text)).toBeUndefined();
  });
});

describe('the bytes to be signed', () => {
  it('are built right on either side of the scratch buffer (1,024 bytes)', () => {
    const { issuer, bundle } = setup();
    /** A validly signed token whose Sig_structure is `size` bytes long. */
    const ofSize = (size: number) => {
      for (let n = 900; n < 1100; n++) {
        const name = 'i'.repeat(n);
        const payload = claimsCbor(goodFields(name), 'canonical');
        if (sigStructure(issuer.signer.protectedBytes, payload).length === size) {
          const text = signed(issuer.signer, payload);
          return { text, trustList: withKey(bundle.trustList, { issuer: name }) };
        }
      }
      throw new Error(`no token of ${size} bytes to sign`);
    };
    for (const size of [1020, 1023, 1024, 1025, 1026, 1030, 1060]) {
      const t = ofSize(size);
      expect(verifyToken(t.text, { trustList: t.trustList, at: atSecond(IAT) }).reason).toBe('ok');
    }
  });
});

describe('compressed tokens', () => {
  it('verifies a valid zlib-compressed token and refuses one that does not inflate cleanly', () => {
    const { issuer, bundle } = setup();
    const payload = claimsCbor(goodFields(issuer.issuer), 'canonical');
    const sig = signWith(
      issuer.signer.alg,
      issuer.signer.privateKey,
      sigStructure(issuer.signer.protectedBytes, payload),
    );
    const message = encodeSign1(issuer.signer.protectedBytes, payload, sig);
    const packed = deflate(message);
    const at = atSecond(IAT);
    expect(verifyToken(TOKEN_PREFIX + encodeBase45(packed), { ...bundle, at }).reason).toBe('ok');
    const trailing = Buffer.concat([packed, Buffer.of(0)]);
    expect(verifyToken(TOKEN_PREFIX + encodeBase45(trailing), { ...bundle, at }).reason).toBe(
      'malformed',
    );
  });
});

describe('the revocation name read from a token', () => {
  it.each(['EdDSA', 'ES256', 'PS256'] as const)('is the issued token hash (%s)', (alg) => {
    const { token } = setup(alg);
    expect(tokenHashOfToken(token.text)).toBe(token.tokenHash);
  });

  it('is the same for a compressed copy, and needs no valid signature', () => {
    const { issuer, token } = setup();
    const payload = claimsCbor(goodFields(issuer.issuer), 'canonical');
    const sig = Buffer.alloc(64, 5);
    const forged = encodeSign1(issuer.signer.protectedBytes, payload, sig);
    const plain = tokenHashOfToken(TOKEN_PREFIX + encodeBase45(forged));
    expect(plain).toMatch(/^[0-9a-f]{64}$/);
    expect(plain).not.toBe(token.tokenHash);
    expect(tokenHashOfToken(TOKEN_PREFIX + encodeBase45(deflate(forged)))).toBe(plain);
  });

  it('is undefined for what is not a readable token', () => {
    const { issuer, token } = setup();
    const payload = claimsCbor(goodFields(issuer.issuer), 'canonical');
    const rs256 = encode(
      new Map<number, unknown>([
        [1, -257],
        [4, Buffer.alloc(8)],
      ]),
    );
    const unknownAlg = encodeSign1(rs256, payload, Buffer.alloc(64));
    for (const text of [
      'HC1:' + token.text.slice(5),
      token.text + 'A'.repeat(3000),
      'HCN1:' + '~~~',
      'HCN1:',
      TOKEN_PREFIX + encodeBase45(Buffer.concat([Buffer.of(0x78, 0x9c), Buffer.alloc(30, 7)])),
      TOKEN_PREFIX + encodeBase45(Buffer.from('not cbor')),
      TOKEN_PREFIX + encodeBase45(unknownAlg),
    ]) {
      expect(tokenHashOfToken(text)).toBeUndefined();
    }
    expect(tokenHashOfToken(42 as unknown as string)).toBeUndefined();
  });
});
