// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from 'cborg';
import { CborTag, decodeCbor, isWellFormedCbor, type CborProfile } from './cbor.js';

const strict: CborProfile = { maxDepth: 8, allowIndefinite: false, minimalHeads: true, tags: [18] };
const lenient: CborProfile = { maxDepth: 16, allowIndefinite: true, minimalHeads: false, tags: [] };
const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('strict CBOR decoding', () => {
  it('decodes maps with integer keys as Maps and keeps allowed tags', () => {
    const value = decodeCbor(hex('d2 a2 01 27 04 42 0102'), strict);
    expect(value).toBeInstanceOf(CborTag);
    const tag = value as CborTag;
    expect(tag.tag).toBe(18);
    expect(tag.value).toEqual(
      new Map<number, unknown>([
        [1, -8],
        [4, new Uint8Array([1, 2])],
      ]),
    );
  });

  it('accepts everything cborg itself encodes (within depth)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, (v) => {
        const bytes = encode(v);
        expect(isWellFormedCbor(bytes, { ...lenient, maxDepth: 64 })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['truncated input', 'a2 01 27 04'],
    ['trailing bytes after the item', 'a0 00'],
    ['an empty input', ''],
    ['a tag that is not allowed', 'd8 3d a0'],
    ['undefined', 'f7'],
    ['an unassigned simple value', 'f0'],
    ['a two-byte simple value', 'f8 20'],
    ['a reserved additional-info value', '1c'],
    ['indefinite length when not allowed', '9f ff'],
    ['a non-minimal integer head', '18 05'],
    ['a non-minimal length head', '58 01 00'],
    ['an array header asking for 2^32 items', '9a ffffffff 00'],
    ['a byte string longer than the input', '5a 00010000 00'],
    ['a stray break', 'ff'],
    ['an indefinite integer', '1f'],
  ])('refuses %s', (_label, h) => {
    expect(isWellFormedCbor(hex(h), strict)).toBe(false);
    expect(() => decodeCbor(hex(h), strict)).toThrow(
      expect.objectContaining({ code: 'ERR_CODES_DECODE' }),
    );
  });

  it('bounds nesting depth without recursion', () => {
    const deep = new Uint8Array(100_000).fill(0x81);
    expect(isWellFormedCbor(Uint8Array.from([...deep, 0x00]), lenient)).toBe(false);
    expect(isWellFormedCbor(hex('81'.repeat(16) + '00'), lenient)).toBe(true);
    expect(isWellFormedCbor(hex('81'.repeat(17) + '00'), lenient)).toBe(false);
  });

  it('refuses duplicate map keys, also byte-string keys', () => {
    for (const h of ['a2 01 00 01 00', 'a2 41 01 00 41 01 00', 'a2 62 6869 00 62 6869 01']) {
      expect(() => decodeCbor(hex(h), lenient)).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ why: 'duplicate-key' }) }),
      );
    }
    expect(() => decodeCbor(hex('bf 01 00 01 00 ff'), lenient)).toThrow(/duplicate/);
  });

  it('accepts indefinite containers where allowed, never chunked strings', () => {
    expect(decodeCbor(hex('bf 61 61 01 ff'), lenient)).toEqual(new Map([['a', 1]]));
    expect(decodeCbor(hex('9f 01 02 ff'), lenient)).toEqual([1, 2]);
    expect(isWellFormedCbor(hex('7f 61 61 61 62 ff'), lenient)).toBe(false);
    expect(isWellFormedCbor(hex('bf 01 ff'), lenient)).toBe(false);
  });

  it('never throws anything but a decode error on random bytes', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCbor(bytes, lenient);
        } catch (err) {
          expect(err).toMatchObject({ code: 'ERR_CODES_DECODE' });
          refused++;
        }
      }),
      { numRuns: 2000 },
    );
    // Most random byte strings are not well-formed CBOR: a decoder that refused none of them
    // would never have reached the check above.
    expect(refused).toBeGreaterThan(0);
  });
});
