// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { hkdfSha256, hmacSha256 } from './index.js';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('HMAC-SHA-256 and HKDF-SHA-256', () => {
  it('HMAC-SHA-256 matches RFC 4231 test case 2', () => {
    expect(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('HKDF-SHA-256 matches RFC 5869 test case 1', () => {
    const okm = hkdfSha256(
      Buffer.alloc(22, 0x0b),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(okm.toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });
});
