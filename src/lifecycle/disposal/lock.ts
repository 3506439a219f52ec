// SPDX-License-Identifier: Apache-2.0
/**
 * @module The plan lock: one executor per plan at a time. A second `run` waits for the lock and
 * stops as soon as the plan is done; a lock whose holder died (its process is gone on this host,
 * or its heartbeat went stale anywhere) is taken over with a compare-and-swap, so a `kill -9`
 * never wedges a plan.
 */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Clock, Random } from '../../kernel/shared/index.js';
import { LockTimeoutError } from './errors.js';
import * as repo from './repository.js';

export interface LockOptions {
  /** How often a waiting run looks again (ms). */
  readonly pollMs?: number;
  /** A heartbeat older than this means the holder is dead, whatever its host (ms). */
  readonly staleMs?: number;
  /** Give up waiting after this long (ms). */
  readonly timeoutMs?: number;
  /** Called once when we start waiting for another holder. */
  readonly onWait?: () => void;
}

export interface PlanLock {
  readonly holder: string;
  /** True when another live run held the lock first and we waited for it. */
  readonly waited: boolean;
  /** Refreshes the heartbeat; throws when another run took the lock over. */
  beat(): Promise<void>;
  release(): Promise<void>;
}

/** True when the holder's process is gone (same host) or its heartbeat is stale. */
export function holderDead(
  row: repo.DisposalLocksTable,
  nowMs: number,
  staleMs: number,
  host = hostname(),
): boolean {
  if (nowMs - row.heartbeat_at > staleMs) {
    return true;
  }
  if (row.host !== host) {
    return false;
  }
  try {
    process.kill(row.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but is not ours to signal — alive.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the plan's lock, waiting while a live holder has it. Resolves `'done'` instead when
 * `isDone` turns true while waiting (the other run finished the plan).
 */
export async function acquirePlanLock(
  db: Kysely<Database>,
  planId: string,
  deps: { clock: Clock; random: Random },
  isDone: () => Promise<boolean>,
  options: LockOptions = {},
): Promise<PlanLock | 'done'> {
  const pollMs = options.pollMs ?? 200;
  const staleMs = options.staleMs ?? 120_000;
  const deadline = Date.now() + (options.timeoutMs ?? 24 * 3_600_000);
  const holder = deps.random.bytes(12).toString('base64url');
  const row = (): repo.DisposalLocksTable => {
    const now = deps.clock.now().getTime();
    return {
      plan_id: planId,
      holder,
      pid: process.pid,
      host: hostname(),
      acquired_at: now,
      heartbeat_at: now,
    };
  };
  let waited = false;
  for (;;) {
    if (await repo.tryInsertLock(db, row())) {
      break;
    }
    const current = await repo.getLock(db, planId);
    if (current === undefined) {
      continue; // released between our insert and read: try again at once
    }
    if (
      holderDead(current, deps.clock.now().getTime(), staleMs) &&
      (await repo.takeOverLock(db, current.holder, row()))
    ) {
      break;
    }
    if (await isDone()) {
      return 'done';
    }
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError('another run holds this plan’s lock; gave up waiting');
    }
    await sleep(pollMs);
  }
  let lastBeat = deps.clock.now().getTime();
  return {
    holder,
    waited,
    async beat() {
      const now = deps.clock.now().getTime();
      if (now - lastBeat < 1000) {
        return;
      }
      lastBeat = now;
      if (!(await repo.heartbeat(db, planId, holder, now))) {
        throw new LockTimeoutError('this run lost the plan’s lock to another run; stopping');
      }
    },
    async release() {
      await repo.releaseLock(db, planId, holder);
    },
  };
}
