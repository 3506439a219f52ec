// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  associatedData,
  constantTimeEqual,
  ENVELOPE_OVERHEAD,
  fromBase64Url,
  hkdfSha256,
  hmacSha256,
  IntegrityError,
  NoncePool,
  open,
  seal,
  toBase64Url,
  zeroize,
} from './index.js';
import type { Random } from '../shared/index.js';

const hex = (h: string) => Buffer.from(h, 'hex');

describe('AES-256-GCM envelope', () => {
  // McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", 2005, Appendix B, Test Case 16
  // (AES-256, 96-bit IV, 20-byte AAD, 60-byte plaintext) — the vector NIST SP 800-38D builds on.
  const tc16 = {
    key: hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
    iv: hex('cafebabefacedbaddecaf888'),
    aad: hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
    pt: hex(
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
        '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ),
    ct: hex(
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
        '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    ),
    tag: hex('76fc6ece0f4e1768cddf8853bb2d551b'),
  };
  const fixedNonce = { writeNonce: (out: Uint8Array, at: number) => out.set(tc16.iv, at) };

  it('matches GCM spec test case 16 when sealing and opening', () => {
    const env = seal(tc16.key, tc16.pt, tc16.aad, fixedNonce);
    expect(env).toEqual(Buffer.concat([Buffer.from([1]), tc16.iv, tc16.ct, tc16.tag]));
    expect(open(tc16.key, env, tc16.aad)).toEqual(tc16.pt);
  });

  it('fails with IntegrityError on wrong key, moved AAD, flipped bit, truncation or bad version', () => {
    const key = Buffer.alloc(32, 7);
    const nonces = new NoncePool();
    const aad = associatedData('vault_record', 'health', 'subj-1', 'rec-1');
    const env = seal(key, Buffer.from('{"temperature":36.6}'), aad, nonces);
    expect(env.length).toBe(ENVELOPE_OVERHEAD + 20);
    const bad: Array<[Buffer, Buffer, Buffer]> = [
      [Buffer.alloc(32, 8), env, aad],
      [key, env, associatedData('vault_record', 'health', 'subj-2', 'rec-1')],
      [
        key,
        Buffer.concat([env.subarray(0, 20), Buffer.from([env[20] ^ 1]), env.subarray(21)]),
        aad,
      ],
      [key, env.subarray(0, env.length - 1), aad],
      [key, env.subarray(0, ENVELOPE_OVERHEAD - 1), aad],
      [key, Buffer.concat([Buffer.from([2]), env.subarray(1)]), aad],
    ];
    for (const [k, e, a] of bad) {
      expect(() => open(k, e, a)).toThrow(IntegrityError);
    }
    try {
      open(key, env, associatedData('x'));
    } catch (err) {
      expect((err as IntegrityError).code).toBe('ERR_CRYPTO_INTEGRITY');
    }
  });

  it('round-trips any plaintext and AAD (property)', () => {
    const nonces = new NoncePool();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.string()), (pt, parts) => {
        const key = Buffer.alloc(32, 3);
        const aad = associatedData(...parts);
        expect(open(key, seal(key, pt, aad, nonces), aad)).toEqual(Buffer.from(pt));
      }),
      { numRuns: 200 },
    );
  });

  it('encodes associated data without ambiguity', () => {
    expect(associatedData('ab', 'c')).not.toEqual(associatedData('a', 'bc'));
    expect(associatedData('a', 1)).toEqual(associatedData('a', '1'));
    expect(() => associatedData('x'.repeat(70_000))).toThrow(RangeError);
  });

  it('refuses keys of the wrong length as a caller bug', () => {
    expect(() => seal(Buffer.alloc(16), Buffer.alloc(1), Buffer.alloc(0), new NoncePool())).toThrow(
      RangeError,
    );
  });
});

describe('NoncePool', () => {
  it('draws in bulk and never hands out the same bytes twice', () => {
    let calls = 0;
    let counter = 0;
    const counting: Random = {
      bytes(n) {
        calls++;
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i += 4) {
          b.writeUInt32BE(counter++, i);
        }
        return b;
      },
    };
    const pool = new NoncePool(counting, 100);
    const seen = new Set<string>();
    const out = Buffer.alloc(12);
    for (let i = 0; i < 1000; i++) {
      pool.writeNonce(out, 0);
      seen.add(out.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(calls).toBe(10);
  });
});

describe('HMAC, HKDF, compare, zeroize, base64url', () => {
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
