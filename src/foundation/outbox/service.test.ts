// SPDX-License-Identifier: Apache-2.0
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { runDueJobs } from '../../platform/runtime/index.js';
import { FileOutbox } from './file-outbox.js';
import { issueOneTimeCode, purgeExpired, verifyOneTimeCode, type OtpDeps } from './service.js';
import { codeHash } from './model.js';
import { outboxPurgeJob } from './jobs.js';

const PHONE = '+8613800138000';
const lookupKey = Buffer.alloc(32, 1);

function depsFor(t: TestInstance, clock: FixedClock): OtpDeps & { outbox: FileOutbox } {
  return {
    db: t.store.db,
    clock,
    random: systemRandom,
    outbox: new FileOutbox(t.store.paths.outbox),
    recipientKey: (to) => createHmac('sha256', lookupKey).update(to).digest(),
    codeKey: Buffer.alloc(32, 2),
  };
}

/** The messages as the recipient's phone would receive them (optionally for one number). */
type Message = { to: string; code: string; purpose: string; expires: string };
function inbox(t: TestInstance, to?: string): Message[] {
  // No folder yet means no message; any other read error must fail the test, not empty the inbox.
  if (!existsSync(t.store.paths.outbox)) {
    return [];
  }
  const names = readdirSync(t.store.paths.outbox).filter((n) => n.endsWith('.json'));
  return names
    .map((n) => JSON.parse(readFileSync(join(t.store.paths.outbox, n), 'utf8')) as Message)
    .filter((m) => to === undefined || m.to === to);
}

async function withInstance(
  dialect: (typeof DIALECTS)[number],
  fn: (t: TestInstance, clock: FixedClock, deps: OtpDeps) => Promise<void>,
): Promise<void> {
  const clock = new FixedClock('2026-03-01T00:00:00Z');
  const t = await createTestInstance(dialect, { clock });
  try {
    await fn(t, clock, depsFor(t, clock));
  } finally {
    await t.cleanup();
  }
}

/** A fresh number per test, so the tests of one dialect can share an instance. */
let phoneSeq = 0;
const freshPhone = () => `+861390000${String(1000 + phoneSeq++)}`;

