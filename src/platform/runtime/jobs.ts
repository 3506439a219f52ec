// SPDX-License-Identifier: Apache-2.0
/**
 * @module The job registry: each capability registers its periodic jobs (purges, expiries,
 * checkpoints, rotations, reminders). `healthcode jobs run` runs what is due once (for cron);
 * `serve` runs them on schedule. Last runs are kept in the `jobs` table, so both share one state.
 */
import type { Store } from './store.js';

/** A periodic job. */
export interface Job {
  /** Stable name, e.g. `tripcard.purge`. */
  readonly name: string;
  /** Minimum interval between runs. */
  readonly everyMs: number;
  /** Does the work; returns a short, non-personal summary. */
  run(store: Store): Promise<Record<string, number | string | boolean>>;
}

export interface JobOutcome {
  readonly name: string;
  readonly ranAt: string;
  readonly ok: boolean;
  readonly summary: Record<string, number | string | boolean>;
  readonly error?: string;
}

/** Runs each job whose interval has passed since its last run (by the store's clock). */
export async function runDueJobs(
  store: Store,
  jobs: readonly Job[],
  force = false,
): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    const now = store.clock.now();
    const row = await store.db.kysely
      .selectFrom('jobs')
      .select('last_run_at')
      .where('name', '=', job.name)
      .executeTakeFirst();
    if (!force && row !== undefined && now.getTime() - row.last_run_at < job.everyMs) {
      continue;
    }
    try {
      const summary = await job.run(store);
      outcomes.push({ name: job.name, ranAt: now.toISOString(), ok: true, summary });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      outcomes.push({
        name: job.name,
        ranAt: now.toISOString(),
        ok: false,
        summary: {},
        error: typeof code === 'string' ? code : (err as Error).name,
      });
    }
    const ranAt = now.getTime();
    await store.db.kysely
      .insertInto('jobs')
      .values({ name: job.name, last_run_at: ranAt })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: ranAt }))
      .execute();
  }
  return outcomes;
}
