// SPDX-License-Identifier: Apache-2.0
/**
 * @module The verifier's fast claims reader reads exactly the layout our issuer writes and
 * declines everything else. A verdict cannot show which reader decided (the general one agrees),
 * so a fast path that silently stopped working, or read a field wrong, is tested here directly
 * (found by the mutation run, docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { cborHead } from './cose.js';
import { encodeClaims } from './token.js';
import { readCompactClaims } from './verify.js';

const UTF8 = new TextEncoder();
const bytes = (...parts: (Uint8Array | readonly number[])[]) =>
  Buffer.concat(parts.map((p) => Uint8Array.from(p)));
const text = (s: string) => bytes(cborHead(3, UTF8.encode(s).length), UTF8.encode(s));
const uint = (n: number) => cborHead(0, n);

interface Fields {
  readonly issuer: string;
  readonly iat: number;
  readonly exp: number;
  readonly colour: string;
  readonly maskedName: string;
  readonly ruleSet: string;
}

const FIELDS: Fields = {
  issuer: 'hc.example/sh',
  iat: 1_796_083_200,
  exp: 1_796_084_100,
  colour: 'yellow',
  maskedName: '王*',
  ruleSet: 'default@1',
};

/** Our layout, field by field; each part can be replaced by raw bytes to break one thing. */
function layout(f: Fields = FIELDS, raw: Partial<Record<string, Uint8Array>> = {}): Buffer {
  const part = (name: string, fallback: Uint8Array) => raw[name] ?? fallback;
  return bytes(
    part('map', bytes([0xa5, 0x01])),
    part('issuer', text(f.issuer)),
    part('expKey', bytes([0x04])),
    part('exp', uint(f.exp)),
    part('iatKey', bytes([0x06])),
    part('iat', uint(f.iat)),
    part('cti', bytes([0x07, 0x50], new Uint8Array(16).fill(9))),
    part('hc', bytes([0x3a, 0x00, 0x01, 0x00, 0x00, 0xa3, 0x01])),
    part('colour', text(f.colour)),
    part('maskedKey', bytes([0x02])),
    part('masked', text(f.maskedName)),
    part('ruleKey', bytes([0x03])),
    part('rule', text(f.ruleSet)),
  );
}

const claims = (f: Fields) => ({
  issuer: f.issuer,
  iat: f.iat,
  exp: f.exp,
  colour: f.colour,
  maskedName: f.maskedName,
  ruleSet: f.ruleSet,
});

