// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { authenticate, createCitizenSession, endCitizenSession } from './index.js';

for (const dialect of DIALECTS) {
  describe(`citizen sessions on ${dialect}`, () => {
    it('authenticate as role citizen bound to the subject, until expiry or logout', async () => {
      const clock = new FixedClock('2026-05-01T00:00:00Z');
      const t = await createTestInstance(dialect, { clock });
      try {
        const s = await createCitizenSession(t.store, {
          subjectId: 'subj-0123456789abcdef',
          expiresInMs: 3_600_000,
        });
        expect(s.token.startsWith('hcs_')).toBe(true);
        expect(await authenticate(t.store, s.token)).toMatchObject({
          role: 'citizen',
          accountName: 'citizen',
          subjectId: 'subj-0123456789abcdef',
        });
        // The same id under the account-token prefix is not a session.
        await expect(authenticate(t.store, s.token.replace('hcs_', 'hct_'))).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });
        await endCitizenSession(t.store, s.id);
        await expect(authenticate(t.store, s.token)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });
        const s2 = await createCitizenSession(t.store, {
          subjectId: 'subj-0123456789abcdef',
          expiresInMs: 60_000,
        });
        clock.advance(60_001);
        await expect(authenticate(t.store, s2.token)).rejects.toMatchObject({
          code: 'ERR_ACCOUNTS_TOKEN_REJECTED',
        });
        await expect(
          createCitizenSession(t.store, { subjectId: '110101 1990', expiresInMs: 1000 }),
        ).rejects.toThrow(TypeError);
      } finally {
        await t.cleanup();
      }
    });
  });
}
