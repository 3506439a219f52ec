// SPDX-License-Identifier: Apache-2.0
/**
 * @module One-time codes (issue 3 item 11; DOMAIN.md §6 req. 21 SMS login): issue a 6-digit code
 * through the outbox, verify it once. Codes come from the CSPRNG without modulo bias, are stored
 * only as keyed hashes, compared in constant time, expire (default 5 min), are single-use, and
 * are rate-limited per recipient (5 per hour) and per challenge (5 wrong attempts lock it).
 * Nothing here logs: neither codes nor recipients ever reach a log line or an error message.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../platform/db/index.js';
import { normalisePhone } from '../../kernel/domain/index.js';
import type { Clock } from '../../kernel/shared/clock.js';
import { randomId, type Random } from '../../kernel/shared/random.js';
import { CodeExpiredError, CodeInvalidError, CodeUsedError, RateLimitedError } from './errors.js';
import {
  assertPurpose,
  codeHash,
  DEFAULT_OTP_POLICY,
  drawCode,
  isCodeShape,
  type Outbox,
  type OtpPolicy,
} from './model.js';
import {
  countIssuedSince,
  deleteStale,
  expiredOpenMessages,
  insertChallenge,
  latestChallenge,
  lockRecipient,
  oldestIssuedSince,
  openChallenges,
  updateChallenge,
} from './repository.js';

/** What issuing and verifying need; the composition root wires it. */
export interface OtpDeps {
  readonly db: { readonly dialect: DialectName; readonly kysely: Kysely<Database> };
  readonly clock: Clock;
  readonly random: Random;
  readonly outbox: Outbox;
  /** Blind index of a normalised recipient (the vault's lookup HMAC); ≥ 8 bytes. */
  readonly recipientKey: (to: string) => Buffer;
  /** Server secret for the code hashes (≥ 32 bytes), never stored in the database. */
  readonly codeKey: Uint8Array;
  readonly policy?: Partial<OtpPolicy>;
}

export interface IssuedChallenge {
  readonly challengeId: string;
  readonly expires: Date;
}

function policyOf(deps: OtpDeps): OtpPolicy {
  return { ...DEFAULT_OTP_POLICY, ...deps.policy };
}

function recipientOf(deps: OtpDeps, to: string): { phone: string; key: Buffer } {
  const phone = normalisePhone(to);
  const key = deps.recipientKey(phone);
  if (!Buffer.isBuffer(key) || key.length < 8) {
    throw new TypeError('"recipientKey" must return a Buffer of 8 bytes or more');
  }
  return { phone, key };
}

function assertCodeKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < 32) {
    throw new TypeError('"codeKey" expected 32 bytes or more');
  }
}

/**
 * Issues a one-time code to a Chinese mobile number for a purpose and sends it through the
 * outbox. An earlier open code for the same recipient and purpose is superseded (withdrawn).
 * Throws `ERR_OUTBOX_RATE_LIMITED` after `maxIssuesPerWindow` codes in the window.
 */
export async function issueOneTimeCode(
  request: { to: string; purpose: string },
  deps: OtpDeps,
): Promise<IssuedChallenge> {
  assertPurpose(request.purpose);
  assertCodeKey(deps.codeKey);
  const policy = policyOf(deps);
  const { phone, key } = recipientOf(deps, request.to);
  const now = deps.clock.now().getTime();
  const expires = new Date(now + policy.ttlMs);
  const superseded: string[] = [];
  let sentId: string | undefined;
  try {
    const challengeId = await deps.db.kysely.transaction().execute(async (trx) => {
      await lockRecipient(trx, deps.db.dialect, key);
      const since = now - policy.windowMs;
      if ((await countIssuedSince(trx, key, since)) >= policy.maxIssuesPerWindow) {
        const oldest = (await oldestIssuedSince(trx, key, since)) ?? now;
        throw new RateLimitedError('too many codes requested; try again later', {
          details: { retryAfterSeconds: Math.ceil((oldest + policy.windowMs - now) / 1000) },
        });
      }
      for (const old of await openChallenges(trx, key, request.purpose)) {
        await updateChallenge(trx, old.id, { status: 'superseded', message_id: null });
        if (old.message_id !== null) {
          superseded.push(old.message_id);
        }
      }
      const id = randomId();
      const code = drawCode(deps.random);
      await insertChallenge(trx, {
        id,
        recipient: key,
        purpose: request.purpose,
        code_hash: codeHash(deps.codeKey, id, key, request.purpose, code),
        created_at: now,
        expires_at: expires.getTime(),
        attempts: 0,
        status: 'open',
        message_id: null,
      });
      // Sent inside the transaction: if sending fails, no challenge exists for a lost code.
      sentId = await deps.outbox.send({ to: phone, purpose: request.purpose, expires, code });
      await updateChallenge(trx, id, { message_id: sentId });
      return id;
    });
    for (const m of superseded) {
      await deps.outbox.withdraw(m);
    }
    return { challengeId, expires };
  } catch (err) {
    // The transaction rolled back: a message already handed over must not outlive it. Best
    // effort: the caller must see the original error, and an unredeemable code expires anyway.
    if (sentId !== undefined) {
      await deps.outbox.withdraw(sentId).catch(() => undefined);
    }
    throw err;
  }
}

