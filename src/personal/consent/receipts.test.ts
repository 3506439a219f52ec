// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { grantConsent, withdrawConsent } from './ledger.js';
import {
  RECEIPT_VERSION,
  signReceipt,
  signingKeyFromSeed,
  verifyReceiptToken,
  type ConsentReceipt,
} from './receipt-format.js';
import { verifyReceipt } from './receipts.js';
import { testLedgerDeps } from './testing.js';

function tamper(token: string, edit: (r: ConsentReceipt) => unknown): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const receipt = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as ConsentReceipt;
  return `${h}.${Buffer.from(JSON.stringify(edit(receipt))).toString('base64url')}.${s}`;
}

describe('consent receipts (Kantara CR v1.1, EdDSA JWS)', () => {
  let t: TestInstance;
  let deps: ReturnType<typeof testLedgerDeps>;
  let token: string;
  let withdrawal: string;

  beforeAll(async () => {
    const clock = new FixedClock('2026-04-01T08:00:00+08:00');
    t = await createTestInstance('sqlite', { clock });
    deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    const policy = (await currentNotices(deps)).find(
      (n) => n.kind === 'privacy-policy' && n.language === 'en',
    )!;
    token = (
      await grantConsent(deps, {
        subjectId: 'subj-r',
        purposeId: 'hospital',
        categories: ['medical-history', 'test-results'],
        noticeHash: policy.hash,
        separate: true,
        collectionMethod: 'web-portal',
        actor: 'citizen',
      })
    ).receipt;
    clock.advance(1000);
    withdrawal = (
      await withdrawConsent(deps, {
        subjectId: 'subj-r',
        purposeId: 'hospital',
        actor: 'citizen',
        language: 'en',
      })
    ).receipt;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('carries the Kantara v1.1 fields, the notice hash and the controller', async () => {
    const { receipt, recorded } = await verifyReceipt(t.store.db.kysely, token);
    expect(recorded).toBe(true);
    expect(receipt).toMatchObject({
      version: RECEIPT_VERSION,
      jurisdiction: 'CN',
      collectionMethod: 'web-portal',
      language: 'en',
      piiPrincipalId: 'subj-r',
      piiControllers: [{ piiController: deps.controller.name, contact: deps.controller.contact }],
      sensitive: true,
      spiCat: ['medical-history', 'test-results'],
      'x-healthcode': {
        action: 'grant',
        purposeId: 'hospital',
        legalBasis: '13(1)',
        separate: true,
      },
    });
    expect(receipt.consentTimestamp).toBe(
      Math.floor(Date.parse('2026-04-01T08:00:00+08:00') / 1000),
    );
    expect(receipt.consentReceiptID).toMatch(/^[0-9a-f-]{36}$/);
    expect(receipt.policyUrl).toMatch(/^urn:healthcode:notice:sha256:[0-9a-f]{64}$/);
    expect(receipt.services).toEqual([
      {
        service: 'hospital-code',
        purposes: [
          expect.objectContaining({
            purposeCategory: ['hospital'],
            consentType: 'EXPLICIT',
            piiCategory: ['medical-history', 'test-results'],
            thirdPartyDisclosure: false,
          }),
        ],
      },
    ]);
    const w = await verifyReceipt(t.store.db.kysely, withdrawal);
    expect(w.receipt['x-healthcode'].action).toBe('withdraw');
  });

  it('rejects altered, forged, re-signed and malformed receipts', async () => {
    const db = t.store.db.kysely;
    const bad: Array<[string, string]> = [
      [tamper(token, (r) => ({ ...r, piiPrincipalId: 'someone-else' })), 'altered subject'],
      [tamper(token, (r) => ({ ...r, spiCat: [] })), 'altered categories'],
      [token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'), 'altered signature'],
      ['not.a.receipt!', 'malformed'],
      ['', 'empty'],
    ];
    // Forged: a well-formed receipt signed with an attacker's own key (and its own publicKey).
    const attacker = signingKeyFromSeed(randomBytes(32));
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
    ) as ConsentReceipt;
    bad.push([
      signReceipt({ ...payload, publicKey: attacker.publicKeyRaw.toString('base64url') }, attacker),
      'foreign key',
    ]);
    // Same kid, attacker's key: the header claims our kid.
    const ours = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as {
      kid: string;
    };
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: ours.kid })).toString(
      'base64url',
    );
    const forged = signReceipt(
      { ...payload, publicKey: attacker.publicKeyRaw.toString('base64url') },
      attacker,
    ).split('.');
    bad.push([`${header}.${forged[1]}.${forged[2]}`, 'kid spoofing']);
    for (const [tok, what] of bad) {
      await expect(verifyReceipt(db, tok), what).rejects.toMatchObject({
        code: 'ERR_CONSENT_RECEIPT_INVALID',
      });
    }
  });

  it('verifies offline with only the public key, and says when the ledger does not hold it', async () => {
    const keys = await db().selectFrom('consent_receipt_keys').selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(keys[0].wrapped_private.length).toBeGreaterThan(32); // wrapped, never in clear
    const r = verifyReceiptToken(token, [{ kid: keys[0].kid, publicKeyRaw: keys[0].public_key }]);
    expect(r.piiPrincipalId).toBe('subj-r');
    function db() {
      return t.store.db.kysely;
    }
  });

  it('signs and verifies in isolation, rejecting a publicKey that is not the signer', () => {
    const k = signingKeyFromSeed(Buffer.alloc(32, 7));
    const base = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString(),
    ) as ConsentReceipt;
    const ok = signReceipt({ ...base, publicKey: k.publicKeyRaw.toString('base64url') }, k);
    expect(
      verifyReceiptToken(ok, [{ kid: k.kid, publicKeyRaw: k.publicKeyRaw }]).consentReceiptID,
    ).toBe(base.consentReceiptID);
    expect(() => signReceipt(base, k)).toThrow(TypeError);
    // RFC 8032 §7.1 test 1: the secret key 9d61…7f60 has public key d75a…511a.
    const rfc = signingKeyFromSeed(
      Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'),
    );
    expect(rfc.publicKeyRaw.toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });
});
