// SPDX-License-Identifier: Apache-2.0
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { outboxErrors } from '../../foundation/outbox/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { TripcardUnavailableError } from './errors.js';
import { countEvents } from './repository.js';
import { eventsOver, codeSentBy, TEST_CELLS, writeTestTables } from './testing.js';
import { instanceTripcard, instanceVault } from '../../edges/app/index.js';

const NOW = '2026-11-27T12:00:00+08:00';
const PHONE = '13912345678';
const OTHER = '13712340000';

/** A fortnight of a traveller: home in Wuxi, a night in Shanghai, a short hop, a trip to Japan. */
function traveller(): Record<string, string>[] {
  return [
    ...eventsOver('w1', PHONE, '2026-11-14T08:00:00', '2026-11-14T20:00:00', {
      cell: TEST_CELLS.wuxiRisk,
    }),
    ...eventsOver('sh', PHONE, '2026-11-20T21:00:00', '2026-11-21T03:00:00', { region: '310104' }),
    ...eventsOver('bj', PHONE, '2026-11-22T09:00:00', '2026-11-22T12:00:00', { region: '110105' }),
    ...eventsOver('jp', PHONE, '2026-11-24T10:00:00', '2026-11-24T11:00:00', { country: 'JP' }),
    ...eventsOver('w2', PHONE, '2026-11-26T07:00:00', '2026-11-26T19:00:00', {
      cell: TEST_CELLS.wuxi,
    }),
  ];
}