/**
 * Verifies a code for a recipient and purpose against the latest challenge. Succeeds once; a
 * replay fails with `ERR_OUTBOX_CODE_USED`, a late code with `ERR_OUTBOX_CODE_EXPIRED`, a wrong
 * one with `ERR_OUTBOX_CODE_INVALID`; after `maxAttempts` wrong codes the challenge locks and
 * every further try fails with `ERR_OUTBOX_RATE_LIMITED`. The used or expired code's message is
 * withdrawn from the outbox.
 */
export async function verifyOneTimeCode(
  request: { to: string; purpose: string; code: string },
  deps: OtpDeps,
): Promise<{ challengeId: string }> {
  assertPurpose(request.purpose);
  assertCodeKey(deps.codeKey);
  const policy = policyOf(deps);
  const { key } = recipientOf(deps, request.to);
  const now = deps.clock.now().getTime();
  // Errors are returned, not thrown, from the transaction so that a wrong attempt's counter
  // update commits; the message to withdraw is noted and withdrawn after the commit.
  const after: { withdraw: string | null } = { withdraw: null };
  const outcome = await deps.db.kysely
    .transaction()
    .execute(async (trx): Promise<{ challengeId: string } | Error> => {
      await lockRecipient(trx, deps.db.dialect, key);
      const ch = await latestChallenge(trx, key, request.purpose);
      if (ch === undefined) {
        return new CodeInvalidError('the code is not valid');
      }
      if (ch.status === 'used') {
        return new CodeUsedError('the code was already used');
      }
      if (ch.status === 'locked') {
        return new RateLimitedError('too many wrong codes; request a new one');
      }
      if (now >= ch.expires_at) {
        after.withdraw = ch.message_id;
        if (ch.message_id !== null) {
          await updateChallenge(trx, ch.id, { message_id: null });
        }
        return new CodeExpiredError('the code has expired');
      }
      // Hash whatever was typed (even a malformed code) so timing does not depend on its shape.
      const typed = isCodeShape(request.code) ? request.code : '------';
      const candidate = codeHash(deps.codeKey, ch.id, key, request.purpose, typed);
      const ok = timingSafeEqual(candidate, ch.code_hash) && typed === request.code;
      if (!ok) {
        const attempts = ch.attempts + 1;
        const locked = attempts >= policy.maxAttempts;
        await updateChallenge(trx, ch.id, {
          attempts,
          ...(locked ? { status: 'locked' as const, message_id: null } : {}),
        });
        if (locked) {
          after.withdraw = ch.message_id;
        }
        return new CodeInvalidError('the code is not valid', {
          details: { attemptsLeft: Math.max(0, policy.maxAttempts - attempts) },
        });
      }
      await updateChallenge(trx, ch.id, { status: 'used', message_id: null });
      after.withdraw = ch.message_id;
      return { challengeId: ch.id };
    });
  if (after.withdraw !== null) {
    await deps.outbox.withdraw(after.withdraw);
  }
  if (outcome instanceof Error) {
    throw outcome;
  }
  return outcome;
}

/**
 * Deletes outbox messages whose codes expired, withdraws those of expired open challenges, and
 * deletes challenge rows no longer needed for rate limiting. Returns counts only.
 */
export async function purgeExpired(deps: {
  readonly db: { readonly kysely: Kysely<Database> };
  readonly clock: Clock;
  readonly outbox: Outbox & { purgeExpired?(now: Date): Promise<{ deleted: number }> };
  readonly policy?: Partial<OtpPolicy>;
}): Promise<{ messagesDeleted: number; challengesDeleted: number }> {
  const policy = { ...DEFAULT_OTP_POLICY, ...deps.policy };
  const now = deps.clock.now();
  let messagesDeleted = 0;
  for (const id of await expiredOpenMessages(deps.db.kysely, now.getTime())) {
    await deps.outbox.withdraw(id);
    messagesDeleted++;
    await deps.db.kysely
      .updateTable('otp_challenges')
      .set({ message_id: null })
      .where('message_id', '=', id)
      .execute();
  }
  if (deps.outbox.purgeExpired !== undefined) {
    messagesDeleted += (await deps.outbox.purgeExpired(now)).deleted;
  }
  const challengesDeleted = await deleteStale(
    deps.db.kysely,
    now.getTime(),
    now.getTime() - policy.windowMs,
  );
  return { messagesDeleted, challengesDeleted };
}
