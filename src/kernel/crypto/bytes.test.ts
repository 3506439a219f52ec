// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, fromBase64Url, toBase64Url, zeroize } from './index.js';

describe('constant-time compare, zeroize, base64url', () => {
  it('compares in constant time, including unequal lengths', () => {
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
  });

  it('zeroes buffers and round-trips canonical base64url only', () => {
    const b = Buffer.from([1, 2, 3]);
    zeroize(b, undefined);
    expect([...b]).toEqual([0, 0, 0]);
    const bytes = Buffer.from([250, 251, 252, 253]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(() => fromBase64Url('a+b/')).toThrow(RangeError);
    expect(() => fromBase64Url('-_9-_9-_90')).toThrow(RangeError);
  });
});
