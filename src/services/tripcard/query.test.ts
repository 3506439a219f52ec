// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  instanceTripcard,
  instanceVault,
  openInstance,
  tripcardPorts,
} from '../../edges/app/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { openContext, windowAt } from './context.js';
import { cardOf } from './query.js';
import { eventsOver, TEST_CELLS, writeTestTables } from './testing.js';

const NOW = '2026-11-27T12:00:00+08:00';
const PHONE = '13912345678';
const WUXI = [{ region: '320200', name: '无锡市', lastSeen: '2026-11-26', risk: false }];

for (const dialect of DIALECTS) {
  describe(`the itinerary read's key cache on ${dialect}`, () => {
    it(
      'never serves a crypto-erased subscriber, whichever process erased it',
      { timeout: 60_000 },
      async () => {
        const clock = new FixedClock(NOW);
        const t = await createTestInstance(dialect, { clock });
        try {
          writeTestTables(t.dataDir);
          const tc = await instanceTripcard(t.store);
          await tc.ingest(
            eventsOver('w', PHONE, '2026-11-26T07:00:00', '2026-11-26T19:00:00', {
              cell: TEST_CELLS.wuxi,
            }),
          );
          const iv = await instanceVault(t.store);
          const sys = iv.vault.systemRepository({ actor: 'operator:test', purpose: 'maintenance' });
          const subjectId = (await sys.findSubscriber(PHONE))!;
          const ctx = await openContext(t.store, tripcardPorts);
          const window = windowAt(clock.now(), t.store.config.timeZone);

          // Cold, then warm: the same card, the key held once.
          expect((await cardOf(ctx, subjectId, [], window)).cities).toEqual(WUXI);
          expect(ctx.keys.has(subjectId, 'itinerary', 1)).toBe(true);
          expect((await cardOf(ctx, subjectId, [], window)).cities).toEqual(WUXI);
          expect(ctx.keys.size).toBe(1);

          // Another process (its own store handle, as a `rights execute` run would) destroys the
          // subscriber's itinerary key. This process's cache is not told.
          const other = await openInstance({
            dataDir: t.dataDir,
            dbUrl: t.dbUrl,
            create: false,
            clock,
          });
          try {
            await other.keyring.destroyDataKeys(subjectId, ['itinerary'], {
              categories: ['location-events'],
            });
          } finally {
            await other.close();
          }
          expect(await cardOf(ctx, subjectId, [], window)).toEqual({ cities: [], events: 0 });
          expect(ctx.keys.has(subjectId, 'itinerary', 1)).toBe(false);
          expect(ctx.keys.size).toBe(0);

          // New events after the erasure go under a new generation; the old rows stay unreadable.
          await tc.ingest(
            eventsOver('w2', PHONE, '2026-11-26T07:00:00', '2026-11-26T19:00:00', {
              cell: TEST_CELLS.wuxi,
            }),
          );
          const after = await cardOf(ctx, subjectId, [], window);
          expect(after.cities).toEqual(WUXI);
          expect(ctx.keys.has(subjectId, 'itinerary', 1)).toBe(false);
          expect(ctx.keys.has(subjectId, 'itinerary', 2)).toBe(true);

          // close() zeroises what the service holds.
          tc.close();
          await tc.finish();
          await iv.finish();
        } finally {
          await t.cleanup();
        }
      },
    );
  });
}
