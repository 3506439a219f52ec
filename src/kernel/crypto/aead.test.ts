// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { associatedData, ENVELOPE_OVERHEAD, NoncePool, open, seal } from './index.js';
import { IntegrityError } from './errors.js';

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
    expect(() => open(key, env, associatedData('x'))).toThrow(
      expect.objectContaining({ name: 'IntegrityError', code: 'ERR_CRYPTO_INTEGRITY' }),
    );
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