describe('the fast claims reader', () => {
  it('reads what the issuer writes, field by field', () => {
    const written = encodeClaims({
      issuer: FIELDS.issuer,
      issuedAt: FIELDS.iat,
      expiresAt: FIELDS.exp,
      cti: new Uint8Array(16).fill(9),
      colour: 'yellow',
      maskedName: FIELDS.maskedName,
      ruleSet: FIELDS.ruleSet,
    });
    // The test's layout is the issuer's: what follows tests the same bytes.
    expect(Buffer.from(written).equals(layout())).toBe(true);
    expect(readCompactClaims(written)).toEqual(claims(FIELDS));
  });

  it.each([
    ['in the head', 5, 20],
    ['of one byte', 24, 255],
    ['of two bytes', 256, 65_535],
    ['of four bytes', 65_536, 4_294_967_295],
  ])('reads numbers %s', (_label, iat, exp) => {
    const f = { ...FIELDS, iat, exp };
    expect(readCompactClaims(layout(f))).toEqual(claims(f));
  });

  it('reads ASCII and UTF-8 names, at the longest allowed', () => {
    for (const f of [
      { ...FIELDS, issuer: 'x', maskedName: 'n'.repeat(32), ruleSet: 'r'.repeat(64) },
      { ...FIELDS, maskedName: '欧阳**', ruleSet: 'é@2' },
      { ...FIELDS, maskedName: 'a\u007f', colour: 'green' },
      { ...FIELDS, maskedName: '', ruleSet: '', colour: 'gray' },
    ]) {
      expect(readCompactClaims(layout(f))).toEqual(claims(f));
    }
  });

  it.each<[string, Partial<Record<string, Uint8Array>>]>([
    ['another map size', { map: bytes([0xa4, 0x01]) }],
    ['another first key', { map: bytes([0xa5, 0x02]) }],
    ['an issuer that is not text', { issuer: bytes([0x41, 0x61]) }],
    ['an issuer that is a number', { issuer: bytes([0x01]) }],
    ['a missing exp key', { expKey: bytes([0x05]) }],
    ['a negative exp', { exp: bytes([0x20]) }],
    ['an exp head of 8 bytes', { exp: bytes([0x1b], new Uint8Array(8).fill(1)) }],
    // Longer heads than needed, on iat so that exp > iat still holds.
    ['an iat of 16 in a one-byte head', { iat: bytes([0x18, 16]) }],
    ['an iat of 23 in a one-byte head', { iat: bytes([0x18, 23]) }],
    ['an iat of 255 in a two-byte head', { iat: bytes([0x19, 0x00, 0xff]) }],
    ['an iat of 65535 in a four-byte head', { iat: bytes([0x1a, 0, 0, 0xff, 0xff]) }],
    [
      'an exp with an 8-byte head given 4 bytes',
      { exp: bytes([0x1b], uint(FIELDS.exp).subarray(1)) },
    ],
    ['a missing iat key', { iatKey: bytes([0x05]) }],
    ['the exp key left out', { expKey: bytes([]) }],
    ['the iat key left out', { iatKey: bytes([]) }],
    ['the cti key and head left out', { cti: bytes(new Uint8Array(16).fill(9)) }],
    ['the masked-name key left out', { maskedKey: bytes([]) }],
    ['the rule-set key left out', { ruleKey: bytes([]) }],
    ['an iat that is text', { iat: text('1') }],
    ['a missing cti key', { cti: bytes([0x08, 0x50], new Uint8Array(16)) }],
    ['a cti that is not 16 bytes', { cti: bytes([0x07, 0x4f], new Uint8Array(15)) }],
    ['another hc key', { hc: bytes([0x3a, 0x00, 0x01, 0x00, 0x01, 0xa3, 0x01]) }],
    ['an hc map of two', { hc: bytes([0x3a, 0x00, 0x01, 0x00, 0x00, 0xa2, 0x01]) }],
    ['another first hc key', { hc: bytes([0x3a, 0x00, 0x01, 0x00, 0x00, 0xa3, 0x02]) }],
    ['a colour that is not text', { colour: bytes([0x01]) }],
    ['a missing masked-name key', { maskedKey: bytes([0x04]) }],
    ['a masked name that is not text', { masked: bytes([0x41, 0x61]) }],
    ['a missing rule-set key', { ruleKey: bytes([0x04]) }],
    ['a rule set that is not text', { rule: bytes([0x01]) }],
    ['a rule set longer than the bytes', { rule: bytes([0x69, 0x61]) }],
    ['a byte after the claims', { rule: bytes(text('d@1'), [0x00]) }],
    ['a masked name of invalid UTF-8', { masked: bytes([0x62, 0x61, 0xff]) }],
    ['a masked name of a lone continuation byte', { masked: bytes([0x61, 0x80]) }],
  ])('declines %s', (_label, raw) => {
    expect(readCompactClaims(layout(FIELDS, raw))).toBeUndefined();
  });

  it('declines an unknown colour, a window that ends before it starts, and names too long', () => {
    for (const f of [
      { ...FIELDS, colour: 'purple' },
      { ...FIELDS, exp: FIELDS.iat },
      { ...FIELDS, exp: FIELDS.iat - 1 },
      { ...FIELDS, maskedName: 'n'.repeat(33) },
      { ...FIELDS, ruleSet: 'r'.repeat(65) },
    ]) {
      expect(readCompactClaims(layout(f))).toBeUndefined();
    }
  });

  it('declines claims cut short anywhere', () => {
    const full = layout();
    for (let n = 0; n < full.length; n++) {
      expect(readCompactClaims(full.subarray(0, n))).toBeUndefined();
    }
  });
});
