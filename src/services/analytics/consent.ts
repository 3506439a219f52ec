// SPDX-License-Identifier: Apache-2.0
/**
 * @module The consent door as analytics inputs see it (PIPL arts. 13, 14, 29; DOMAIN.md §6
 * req. 23): an input party asks the consent capability's purpose guard, for each subscriber,
 * whether their location events may serve the `statistics` purpose, and leaves out everyone the
 * guard refuses — or whom it cannot map to a subject at all (fail closed). Works with
 * `ConsentGuard` from src/personal/consent (its `decide`), or the vault's guard, by structural typing.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import type { StatisticsConsentPort } from './local.js';

/** The purpose analytics inputs need a basis for (src/personal/consent catalogue id). */
export const STATISTICS_PURPOSE = 'statistics';
/** The category a carrier feed holds. */
export const STATISTICS_CATEGORY: DataCategory = 'location-events';

/** The one method of the consent guard analytics relies on (`ConsentGuard.decide`). */
export interface StatisticsGuard {
  decide(req: {
    readonly subjectId: string;
    readonly purpose: string;
    readonly category: DataCategory;
    readonly actor?: string;
  }): Promise<{ readonly allowed: boolean }>;
}

/** Maps a holder's subscriber to the instance's opaque subject id (undefined: unknown). */
export type SubjectResolver = (subscriber: {
  readonly holder: string;
  readonly phone: string;
}) => string | undefined | Promise<string | undefined>;

/**
 * A {@link StatisticsConsentPort} backed by the consent guard: a subscriber contributes only if
 * the guard allows `statistics` on `location-events` for their subject now.
 */
export function guardedConsent(
  guard: StatisticsGuard,
  subjectOf: SubjectResolver,
): StatisticsConsentPort {
  return {
    async allowsStatistics(s) {
      const subjectId = await subjectOf(s);
      if (subjectId === undefined) {
        return false;
      }
      const decision = await guard.decide({
        subjectId,
        purpose: STATISTICS_PURPOSE,
        category: STATISTICS_CATEGORY,
        actor: `analytics:${s.holder}`,
      });
      return decision.allowed;
    },
  };
}
