// SPDX-License-Identifier: Apache-2.0
/**
 * @module The outbox port (issue 3 item 11): how healthcode hands one-time codes and notices to a
 * delivery channel (an SMS gateway in production, a directory of JSON files here), and the pure
 * rules of one-time codes: uniform 6-digit codes from the CSPRNG, keyed hashes, expiry and limits.
 * The gateway contract is documented in docs/outbox.md.
 */
import { createHmac } from 'node:crypto';
import type { Random } from '../../kernel/shared/random.js';
import { OutboxMessageError } from './errors.js';

/** A message to deliver. `to` is a normalised E.164 mobile number. */
export interface OutboxMessage {
  readonly to: string;
  /** What the message is for, e.g. `login` or `deletion-notice` (a short slug). */
  readonly purpose: string;
  /** After this instant the message is worthless and is deleted from the outbox. */
  readonly expires: Date;
  /** A 6-digit one-time code, for code messages. */
  readonly code?: string;
  /** Plain text, for notices. */
  readonly text?: string;
}

/** Where messages go. Implementations must not log message contents. */
export interface Outbox {
  /** Hands a message over; returns the outbox's id for it. */
  send(message: OutboxMessage): Promise<string>;
  /**
   * Withdraws a message whose code was used or has expired. A gateway that cannot recall a sent
   * SMS treats this as a no-op; the file outbox deletes the file.
   */
  withdraw(id: string): Promise<void>;
}

/** Policy of one-time codes; defaults after common SMS-login practice. */
export interface OtpPolicy {
  /** Validity of a code (default 5 min). */
  readonly ttlMs: number;
  /** Codes a recipient may be sent per window (default 5 per hour). */
  readonly maxIssuesPerWindow: number;
  readonly windowMs: number;
  /** Wrong attempts after which a challenge locks (default 5). */
  readonly maxAttempts: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = Object.freeze({
  ttlMs: 5 * 60_000,
  maxIssuesPerWindow: 5,
  windowMs: 3600_000,
  maxAttempts: 5,
});

const PURPOSE = /^[a-z][a-z0-9.-]{0,63}$/;

/** Checks a purpose slug (it is stored and put in file names' JSON, so keep it tame). */
export function assertPurpose(purpose: string): void {
  if (typeof purpose !== 'string' || !PURPOSE.test(purpose)) {
    throw new OutboxMessageError('a purpose is a lower-case slug of 1–64 characters');
  }
}

const CODE_SPACE = 1_000_000;
/** Largest multiple of 10^6 below 2^32: values at or above it are redrawn (no modulo bias). */
const ACCEPT_BELOW = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/**
 * Draws a uniform 6-digit code by rejection sampling 32-bit values (a redraw happens with
 * probability < 0.03 %, so the loop ends at once in practice).
 */
export function drawCode(random: Random): string {
  for (;;) {
    const n = random.bytes(4).readUInt32BE(0);
    if (n < ACCEPT_BELOW) {
      return String(n % CODE_SPACE).padStart(6, '0');
    }
  }
}

/** True when the text is six ASCII digits. */
export function isCodeShape(code: unknown): code is string {
  return typeof code === 'string' && /^\d{6}$/.test(code);
}

/**
 * The keyed hash stored for a code: HMAC-SHA-256 under a server key, bound to the challenge, the
 * recipient's blind index and the purpose, so a leaked table cannot be brute-forced over the
 * 10^6 codes without the key, and a hash cannot be replayed on another challenge.
 */
export function codeHash(
  key: Uint8Array,
  challengeId: string,
  recipient: Uint8Array,
  purpose: string,
  code: string,
): Buffer {
  // Each field is length-prefixed, so no two field lists hash the same input.
  const h = createHmac('sha256', key).update('healthcode/otp/v1');
  for (const part of [
    Buffer.from(challengeId),
    recipient,
    Buffer.from(purpose),
    Buffer.from(code),
  ]) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(part.length);
    h.update(len).update(part);
  }
  return h.digest();
}
