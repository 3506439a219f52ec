// SPDX-License-Identifier: Apache-2.0
/**
 * @module The {@link IdentityPort} over the outbox's one-time codes (a 6-digit string, compared
 * in constant time, rate-limited, single use) and the vault's phone → subject lookup. A wrong,
 * expired or replayed code fails with the outbox's typed error; nothing is opened.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import {
  issueOneTimeCode,
  verifyOneTimeCode,
  type OtpDeps,
} from '../../foundation/outbox/index.js';
import type { IdentityPort } from './ports.js';

/** The vault's side: which subject a (normalised) phone belongs to, via its blind index. */
export interface SubjectByPhone {
  subjectByPhone(db: Kysely<Database>, phone: string): Promise<string | undefined>;
}

/** Identity by one-time code; codes go only to phones that belong to a subject. */
export function otpIdentityPort(otp: OtpDeps, lookup: SubjectByPhone): IdentityPort {
  return {
    async sendCode(db, phone, purpose) {
      // A phone the vault does not know gets no message, and the caller cannot tell: the
      // command answers the same, so it cannot be used to probe who is registered.
      if ((await lookup.subjectByPhone(db, phone)) !== undefined) {
        await issueOneTimeCode({ to: phone, purpose }, otp);
      }
    },
    async confirm(db, phone, purpose, code) {
      await verifyOneTimeCode({ to: phone, purpose, code }, otp);
      const subjectId = await lookup.subjectByPhone(db, phone);
      return subjectId === undefined ? undefined : { subjectId };
    },
  };
}
