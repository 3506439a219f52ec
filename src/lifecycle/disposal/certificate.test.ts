// SPDX-License-Identifier: Apache-2.0
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import {
  SUBJECT_CERTIFICATE_KIND,
  certificateHash,
  signCertificate,
  subjectCommitment,
  verifyCertificateSignature,
  type SubjectCertificate,
} from './certificate.js';
import { newRetrievalCode } from './subject-certs.js';
import { systemRandom } from '../../kernel/shared/index.js';

const cert: SubjectCertificate = {
  kind: SUBJECT_CERTIFICATE_KIND,
  version: 1,
  id: '7f1f0e0a-2b7d-4e0f-8a53-3a1d2c4b5e6f',
  issuedAt: '2026-12-03T00:00:00.000Z',
  issuer: { origin: 'healthcode.test/city', responsibleParty: 'City Big-Data Centre' },
  basis: { kind: 'plan', id: 'p', sha256: 'ab' },
  subjectCommitment: subjectCommitment('ABCDE-FGHJK-MNPQR-STVWX'),
  erased: ['identity', 'test-results'],
  restricted: [],
  kept: [],
  methods: ['crypto-erasure'],
  verification: { keysAbsent: true, rowsRemaining: 0 },
};

describe('certificates', () => {
  it('signs over canonical JSON and detects any change or a foreign key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signed = signCertificate(cert, privateKey);
    const pk = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(verifyCertificateSignature(signed, pk)).toBe(true);
    expect(verifyCertificateSignature({ ...signed, erased: ['identity'] })).toBe(false);
    const other = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    expect(verifyCertificateSignature(signed, other)).toBe(false);
    expect(verifyCertificateSignature(cert)).toBe(false);
    expect(certificateHash(signed)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('canonical JSON sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe(
      '{"a":[true,null,"x"],"b":1}',
    );
    expect(() => canonicalJson({ n: NaN })).toThrow(RangeError);
  });

  it('retrieval codes are 20 symbols from an unambiguous alphabet, all distinct', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newRetrievalCode(systemRandom)));
    expect(codes.size).toBe(200);
    for (const c of codes) {
      expect(c).toMatch(/^[A-HJKMNP-TV-Z2-9]{5}(-[A-HJKMNP-TV-Z2-9]{5}){3}$/);
    }
  });
});
