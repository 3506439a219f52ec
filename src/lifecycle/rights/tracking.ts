// SPDX-License-Identifier: Apache-2.0
/**
 * @module Tracking data-subject requests (DOMAIN.md §6 req. 19): one request with its history,
 * the list soonest due first, what is overdue, and the daily reminder the overdue job writes to
 * the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { inTx, load, rowToRequest, type RightsDeps } from './core.js';
import type { RightsRequest } from './model.js';
import { isOverdue } from './model.js';
import * as repo from './repository.js';

export async function getRequest(
  db: Kysely<Database>,
  id: string,
): Promise<
  RightsRequest & { history: Array<{ at: Date; from: string | null; to: string; actor: string }> }
> {
  const req = await load(db, id);
  const history = (await repo.selectRequestEvents(db, id)).map((e) => ({
    at: new Date(e.at),
    from: e.from_state,
    to: e.to_state,
    actor: e.actor,
  }));
  return { ...req, history };
}

/** Requests, soonest due first; `overdue` keeps only open requests past their due instant. */
export async function listRequests(
  deps: Pick<RightsDeps, 'db' | 'clock'>,
  filter: { overdue?: boolean; subjectId?: string } = {},
): Promise<RightsRequest[]> {
  const now = deps.clock.now();
  const rows = await repo.selectRequests(deps.db, {
    ...(filter.overdue === true ? { openOnly: true, dueBefore: now.getTime() } : {}),
    ...(filter.subjectId === undefined ? {} : { subjectId: filter.subjectId }),
  });
  const all = rows.map(rowToRequest);
  return filter.overdue === true ? all.filter((r) => isOverdue(r, now)) : all;
}

/**
 * The reminder job: one audit entry per overdue request, at most once a day per request, so the
 * operator console and the log show what is late.
 */
export async function remindOverdue(
  deps: RightsDeps,
): Promise<{ overdue: number; reminded: number }> {
  const now = deps.clock.now();
  const overdue = await listRequests(deps, { overdue: true });
  let reminded = 0;
  for (const r of overdue) {
    if (r.remindedAt !== null && now.getTime() - r.remindedAt.getTime() < 86_400_000) {
      continue;
    }
    await inTx(deps.db, async (trx) => {
      await repo.markReminded(trx, r.id, now.getTime());
      await deps.audit.append(trx, [
        {
          kind: 'request',
          actor: 'job:rights.overdue',
          action: 'request.overdue',
          outcome: 'ERR_RIGHTS_OVERDUE',
          at: now,
          details: { request: r.id, type: r.type, state: r.state, dueAt: r.dueAt.toISOString() },
        },
      ]);
    });
    reminded++;
  }
  return { overdue: overdue.length, reminded };
}
