// SPDX-License-Identifier: Apache-2.0
/**
 * @module The outbox's public door (issue 3 item 11): the `Outbox` port, the file outbox that
 * stands in for an SMS gateway (docs/outbox.md), and one-time codes.
 */
export { FileOutbox } from './file-outbox.js';
export type { OutboxFile } from './file-outbox.js';
export { DEFAULT_OTP_POLICY, drawCode, isCodeShape } from './model.js';
export type { Outbox, OutboxMessage, OtpPolicy } from './model.js';
export { issueOneTimeCode, verifyOneTimeCode, purgeExpired } from './service.js';
export type { OtpDeps, IssuedChallenge } from './service.js';
export { outboxMigrations, OTP_STATUSES } from './repository.js';
export type { OtpChallengesTable, OtpStatus } from './repository.js';
export { outboxPurgeJob } from './jobs.js';
export * as outboxErrors from './errors.js';
