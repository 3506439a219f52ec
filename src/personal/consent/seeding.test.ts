// SPDX-License-Identifier: Apache-2.0
/**
 * The synthetic city's consents reach the ledger with the residents (issue 6 item 9): shares
 * near the configured ones, some withdrawn, under-14s' consents given by their guardian and
 * separate, and the guard reading them like any other consent.
 */
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import { generatePopulation, syntheticConsents } from '../../foundation/sim/index.js';
import { createVaultSink, openVault } from '../vault/index.js';
import { consentSeeder } from './seeding.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { ConsentGuard } from './guard-service.js';
import { testLedgerDeps } from './testing.js';

const END = new Date('2026-11-28T20:00:00+08:00');
const PEOPLE = 300;

for (const dialect of DIALECTS) {
  describe(`synthetic consents on ${dialect}`, () => {
    it('seeds realistic shares, withdrawals and guardian consents the guard honours', async () => {
      const clock = new FixedClock(END);
      const t = await createTestInstance(dialect, { clock });
      try {
        const sink = createVaultSink(t.store, {
          actor: 'system:seed',
          audit: { append: async () => {} },
          consents: { prepare: (newId) => consentSeeder(t.store, newId) },
        });
        for (const b of generatePopulation({
          people: PEOPLE,
          days: 1,
          seed: 9,
          end: END,
          batchSize: 100,
        })) {
          await sink.write(b);
        }
        await sink.finish();
        const db = t.store.db.kysely;
        const rows = await db.selectFrom('consent_current').selectAll().execute();
        const subjects = (purpose: string) =>
          new Set(rows.filter((r) => r.purpose_id === purpose).map((r) => r.subject_id)).size;
        expect(subjects('public-transit') / PEOPLE).toBeGreaterThan(0.5);
        expect(subjects('public-transit') / PEOPLE).toBeLessThan(0.7);
        expect(subjects('hospital') / PEOPLE).toBeGreaterThan(0.25);
        expect(subjects('statistics') / PEOPLE).toBeGreaterThan(0.15);
        expect(rows.some((r) => r.withdrawn_at !== null)).toBe(true);
        const byGuardian = rows.filter((r) => r.by_guardian === true || r.by_guardian === 1);
        expect(byGuardian.length).toBeGreaterThan(0);
        expect(
          byGuardian.every(
            (r) => r.guardian_id !== null && (r.separate === true || r.separate === 1),
          ),
        ).toBe(true);
        const events = await db.selectFrom('consent_events').select(['action']).execute();
        expect(events.filter((e) => e.action === 'withdraw').length).toBeGreaterThan(0);

        const guard = new ConsentGuard(testLedgerDeps(db, clock, t.store.random));
        const active = rows.find(
          (r) =>
            r.purpose_id === 'public-transit' &&
            r.category === 'contact' &&
            r.withdrawn_at === null &&
            !(r.by_guardian === true || r.by_guardian === 1),
        )!;
        expect(
          await guard.decide({
            subjectId: active.subject_id,
            purpose: 'public-transit',
            category: 'contact',
          }),
        ).toMatchObject({ allowed: true, reason: 'consent' });
        const gone = rows.find((r) => r.purpose_id === 'public-transit' && r.withdrawn_at !== null);
        if (gone !== undefined) {
          expect(
            await guard.decide({
              subjectId: gone.subject_id,
              purpose: 'public-transit',
              category: gone.category as 'contact',
            }),
          ).toMatchObject({ allowed: false, reason: 'consent-withdrawn' });
        }
      } finally {
        await t.cleanup();
      }
    }, 60_000);

    it('seeds no consent for a resident whose ID number makes a child unless a guardian gave it', async () => {
      const clock = new FixedClock(END);
      const t = await createTestInstance(dialect, { clock });
      try {
        const [batch] = [
          ...generatePopulation({ people: 20, days: 1, seed: 9, end: END, batchSize: 20 }),
        ];
        const adults = batch.flatMap((r) =>
          r.type === 'resident' && r.resident.guardianSeq === undefined && !r.resident.canary
            ? [r.resident]
            : [],
        );
        const adult = adults.find((r) => syntheticConsents(r, END).length > 0)!;
        // A resident the generator did not mark as a child (no guardian), born 2020 by the ID.
        const { guardianSeq: _none, ...template } = adult;
        const kid = [100, 101, 102, 103, 104, 105, 106, 107]
          .map((n) => {
            const body = `11010520200315${n}`;
            return {
              ...template,
              seq: 900,
              idNumber: body + computeIdCheckChar(body),
              birthDate: '2020-03-15',
              phone: '+8613900000301',
            };
          })
          .find((r) => syntheticConsents(r, END).length > 0)!;
        const sink = createVaultSink(t.store, {
          actor: 'system:seed',
          audit: { append: async () => {} },
          consents: { prepare: (newId) => consentSeeder(t.store, newId) },
        });
        await sink.write([...batch, { type: 'resident', resident: kid }]);
        await sink.finish();
        const sys = openVault(t.store, { audit: { append: async () => {} } }).systemRepository({
          actor: 'test:find',
          purpose: 'maintenance',
        });
        const consentsOf = async (idNumber: string) =>
          t.store.db.kysely
            .selectFrom('consent_current')
            .selectAll()
            .where('subject_id', '=', (await sys.findCitizen(idNumber))!)
            .execute();
        expect(await consentsOf(adult.idNumber)).not.toEqual([]);
        expect(await consentsOf(kid.idNumber)).toEqual([]);
      } finally {
        await t.cleanup();
      }
    }, 60_000);
  });
}
