// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBase45, encodeBase45, tryDecodeBase45 } from './base45.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('base45 (RFC 9285)', () => {
  it('matches the RFC 9285 §4.3 known answers', () => {
    expect(encodeBase45(utf8('AB'))).toBe('BB8');
    expect(encodeBase45(utf8('Hello!!'))).toBe('%69 VD92EX0');
    expect(encodeBase45(utf8('base-45'))).toBe('UJCLQE7W581');
    expect(text(decodeBase45('QED8WEX0'))).toBe('ietf!');
    expect(text(decodeBase45('%69 VD92EX0'))).toBe('Hello!!');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase45(encodeBase45(bytes))).toEqual(bytes);
      }),
    );
  });

  it('encodes the empty input as the empty string', () => {
    expect(encodeBase45(new Uint8Array(0))).toBe('');
    expect(decodeBase45('')).toEqual(new Uint8Array(0));
  });

  it.each([
    ['a lower-case character', 'qed8wex0'],
    ['a character outside the alphabet', 'QED8WEX_'],
    ['a non-ASCII character', 'QED8WEX\u00e9'],
    ['a dangling single character (length ≡ 1 mod 3)', 'QED8'],
    ['a triple above 65535 (RFC 9285 §4.2 example GGW)', 'GGW'],
    ['a pair above 255', '::'],
  ])('refuses %s', (_label, input) => {
    expect(tryDecodeBase45(input)).toBeUndefined();
    expect(() => decodeBase45(input)).toThrow(
      expect.objectContaining({ code: 'ERR_CODES_DECODE' }),
    );
  });

  it('bounds the decoded size before allocating', () => {
    expect(tryDecodeBase45('BB8BB8', 3)).toBeUndefined();
    expect(tryDecodeBase45('BB8BB8', 4)).toEqual(utf8('ABAB'));
  });

  it('accepts the largest triple and pair values', () => {
    expect(decodeBase45(encodeBase45(new Uint8Array([255, 255, 255])))).toEqual(
      new Uint8Array([255, 255, 255]),
    );
  });

  it('rejects non-string and non-bytes arguments as caller bugs', () => {
    expect(() => decodeBase45(42 as unknown as string)).toThrow(TypeError);
    expect(() => encodeBase45('AB' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
