// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rolling purge (issue 8 item 3; DOMAIN.md §6 req. 21): physically deletes every
 * event of a day before the start of the day 15 days before today (the 14-day window plus one
 * day of lag), by the coarse `day` column — no key is needed to find them — then leaves nothing
 * readable behind: SQLite zeroes freed cells (`secure_delete`, set at open) and the WAL is
 * checkpointed and truncated, so no old page image keeps a deleted row; PostgreSQL VACUUMs the
 * table so dead tuples are reclaimed. The same run deletes the bundles of subscribers whose
 * `itinerary` key a crypto-erasure destroyed (unreadable since that commit; gone from the files
 * within the hour). Each run is one audit event (kind `purge`).
 */
import { sql } from 'kysely';
import { PURGE_DAYS, type TripcardContext } from './context.js';
import { deleteBefore, deleteUnreadable } from './repository.js';
import { EVENT_CATEGORY, EVENT_SCOPE } from './sealing.js';
import { dayText, localDayNumber } from '../../kernel/shared/local-day.js';

export interface PurgeResult {
  /** Events deleted for their age. */
  readonly purged: number;
  /** Events deleted because their data key was destroyed (crypto-erased subscribers). */
  readonly erased: number;
  /** Events of days before this one (YYYY-MM-DD, local) are gone. */
  readonly before: string;
}

/** Purges; `actor` names who ran it (`job:tripcard.purge`, `operator:cli`). */
export async function purgeEvents(ctx: TripcardContext, actor: string): Promise<PurgeResult> {
  const now = ctx.store.clock.now();
  const beforeDay = localDayNumber(now.getTime(), ctx.timeZone) - PURGE_DAYS;
  const db = ctx.store.db;
  const [purged, erased] = await db.kysely.transaction().execute(async (trx) => {
    const n = await deleteBefore(trx, beforeDay);
    const e = await deleteUnreadable(trx, EVENT_SCOPE);
    await ctx.audit.append(trx, [
      {
        kind: 'purge',
        actor,
        category: EVENT_CATEGORY,
        action: 'tripcard-purge',
        outcome: 'ok',
        at: now,
        details: { purged: n, erased: e, before: dayText(beforeDay) },
      },
    ]);
    return [n, e] as const;
  });
  await scrub(ctx);
  return { purged, erased, before: dayText(beforeDay) };
}

/** Removes old page images of deleted rows (see the module note). */
export async function scrub(ctx: TripcardContext): Promise<void> {
  const db = ctx.store.db;
  if (db.dialect === 'sqlite') {
    db.sqlite!.pragma('main.wal_checkpoint(TRUNCATE)');
  } else {
    await sql`vacuum tripcard_event`.execute(db.kysely);
  }
}
