// SPDX-License-Identifier: Apache-2.0
/**
 * Published vectors for the layers under our tokens and the DCC: RFC 9285 §4.3 Base45 examples,
 * and COSE_Sign1 from cose-wg/Examples `sign1-tests/` (ES256 over P-256; values copied from
 * sign-pass-03 "Remove CBOR Tag" and sign-fail-02 "Change signature" — the latter's payload ends
 * in `2F` instead of `2E`). sign-pass-01 is not used: it re-encodes the empty protected header as
 * `h'A0'` after signing, which RFC 9052 §4.4 (protected bytes as transmitted) does not verify.
 */
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../src/services/codes/base45.js';
import { verifyWith } from '../../src/services/codes/algorithms.js';
import { HEADER, headerParam, parseSign1, sigStructure } from '../../src/services/codes/cose.js';
import { DCC_SIGN1_POLICY } from '../../src/services/codes/dcc.js';

const key = createPublicKey({
  format: 'jwk',
  key: {
    kty: 'EC',
    crv: 'P-256',
    x: 'usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8',
    y: 'IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4',
  },
});
const SIG =
  'EAE868ECC176883766C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B97C4BDB847782BFF384C5794';
const PASS_03 = `8443A10126A10442313154546869732069732074686520636F6E74656E742E5840${SIG}`;
const FAIL_02 = `D28443A10126A10442313154546869732069732074686520636F6E74656E742F5840${SIG}`;
const TO_BE_SIGNED = '846A5369676E61747572653143A101264054546869732069732074686520636F6E74656E742E';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

describe('RFC 9285 Base45 examples', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('%s ↔ %s', (plain, encoded) => {
    expect(encodeBase45(new TextEncoder().encode(plain))).toBe(encoded);
    expect(new TextDecoder().decode(decodeBase45(encoded))).toBe(plain);
  });
});

describe('cose-wg/Examples sign1-tests', () => {
  it('sign-pass-03: builds the published ToBeSigned and verifies the ES256 signature', () => {
    const r = parseSign1(hex(PASS_03), DCC_SIGN1_POLICY);
    expect(r.ok).toBe(true);
    if (!r.ok) {
      return;
    }
    expect(headerParam(r.value, HEADER.alg)).toBe(-7);
    expect(Buffer.from(headerParam(r.value, HEADER.kid) as Uint8Array).toString()).toBe('11');
    const tbs = sigStructure(r.value.protectedBytes, r.value.payload);
    expect(Buffer.from(tbs).toString('hex').toUpperCase()).toBe(TO_BE_SIGNED);
    expect(verifyWith('ES256', key, tbs, r.value.signature)).toBe(true);
  });

  it('sign-fail-02: a changed payload does not verify', () => {
    const r = parseSign1(hex(FAIL_02), DCC_SIGN1_POLICY);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(
        verifyWith(
          'ES256',
          key,
          sigStructure(r.value.protectedBytes, r.value.payload),
          r.value.signature,
        ),
      ).toBe(false);
    }
  });
});
