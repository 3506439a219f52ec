// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for one-time-code challenges (`otp_challenges`). Rows hold no code and no phone
 * number: the recipient is a blind index supplied by the vault and the code a keyed hash
 * (issue 3 item 11; DESIGN.md §3 blind indexes).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  columnTypes,
  type Database,
  type DialectName,
  type Migration,
} from '../../platform/db/index.js';

export const OTP_STATUSES = ['open', 'used', 'locked', 'superseded'] as const;
export type OtpStatus = (typeof OTP_STATUSES)[number];

export interface OtpChallengesTable {
  id: string;
  /** Blind index of the recipient (keyed hash of the normalised phone). */
  recipient: Buffer;
  purpose: string;
  /** HMAC-SHA-256 of the code bound to this challenge. */
  code_hash: Buffer;
  created_at: number;
  expires_at: number;
  attempts: number;
  status: OtpStatus;
  /** The outbox message carrying the code, withdrawn when the code is used or expires. */
  message_id: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    otp_challenges: OtpChallengesTable;
  }
}

export const outboxMigrations: Record<string, Migration> = {
  '202611270300_outbox_otp_challenges': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('otp_challenges')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('recipient', t.blob, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('code_hash', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .execute();
      await db.schema
        .createIndex('otp_challenges_recipient')
        .ifNotExists()
        .on('otp_challenges')
        .columns(['recipient', 'created_at'])
        .execute();
    },
  },
};

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Serialises work on one recipient inside a transaction. SQLite (one better-sqlite3 connection)
 * is serial already; on PostgreSQL a transaction-scoped advisory lock keyed by the blind index
 * stops two concurrent requests from both passing the rate limit.
 */
export async function lockRecipient(
  trx: Transaction<Database>,
  dialect: DialectName,
  recipient: Buffer,
): Promise<void> {
  if (dialect === 'postgres') {
    const key = recipient.readBigInt64BE(0);
    await sql`select pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(trx);
  }
}

export async function countIssuedSince(db: Db, recipient: Buffer, since: number): Promise<number> {
  const row = await db
    .selectFrom('otp_challenges')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('recipient', '=', recipient)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Oldest creation time within the window (for a retry-after hint). */
export async function oldestIssuedSince(
  db: Db,
  recipient: Buffer,
  since: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('otp_challenges')
    .select('created_at')
    .where('recipient', '=', recipient)
    .where('created_at', '>', since)
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.created_at);
}

/** Open challenges of a recipient and purpose (to supersede them). */
export async function openChallenges(
  db: Db,
  recipient: Buffer,
  purpose: string,
): Promise<Array<{ id: string; message_id: string | null }>> {
  return db
    .selectFrom('otp_challenges')
    .select(['id', 'message_id'])
    .where('recipient', '=', recipient)
    .where('purpose', '=', purpose)
    .where('status', '=', 'open')
    .execute();
}

export async function insertChallenge(db: Db, row: OtpChallengesTable): Promise<void> {
  await db.insertInto('otp_challenges').values(row).execute();
}

export async function latestChallenge(
  db: Db,
  recipient: Buffer,
  purpose: string,
): Promise<OtpChallengesTable | undefined> {
  const row = await db
    .selectFrom('otp_challenges')
    .selectAll()
    .where('recipient', '=', recipient)
    .where('purpose', '=', purpose)
    .where('status', '!=', 'superseded')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) {
    return undefined;
  }
  return {
    ...row,
    recipient: Buffer.from(row.recipient),
    code_hash: Buffer.from(row.code_hash),
    created_at: Number(row.created_at),
    expires_at: Number(row.expires_at),
    attempts: Number(row.attempts),
  };
}

export async function updateChallenge(
  db: Db,
  id: string,
  patch: Partial<Pick<OtpChallengesTable, 'status' | 'attempts' | 'message_id'>>,
): Promise<void> {
  await db.updateTable('otp_challenges').set(patch).where('id', '=', id).execute();
}

/** Message ids of challenges that expired while still open (their messages must go). */
export async function expiredOpenMessages(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('otp_challenges')
    .select('message_id')
    .where('status', '=', 'open')
    .where('expires_at', '<=', now)
    .where('message_id', 'is not', null)
    .execute();
  return rows.map((r) => r.message_id).filter((m): m is string => m !== null);
}

/**
 * Deletes challenges that can no longer matter: expired and created before the rate-limit
 * window (so counting still sees every issue of the last window).
 */
export async function deleteStale(db: Db, now: number, windowStart: number): Promise<number> {
  const res = await db
    .deleteFrom('otp_challenges')
    .where('expires_at', '<=', now)
    .where('created_at', '<=', windowStart)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
