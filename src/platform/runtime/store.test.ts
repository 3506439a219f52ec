// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { runDueJobs, type Job } from './index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`store on ${dialect}`, () => {
    it('migrates, runs due jobs once per interval, and records their last run', async () => {
      const clock = new FixedClock('2026-03-01T00:00:00Z');
      const t = await createTestInstance(dialect, { clock });
      try {
        let runs = 0;
        const job: Job = {
          name: 'test.count',
          everyMs: 60_000,
          run: () => Promise.resolve({ runs: ++runs }),
        };
        expect((await runDueJobs(t.store, [job])).map((o) => o.ok)).toEqual([true]);
        expect(await runDueJobs(t.store, [job])).toEqual([]);
        clock.advance(61_000);
        const again = await runDueJobs(t.store, [job]);
        expect(again[0]?.summary).toEqual({ runs: 2 });
      } finally {
        await t.cleanup();
      }
    });

    it('reports a failing job by its error code without stopping the others', async () => {
      const t = await createTestInstance(dialect);
      try {
        const failing: Job = {
          name: 'a',
          everyMs: 1,
          run: () => Promise.reject(new RangeError('x')),
        };
        const fine: Job = { name: 'b', everyMs: 1, run: () => Promise.resolve({ done: true }) };
        const out = await runDueJobs(t.store, [failing, fine]);
        expect(out.map((o) => [o.name, o.ok, o.error])).toEqual([
          ['a', false, 'RangeError'],
          ['b', true, undefined],
        ]);
      } finally {
        await t.cleanup();
      }
    });
  });
}
