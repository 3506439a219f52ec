// SPDX-License-Identifier: Apache-2.0
/**
 * @module Login to the card by phone number and SMS one-time code only (DOMAIN.md §2.4, §6 req.
 * 21; no ID number is collected): identity by one-time code (wired by the root) over the outbox's codes
 * (6 digits from the CSPRNG, keyed hashes, constant-time compare, 5-minute expiry, single use,
 * rate limits), and the vault's blind-index lookup of the phone's `subscriber` subject. A phone
 * with no subscriber gets no message and the caller cannot tell.
 */
import { FileOutbox, type OtpDeps } from '../../foundation/outbox/index.js';
import { hkdfSha256, hmacSha256 } from '../../kernel/crypto/index.js';
import { TRIPCARD_PURPOSE, type TripcardContext } from './context.js';
import type { CodeIdentity } from './ports.js';

/** The purpose slug codes are issued under (a code for the card opens nothing else). */
export const OTP_PURPOSE = 'tripcard.query';

/**
 * The one-time-code ports of an instance: the file outbox in `DIR/outbox`, recipients by a keyed
 * hash (never the phone) and the code-hash key derived from the instance lookup key (HKDF, RFC
 * 5869), which lives in the key store — never in the data tables.
 */
export function otpDeps(ctx: TripcardContext): OtpDeps {
  const { store, lookupKey } = ctx;
  return {
    db: { dialect: store.db.dialect, kysely: store.db.kysely },
    clock: store.clock,
    random: store.random,
    outbox: new FileOutbox(store.paths.outbox),
    recipientKey: (to) => hmacSha256(lookupKey, `healthcode/otp-recipient/v1\u0000${to}`),
    codeKey: hkdfSha256(lookupKey, 'healthcode/tripcard', 'otp-code-key/v1', 32),
  };
}

/** The identity port: phone → subscriber through the vault (the lookup is audited there). */
export function tripcardIdentity(ctx: TripcardContext): Promise<CodeIdentity> {
  const repo = ctx.vault.vault.repository({
    actor: 'citizen',
    role: 'citizen',
    purpose: TRIPCARD_PURPOSE,
  });
  return ctx.ports.codeIdentity(otpDeps(ctx), {
    subjectByPhone: async (_db, phone) => repo.findSubscriber(phone),
  });
}
