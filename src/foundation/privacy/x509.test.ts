// SPDX-License-Identifier: Apache-2.0
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateFingerprint, createPartyCredentials } from './x509.js';

describe('self-signed party certificates', () => {
  it('parse with OpenSSL, verify under their own key and pin by SHA-256 fingerprint', () => {
    const c = createPartyCredentials(
      'cmcc',
      new Date('2026-11-27T00:00:00Z'),
      Buffer.from('8a01020304050607', 'hex'),
    );
    const x = new X509Certificate(c.certPem);
    expect(x.subject).toBe('CN=cmcc');
    expect(x.issuer).toBe('CN=cmcc');
    expect(x.ca).toBe(false);
    expect(x.verify(createPublicKey(createPrivateKey(c.keyPem)))).toBe(true);
    expect(x.validFrom).toContain('2026');
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(certificateFingerprint(x.raw)).toBe(c.fingerprint);
    expect(x.serialNumber.toLowerCase()).toBe('8a01020304050607');
  });

  it('uses GeneralizedTime after 2049 and refuses odd names', () => {
    const c = createPartyCredentials(
      'p2',
      new Date('2049-06-01T00:00:00Z'),
      Buffer.from('01', 'hex'),
      400,
    );
    expect(new X509Certificate(c.certPem).validTo).toContain('2050');
    expect(() => createPartyCredentials('bad name', new Date(), Buffer.from('01', 'hex'))).toThrow(
      RangeError,
    );
  });

  it('encodes serials with leading zero bytes minimally (random serials start with 0x00 at times)', () => {
    for (const [given, parsed] of [
      ['000102', '0102'],
      ['0000ff01', 'FF01'],
      ['ff01', 'FF01'],
    ]) {
      const c = createPartyCredentials(
        'p3',
        new Date('2026-11-27T00:00:00Z'),
        Buffer.from(given, 'hex'),
      );
      expect(new X509Certificate(c.certPem).serialNumber.toUpperCase()).toBe(parsed);
    }
  });
});