for (const dialect of DIALECTS) {
  describe(`trip card on ${dialect}`, () => {
    it(
      'ingests with rejects, is idempotent, keeps no plaintext, and answers the card behind a code',
      { timeout: 60_000 },
      async () => {
        const clock = new FixedClock(NOW);
        const t = await createTestInstance(dialect, { clock });
        try {
          writeTestTables(t.dataDir);
          const tc = await instanceTripcard(t.store);
          const good = traveller();
          const bad: unknown[] = [
            'not an object',
            { id: 'b1', phone: PHONE, time: '2026-11-20T08:00:00+08:00', cell: '8830000000fffff' },
            { id: 'b2', phone: PHONE, time: '2026-11-20T08:00:00+08:00', region: '999999' },
            { id: 'b3', phone: PHONE, time: '2026-11-20T08:00:00+08:00', country: 'ZZ' },
            { id: 'b4', phone: PHONE, time: '2026-11-28T08:00:00+08:00', region: '320200' },
            { id: 'b5', phone: '12345', time: '2026-11-20T08:00:00+08:00', region: '320200' },
            { id: 'b6', phone: PHONE, time: '2026-11-12T23:00:00+08:00', region: '320200' },
          ];
          const rejects: { line: number; reason: string }[] = [];
          const first = await tc.ingest([...bad, ...good], {
            carrier: 'cmcc',
            onReject: (line, reason) => void rejects.push({ line, reason }),
          });
          expect(first).toMatchObject({
            records: bad.length + good.length,
            loaded: good.length,
            duplicates: 0,
            rejected: 7,
            subscribers: 1,
          });
          expect(rejects).toEqual([
            { line: 1, reason: 'malformed' },
            { line: 2, reason: 'unknown-cell' },
            { line: 3, reason: 'unknown-region' },
            { line: 4, reason: 'unknown-country' },
            { line: 5, reason: 'future-time' },
            { line: 6, reason: 'invalid-phone' },
            { line: 7, reason: 'out-of-window' },
          ]);
          const again = await tc.ingest(good, { carrier: 'cmcc' });
          expect(again).toMatchObject({ loaded: 0, duplicates: good.length });
          expect(await countEvents(t.store.db.kysely)).toBe(good.length);

          if (dialect === 'sqlite') {
            t.store.db.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
            const file = readFileSync(`${t.dataDir}/healthcode.db`).toString('latin1');
            for (const needle of [
              PHONE,
              '310104',
              '310100',
              '2026-11-20T21',
              TEST_CELLS.wuxi,
              'w1.0',
            ]) {
              expect(file.includes(needle), needle).toBe(false);
            }
          }

          // No code for a phone nobody knows; a code for the subscriber.
          expect(await codeSentBy(t.dataDir, () => tc.requestCode(OTHER))).toBeUndefined();
          await expect(tc.itinerary(OTHER, '123456')).rejects.toBeInstanceOf(
            outboxErrors.CodeInvalidError,
          );
          const code = (await codeSentBy(t.dataDir, () => tc.requestCode(`+86 ${PHONE}`)))!;
          expect(code).toMatch(/^\d{6}$/);
          const card = await tc.itinerary(PHONE, code);
          expect(card).toEqual({
            cities: [
              { region: '320200', name: '无锡市', lastSeen: '2026-11-26', risk: true },
              { country: 'JP', name: '日本', lastSeen: '2026-11-24', risk: false },
              { region: '310100', name: '上海市', lastSeen: '2026-11-21', risk: false },
            ],
          });
          await expect(tc.itinerary(PHONE, code)).rejects.toBeInstanceOf(
            outboxErrors.CodeUsedError,
          );
          clock.advance(1000); // challenges are told apart by issue time
          const late = (await codeSentBy(t.dataDir, () => tc.requestCode(PHONE)))!;
          clock.advance(6 * 60_000);
          await expect(tc.itinerary(PHONE, late)).rejects.toBeInstanceOf(
            outboxErrors.CodeExpiredError,
          );

          // Restricted itinerary data (PIPL art. 47 para. 2) is not shown.
          const iv = await instanceVault(t.store);
          const sys = iv.vault.systemRepository({ actor: 'operator:test', purpose: 'maintenance' });
          const subjectId = (await sys.findSubscriber(PHONE))!;
          await iv.vault.restrict(subjectId, 'itinerary', {
            actor: 'operator:test',
            reason: 'test',
          });
          clock.advance(1000);
          const third = (await codeSentBy(t.dataDir, () => tc.requestCode(PHONE)))!;
          await expect(tc.itinerary(PHONE, third)).rejects.toBeInstanceOf(TripcardUnavailableError);
          await tc.finish();
        } finally {
          await t.cleanup();
        }
      },
    );

    it(
      'purges physically: nothing older than the window plus a day survives in the DB files',
      { timeout: 60_000 },
      async () => {
        const clock = new FixedClock(NOW);
        const t = await createTestInstance(dialect, { clock });
        try {
          writeTestTables(t.dataDir);
          const tc = await instanceTripcard(t.store);
          const old = eventsOver('old', PHONE, '2026-11-14T08:00:00', '2026-11-14T20:00:00', {
            cell: TEST_CELLS.wuxi,
          });
          const fresh = eventsOver('new', PHONE, '2026-11-20T08:00:00', '2026-11-20T20:00:00', {
            cell: TEST_CELLS.wuxi,
          });
          await tc.ingest([...old, ...fresh]);
          const db = t.store.db.kysely;
          const oldRows = await db
            .selectFrom('tripcard_event')
            .selectAll()
            .where('day', '<', 20772)
            .execute();
          expect(oldRows.reduce((n, r) => n + r.eids.length / 16, 0)).toBe(old.length);
          const leaves = async () =>
            Number(
              (
                await db
                  .selectFrom('audit_leaves')
                  .select((eb) => eb.fn.countAll<number | string>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );

          const dbFiles = () =>
            ['healthcode.db', 'healthcode.db-wal']
              .map((f) => `${t.dataDir}/${f}`)
              .filter((f) => existsSync(f))
              .map((f) => readFileSync(f));
          if (dialect === 'sqlite') {
            // The check below can fail: before the purge the old ciphertexts are in the files.
            expect(dbFiles().some((f) => f.includes(oldRows[0].ct.subarray(12, 40)))).toBe(true);
          }
          const none = await tc.purge('operator:test');
          expect(none.purged).toBe(0);
          // 16 days later, 2026-11-14 is before the start of the day 15 days back (2026-11-15).
          clock.set('2026-11-30T09:00:00+08:00');
          const before = await leaves();
          const r = await tc.purge('operator:test');
          expect(r).toEqual({ purged: old.length, erased: 0, before: '2026-11-15' });
          expect(await leaves()).toBe(before + 1);
          expect(await countEvents(db)).toBe(fresh.length);
          if (dialect === 'sqlite') {
            const files = dbFiles();
            for (const row of oldRows) {
              for (const f of files) {
                expect(f.includes(row.ct.subarray(12, 40))).toBe(false);
                expect(f.includes(row.eids.subarray(0, 16))).toBe(false);
              }
            }
          }
          await tc.finish();
        } finally {
          await t.cleanup();
        }
      },
    );
  });
}
