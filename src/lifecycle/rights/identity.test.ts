// SPDX-License-Identifier: Apache-2.0
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { FileOutbox } from '../../foundation/outbox/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { otpIdentityPort } from './identity.js';

// Synthetic numbers in the 198 block; never a real person's.
const KNOWN = '+8619800000001';
const STRANGER = '+8619800000002';

for (const dialect of DIALECTS) {
  describe(`identity by one-time code on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let outbox: FileOutbox;
    let port: ReturnType<typeof otpIdentityPort>;

    beforeAll(async () => {
      clock = new FixedClock('2026-02-02T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      outbox = new FileOutbox(join(t.dataDir, 'outbox'));
      const lookupKey = randomBytes(32);
      port = otpIdentityPort(
        {
          db: t.store.db,
          clock,
          random: systemRandom,
          outbox,
          recipientKey: (to) => createHmac('sha256', lookupKey).update(to).digest(),
          codeKey: randomBytes(32),
        },
        {
          subjectByPhone: (_db, phone) => Promise.resolve(phone === KNOWN ? 'subj-otp' : undefined),
        },
      );
    });
    afterAll(async () => {
      await t.cleanup();
    });

    async function lastCode(): Promise<string> {
      const files = await outbox.list();
      const msg = files[files.length - 1];
      return msg.code!;
    }

    it('proves the subject once; a replay, a wrong code and an expired code are refused', async () => {
      await port.sendCode(t.store.db.kysely, KNOWN, 'rights-access');
      const code = await lastCode();
      expect(code).toMatch(/^\d{6}$/);
      const wrong = code === '000000' ? '111111' : '000000';
      await expect(
        port.confirm(t.store.db.kysely, KNOWN, 'rights-access', wrong),
      ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
      await expect(
        port.confirm(t.store.db.kysely, KNOWN, 'rights-deletion', code),
      ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
      expect(await port.confirm(t.store.db.kysely, KNOWN, 'rights-access', code)).toEqual({
        subjectId: 'subj-otp',
      });
      await expect(
        port.confirm(t.store.db.kysely, KNOWN, 'rights-access', code),
      ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_USED' });
      await port.sendCode(t.store.db.kysely, KNOWN, 'rights-copy');
      const late = await lastCode();
      clock.advance(24 * 3600_000);
      await expect(
        port.confirm(t.store.db.kysely, KNOWN, 'rights-copy', late),
      ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_EXPIRED' });
    });

    it('sends nothing to a phone no subject has, and says the same', async () => {
      const before = (await outbox.list()).length;
      await expect(
        port.sendCode(t.store.db.kysely, STRANGER, 'rights-access'),
      ).resolves.toBeUndefined();
      expect((await outbox.list()).length).toBe(before);
      await expect(
        port.confirm(t.store.db.kysely, STRANGER, 'rights-access', '123456'),
      ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
    });
  });
}