for (const dialect of DIALECTS) {
  describe(`one-time codes on ${dialect}`, () => {
    const clock = new FixedClock('2026-03-01T00:00:00Z');
    let shared: TestInstance;
    beforeAll(async () => {
      shared = await createTestInstance(dialect, { clock });
    });
    afterAll(async () => {
      await shared.cleanup();
    });
    /** Runs a test on the shared instance with its own recipient and a reset clock. */
    const onShared = async (
      fn: (t: TestInstance, clock: FixedClock, deps: OtpDeps, phone: string) => Promise<void>,
    ) => {
      clock.set('2026-03-01T00:00:00Z');
      await fn(shared, clock, depsFor(shared, clock), freshPhone());
    };

    it('issues a code through the outbox, verifies it once, and deletes the message', async () => {
      await onShared(async (t, clock, deps, phone) => {
        const issued = await issueOneTimeCode(
          { to: `${phone.slice(3, 6)} ${phone.slice(6, 10)} ${phone.slice(10)}`, purpose: 'login' },
          deps,
        );
        expect(issued.expires.toISOString()).toBe('2026-03-01T00:05:00.000Z');
        const [msg, ...rest] = inbox(t, phone);
        expect(rest).toEqual([]);
        expect(msg).toMatchObject({
          to: phone,
          purpose: 'login',
          expires: '2026-03-01T00:05:00.000Z',
        });
        expect(msg.code).toMatch(/^\d{6}$/);
        // The database holds neither the code nor the number: the row is exactly these fields.
        // (Not a substring search of the row: its random UUIDs and timestamps can spell any
        // six digits by chance.)
        const rows = await t.store.db.kysely
          .selectFrom('otp_challenges')
          .selectAll()
          .where('id', '=', issued.challengeId)
          .execute();
        expect(rows).toHaveLength(1);
        const row = rows[0];
        const recipient = deps.recipientKey(phone);
        expect(Object.keys(row).sort()).toEqual(
          [
            'attempts',
            'code_hash',
            'created_at',
            'expires_at',
            'id',
            'message_id',
            'purpose',
            'recipient',
            'status',
          ].sort(),
        );
        expect(row).toMatchObject({
          id: issued.challengeId,
          purpose: 'login',
          status: 'open',
          attempts: 0,
        });
        expect(Number(row.created_at)).toBe(Date.parse('2026-03-01T00:00:00Z'));
        expect(Number(row.expires_at)).toBe(issued.expires.getTime());
        expect(row.message_id).toMatch(/^[\w.-]+$/);
        expect(Buffer.from(row.recipient).equals(Buffer.from(recipient))).toBe(true);
        const hash = codeHash(deps.codeKey, row.id, recipient, 'login', msg.code);
        expect(Buffer.from(row.code_hash).equals(hash)).toBe(true);

        clock.advance(60_000);
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code: msg.code }, deps),
        ).resolves.toEqual({ challengeId: issued.challengeId });
        expect(inbox(t, phone)).toEqual([]);
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code: msg.code }, deps),
        ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_USED' });
      });
    });

    it('refuses a code for another purpose or recipient, and an expired code', async () => {
      await onShared(async (t, clock, deps, phone) => {
        await issueOneTimeCode({ to: phone, purpose: 'login' }, deps);
        const code = inbox(t, phone)[0].code;
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'deletion', code }, deps),
        ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
        await expect(
          verifyOneTimeCode({ to: freshPhone(), purpose: 'login', code }, deps),
        ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
        clock.advance(5 * 60_000);
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code }, deps),
        ).rejects.toMatchObject({
          code: 'ERR_OUTBOX_CODE_EXPIRED',
        });
        expect(inbox(t, phone)).toEqual([]);
      });
    });

    it('locks a challenge after five wrong codes, without echoing anything', async () => {
      await onShared(async (t, _clock, deps, phone) => {
        await issueOneTimeCode({ to: phone, purpose: 'login' }, deps);
        const code = inbox(t, phone)[0].code;
        const wrong = code === '000000' ? '000001' : '000000';
        for (let i = 1; i <= 5; i++) {
          const err = await verifyOneTimeCode(
            { to: phone, purpose: 'login', code: i === 3 ? 'abc' : wrong },
            deps,
          ).catch((e: unknown) => e);
          expect(err).toMatchObject({
            code: 'ERR_OUTBOX_CODE_INVALID',
            details: { attemptsLeft: 5 - i },
          });
          expect((err as Error).message).not.toContain(wrong);
          expect((err as Error).message).not.toContain(phone.slice(3, 7));
        }
        expect(inbox(t, phone)).toEqual([]); // the locked code's message is gone
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code }, deps),
        ).rejects.toMatchObject({
          code: 'ERR_OUTBOX_RATE_LIMITED',
        });
      });
    });

    it('allows five codes per recipient per hour, however the number is written', async () => {
      await onShared(async (t, clock, deps, phone) => {
        const n = phone.slice(3);
        const spellings = [
          phone,
          n,
          `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
          `0086 ${n}`,
          `86 ${n}`,
        ];
        for (const to of spellings) {
          await issueOneTimeCode({ to, purpose: 'login' }, deps);
          clock.advance(60_000);
        }
        // Each new code superseded the previous one: one message, and only the newest code works.
        expect(inbox(t, phone)).toHaveLength(1);
        const err = await issueOneTimeCode({ to: phone, purpose: 'other' }, deps).catch(
          (e: unknown) => e,
        );
        expect(err).toMatchObject({
          code: 'ERR_OUTBOX_RATE_LIMITED',
          details: { retryAfterSeconds: 3600 - 300 },
        });
        await issueOneTimeCode({ to: freshPhone(), purpose: 'login' }, deps); // another recipient
        clock.advance(3600_000 - 300_000 + 1);
        await issueOneTimeCode({ to: phone, purpose: 'other' }, deps);
      });
    });

    it('supersedes the previous code for the same purpose', async () => {
      await onShared(async (t, _clock, deps, phone) => {
        await issueOneTimeCode({ to: phone, purpose: 'login' }, deps);
        const first = inbox(t, phone)[0].code;
        await issueOneTimeCode({ to: phone, purpose: 'login' }, deps);
        const msgs = inbox(t, phone);
        expect(msgs).toHaveLength(1);
        const second = msgs[0].code;
        if (first !== second) {
          await expect(
            verifyOneTimeCode({ to: phone, purpose: 'login', code: first }, deps),
          ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
        }
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code: second }, deps),
        ).resolves.toBeDefined();
      });
    });

    it('leaves no challenge behind when the outbox fails', async () => {
      await onShared(async (t, _clock, deps, phone) => {
        const failing = {
          ...deps,
          outbox: {
            send: () => Promise.reject(new Error('gateway down')),
            withdraw: () => Promise.resolve(),
          },
        };
        await expect(issueOneTimeCode({ to: phone, purpose: 'login' }, failing)).rejects.toThrow(
          'gateway down',
        );
        const rows = await t.store.db.kysely
          .selectFrom('otp_challenges')
          .selectAll()
          .where('recipient', '=', deps.recipientKey(phone))
          .execute();
        expect(rows).toEqual([]);
      });
    });

    it('purges expired messages and stale challenges (also as the outbox.purge job)', async () => {
      await withInstance(dialect, async (t, clock, deps) => {
        await issueOneTimeCode({ to: PHONE, purpose: 'login' }, deps);
        await issueOneTimeCode({ to: '+8613800138001', purpose: 'login' }, deps);
        clock.advance(4 * 60_000);
        expect(await purgeExpired(deps)).toEqual({ messagesDeleted: 0, challengesDeleted: 0 });
        expect(inbox(t)).toHaveLength(2);
        clock.advance(60_000);
        const out = await runDueJobs(t.store, [outboxPurgeJob]);
        expect(out).toEqual([
          expect.objectContaining({
            name: 'outbox.purge',
            ok: true,
            summary: { messagesDeleted: 2, challengesDeleted: 0 },
          }),
        ]);
        expect(inbox(t)).toEqual([]);
        clock.advance(3600_000);
        expect(await purgeExpired(deps)).toEqual({ messagesDeleted: 0, challengesDeleted: 2 });
        expect(await t.store.db.kysely.selectFrom('otp_challenges').selectAll().execute()).toEqual(
          [],
        );
      });
    });

    it('refuses bad input as typed errors or caller bugs', async () => {
      await onShared(async (_t, _clock, deps, phone) => {
        await expect(
          issueOneTimeCode({ to: '010-12345678', purpose: 'login' }, deps),
        ).rejects.toMatchObject({
          code: 'ERR_DOMAIN_PHONE',
        });
        await expect(
          issueOneTimeCode({ to: phone, purpose: 'Log In' }, deps),
        ).rejects.toMatchObject({
          code: 'ERR_OUTBOX_MESSAGE',
        });
        await expect(
          issueOneTimeCode({ to: phone, purpose: 'login' }, { ...deps, codeKey: Buffer.alloc(8) }),
        ).rejects.toBeInstanceOf(TypeError);
        await expect(
          verifyOneTimeCode({ to: phone, purpose: 'login', code: '123456' }, deps),
        ).rejects.toMatchObject({ code: 'ERR_OUTBOX_CODE_INVALID' });
      });
    });
  });
}
