// SPDX-License-Identifier: Apache-2.0
/**
 * The bounded crash loop of CI (issue 7): `kill -9` of the executor's whole process group at 20
 * random points across runs on SQLite (and a few on PostgreSQL), then resume; every certificate's
 * counts equal the ground truth. The long loop runs with `npm run bench -- disposal --crash`.
 * Every step runs on the harness clock, a minute after the one before.
 */
import { describe, expect, it } from 'vitest';
import { dayAt, steps } from '../support/clock.js';
import { createPgDatabase } from '../support/dialects.js';
import { runCrashLoop } from '../slow/disposal-crash.js';

const log =
  process.env.HEALTHCODE_CRASH_LOG === '1'
    ? (m: string) => process.stderr.write(`${m}\n`)
    : undefined;

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return x / 2 ** 32;
  };
}

describe('disposal survives kill -9 at random points', () => {
  it(
    'SQLite: 20 kills across 4 runs; certificates equal the ground truth',
    { timeout: 600_000 },
    async () => {
      const rounds = await runCrashLoop({
        kills: 20,
        rounds: 4,
        people: 20,
        random: seeded(7),
        log,
        now: steps(dayAt(0, '21:00')),
      });
      expect(rounds.reduce((a, r) => a + r.kills, 0)).toBe(20);
      for (const r of rounds) {
        expect(r).toMatchObject({
          certifiedRecords: r.rowsBefore,
          certifiedSubjects: r.subjectsBefore,
          rowsAfter: 0,
          verified: true,
        });
      }
    },
  );

  it(
    'PostgreSQL: 4 kills in one run; the certificate equals the ground truth',
    { timeout: 600_000 },
    async () => {
      const rounds = await runCrashLoop({
        kills: 4,
        rounds: 1,
        people: 15,
        random: seeded(11),
        newPgDatabase: createPgDatabase,
        log,
        now: steps(dayAt(0, '21:00')),
      });
      expect(rounds[0]).toMatchObject({ kills: 4, rowsAfter: 0, verified: true });
      expect(rounds[0].certifiedRecords).toBe(rounds[0].rowsBefore);
    },
  );
});
