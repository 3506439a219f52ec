// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { testKeyWrapper } from '../../../test/support/key-wrapper.js';
import {
  addAccount,
  authenticate,
  createToken,
  disableAccount,
  parseDuration,
  revokeToken,
  signAsOperator,
  verifyOperatorSignature,
} from './index.js';

for (const dialect of DIALECTS) {
  describe(`accounts on ${dialect}`, () => {
    it('issues tokens that authenticate until expiry, revocation or account disablement', async () => {
      const clock = new FixedClock('2026-05-01T00:00:00Z');
      const t = await createTestInstance(dialect, { clock });
      try {
        await addAccount(t.store, { name: 'ana', role: 'analyst' });
        const a = await createToken(t.store, { name: 'ana', expiresInMs: parseDuration('1h') });
        expect(await authenticate(t.store, a.token)).toMatchObject({
          accountName: 'ana',
          role: 'analyst',
        });
        // A token with one changed character of its secret is rejected.
        const forged = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A');
        await expect(authenticate(t.store, forged)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });
        clock.advance(3_600_001);
        await expect(authenticate(t.store, a.token)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });

        const b = await createToken(t.store, { name: 'ana', expiresInMs: parseDuration('30d') });
        await revokeToken(t.store, b.id);
        await expect(authenticate(t.store, b.token)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });

        const c = await createToken(t.store, { name: 'ana', expiresInMs: parseDuration('30d') });
        await disableAccount(t.store, 'ana');
        await expect(authenticate(t.store, c.token)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });
      } finally {
        await t.cleanup();
      }
    });

    it('gives operators their own signing key and refuses bad names, roles and duplicates', async () => {
      const t = await createTestInstance(dialect);
      const wrapper = testKeyWrapper();
      try {
        const op = await addAccount(t.store, { name: 'li.wei', role: 'operator' }, { wrapper });
        expect(op.publicKey).toBeTruthy();
        const msg = Buffer.from('plan sha256:abc');
        const { signature, publicKey } = await signAsOperator(t.store, 'li.wei', msg, { wrapper });
        expect(verifyOperatorSignature(publicKey, msg, signature)).toBe(true);
        expect(verifyOperatorSignature(publicKey, Buffer.from('plan sha256:abd'), signature)).toBe(
          false,
        );
        await expect(
          addAccount(t.store, { name: 'li.wei', role: 'auditor' }),
        ).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_EXISTS',
        });
        await expect(addAccount(t.store, { name: 'X', role: 'auditor' })).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_INVALID',
        });
        await expect(addAccount(t.store, { name: 'bob', role: 'root' })).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_INVALID',
        });
        await addAccount(t.store, { name: 'aud', role: 'auditor' });
        await expect(signAsOperator(t.store, 'aud', msg, { wrapper })).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_UNKNOWN',
        });
      } finally {
        await t.cleanup();
      }
    });
  });
}

describe('parseDuration', () => {
  it('reads minutes, hours and days and refuses anything else', () => {
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    for (const bad of ['', '5', '1w', '-1d', '1.5h']) {
      expect(() => parseDuration(bad)).toThrow();
    }
  });
});
