// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 21 — trip-card module: keeps only prefecture-level cities with a stay over
 * 4 hours, exposes a rolling 14-day window, physically purges entries older than 14 days (+1 day
 * of lag) on a registered schedule, logs in by phone number and SMS one-time code only (no ID
 * number collected), and computes any risk mark at query time from the current risk list — never
 * stored on the person.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/platform/runtime/index.js';
import { allJobs, instanceTripcard, tripcardPorts } from '../../src/edges/app/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { TRIPCARD_PURGE_JOB, tripcardPurgeJob } from '../../src/services/tripcard/index.js';
import {
  codeSentBy,
  eventsOver,
  TEST_CELLS,
  writeTestTables,
} from '../../src/services/tripcard/testing.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';

const PHONE = '13812345678';

describe('req. 21: the purge is scheduled', () => {
  it('registers tripcard.purge at the composition root', async () => {
    expect((await allJobs()).map((j) => j.name)).toContain(TRIPCARD_PURGE_JOB);
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 21 on ${dialect}`, () => {
    it(
      'cities > 4 h at prefecture level in a rolling 14-day window; risk at query time; purge',
      { timeout: 60_000 },
      async () => {
        const clock = new FixedClock('2026-11-27T10:00:00+08:00');
        const t = await createTestInstance(dialect, { clock });
        try {
          writeTestTables(t.dataDir);
          const tc = await instanceTripcard(t.store);
          const r = await tc.ingest([
            // Window starts 2026-11-13 00:00 local: one second earlier is out of it.
            {
              id: 'edge.0',
              phone: PHONE,
              time: '2026-11-12T23:59:59+08:00',
              cell: TEST_CELLS.wuxi,
            },
            ...eventsOver('a', PHONE, '2026-11-13T00:00:00', '2026-11-13T05:00:00', {
              cell: TEST_CELLS.wuxiRisk,
            }),
            // 3.5 hours in Shanghai: not listed.
            ...eventsOver('b', PHONE, '2026-11-20T09:00:00', '2026-11-20T12:30:00', {
              cell: TEST_CELLS.shanghai,
            }),
          ]);
          expect(r).toMatchObject({ rejected: 1, reasons: { 'out-of-window': 1 } });

          // Login by phone + one-time code; the card lists the city (county folded to 320200).
          const card = async () =>
            tc.itinerary(PHONE, (await codeSentBy(t.dataDir, () => tc.requestCode(PHONE)))!);
          expect(await card()).toEqual({
            cities: [{ region: '320200', name: '无锡市', lastSeen: '2026-11-13', risk: true }],
          });
          // The mark follows the current list, not the person: lift the designation, ask again.
          writeFileSync(join(t.dataDir, 'risk-areas.json'), '[]');
          clock.advance(1000);
          expect((await card()).cities[0]).toMatchObject({ region: '320200', risk: false });

          // Nothing but the opaque row layout is stored: no risk, no ID number, no plaintext place.
          const cols = await t.store.db.kysely.introspection.getTables();
          expect(
            cols
              .find((x) => x.name === 'tripcard_event')!
              .columns.map((c) => c.name)
              .sort(),
          ).toEqual(['bid', 'ct', 'day', 'eids', 'gen', 'subject_id']);

          // The rolling window moves on: on 2026-11-28 the 13th is before the window (the card is
          // empty) but kept for the day of lag; on 2026-11-29 the scheduled purge deletes it.
          clock.set('2026-11-28T10:00:00+08:00');
          expect((await card()).cities).toEqual([]);
          expect(await tc.purge('operator:test')).toMatchObject({ purged: 0 });
          clock.set('2026-11-29T00:30:00+08:00');
          const outcomes = await runDueJobs(t.store, [tripcardPurgeJob(tripcardPorts)], true);
          expect(outcomes[0]).toMatchObject({
            name: 'tripcard.purge',
            ok: true,
            summary: { purged: 11, erased: 0, before: '2026-11-14' },
          });
          const left = await t.store.db.kysely
            .selectFrom('tripcard_event')
            .select('eids')
            .execute();
          expect(left.reduce((n, r) => n + r.eids.length / 16, 0)).toBe(8);
          await tc.finish();
        } finally {
          await t.cleanup();
        }
      },
    );
  });
}
