// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { openDb } from '../../platform/db/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import {
  addPurpose,
  addService,
  currentNotices,
  loadCatalogue,
  publishNotices,
  retirePurpose,
  retireService,
} from './catalogue-service.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent } from './ledger.js';
import { listNotices } from './notices.js';
import { recordPia } from './pia.js';
import { testLedgerDeps } from './testing.js';

const newPurpose = {
  id: 'vaccination-reminders',
  name: { zh: '接种提醒', en: 'Vaccination reminders' },
  description: { zh: '提醒接种下一剂。', en: 'Reminds people of their next dose.' },
  legalBasis: '13(1)' as const,
  categories: ['contact', 'vaccination'] as const,
  retention: 'P1Y',
};

for (const dialect of DIALECTS) {
  describe(`purpose and service catalogue on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let deps: ReturnType<typeof testLedgerDeps>;

    beforeAll(async () => {
      clock = new FixedClock('2026-05-04T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('seeds the built-in purposes and services once, with their bases and consent rules', async () => {
      const [a, b] = await Promise.all([loadCatalogue(deps), loadCatalogue(deps)]);
      expect(a.version).toBe(1);
      expect(b.version).toBe(1);
      expect([...a.purposes.keys()]).toEqual([
        'epidemic-control',
        'public-transit',
        'hospital',
        'government-services',
        'statistics',
      ]);
      expect(a.purposes.get('epidemic-control')).toMatchObject({
        legalBasis: '13(4)',
        validTo: null,
        separateConsent: false,
        guardianRule: 'none',
      });
      expect(a.purposes.get('hospital')).toMatchObject({
        legalBasis: '13(1)',
        separateConsent: true,
        guardianRule: 'guardian-under-14',
      });
      expect([...a.services.keys()]).toHaveLength(9);
      expect(a.services.get('transit-code')).toMatchObject({
        purposes: ['public-transit'],
        core: false,
      });
      const pias = await t.store.db.kysely.selectFrom('consent_pia').select('ref').execute();
      expect(pias.map((p) => p.ref).sort()).toEqual([
        'epidemic-control',
        'government-services',
        'hospital',
        'public-transit',
        'statistics',
      ]);
    });

    it('adds a sensitive purpose only after a stored PIA, and sees it from another connection at once', async () => {
      await expect(addPurpose(deps, newPurpose, 'operator:alice')).rejects.toMatchObject({
        code: 'ERR_CONSENT_PIA_REQUIRED',
      });
      await expect(
        recordPia(
          deps,
          {
            kind: 'sensitive-processing',
            ref: newPurpose.id,
            lawfulness: 'x',
            necessity: '',
            impact: 'i',
            safeguards: 's',
            assessor: 'a',
          },
          'operator:alice',
        ),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_PIA_INVALID' });
      const other = await openDb(
        dialect === 'sqlite'
          ? { kind: 'sqlite', file: t.store.db.file! }
          : { kind: 'postgres', url: t.dbUrl! },
      );
      try {
        const otherDeps = { ...deps, db: other.kysely };
        const cachedBefore = await loadCatalogue(otherDeps);
        expect(cachedBefore.purposes.has(newPurpose.id)).toBe(false);
        const policyBefore = (await currentNotices(deps)).find(
          (n) => n.kind === 'privacy-policy' && n.language === 'en',
        )!;
        await recordPia(
          deps,
          {
            kind: 'sensitive-processing',
            ref: newPurpose.id,
            lawfulness: 'Separate consent, PIPL art. 13(1) and 29.',
            necessity: 'A phone to remind, the vaccination record to know the next dose.',
            impact: 'Vaccination status is medical health information.',
            safeguards: 'Vault encryption, guard, audit.',
            assessor: 'dpo@test.example',
          },
          'operator:alice',
        );
        const added = await addPurpose(deps, newPurpose, 'operator:alice');
        expect(added).toMatchObject({
          builtin: false,
          separateConsent: true,
          guardianRule: 'guardian-under-14',
        });
        await expect(addPurpose(deps, newPurpose, 'operator:alice')).rejects.toMatchObject({
          code: 'ERR_CONSENT_CATALOGUE_INVALID',
        });
        // The other process's cache notices the version bump on its next read.
        const after = await loadCatalogue(otherDeps);
        expect(after.version).toBeGreaterThan(cachedBefore.version);
        expect(after.purposes.get(newPurpose.id)?.categories).toEqual(['contact', 'vaccination']);
        // The notices were re-rendered: a new version, the old one superseded.
        const policyAfter = (await currentNotices(deps)).find(
          (n) => n.kind === 'privacy-policy' && n.language === 'en',
        )!;
        expect(policyAfter.hash).not.toBe(policyBefore.hash);
        expect(policyAfter.version).toBe(policyBefore.version + 1);
        expect(policyAfter.body).toContain('Vaccination reminders (vaccination-reminders)');
        await expect(
          grantConsent(deps, {
            subjectId: 'subj-n',
            purposeId: newPurpose.id,
            categories: ['contact'],
            noticeHash: policyBefore.hash,
            actor: 'citizen',
          }),
        ).rejects.toMatchObject({ code: 'ERR_CONSENT_NOTICE_INVALID' });
        await grantConsent(deps, {
          subjectId: 'subj-n',
          purposeId: newPurpose.id,
          categories: ['contact'],
          noticeHash: policyAfter.hash,
          actor: 'citizen',
        });
      } finally {
        await other.close();
      }
    });

    it('refuses unsound definitions with the rule that failed', async () => {
      const bad = [
        { ...newPurpose, id: 'Bad Id' },
        { ...newPurpose, id: 'x-retention', retention: '30 days' },
        { ...newPurpose, id: 'x-cats', categories: [] },
        { ...newPurpose, id: 'x-unknown', categories: ['dna'] },
      ];
      for (const def of bad) {
        await expect(addPurpose(deps, def as never, 'operator:alice')).rejects.toMatchObject({
          code: 'ERR_CONSENT_CATALOGUE_INVALID',
        });
      }
      await expect(
        addService(
          deps,
          {
            id: 'gym-code',
            name: { zh: '健身码', en: 'Gym code' },
            purposes: ['public-transit'],
            categories: ['test-results'],
          },
          'operator:alice',
        ),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CATALOGUE_INVALID' });
      await expect(
        addService(
          deps,
          {
            id: 'gym-code',
            name: { zh: '健身码', en: 'Gym code' },
            purposes: ['public-transit'],
            categories: ['identity'],
            core: true,
          },
          'operator:alice',
        ),
      ).rejects.toThrow(/core service/);
      const s = await addService(
        deps,
        {
          id: 'ferry-code',
          name: { zh: '轮渡码', en: 'Ferry code' },
          purposes: ['public-transit'],
          categories: ['identity', 'contact'],
        },
        'operator:alice',
      );
      expect(s.builtin).toBe(false);
      await retireService(deps, 'ferry-code', 'operator:alice');
      await expect(retireService(deps, 'ferry-code', 'operator:alice')).rejects.toMatchObject({
        code: 'ERR_CONSENT_PURPOSE_INACTIVE',
      });
    });

    it('retiring a purpose closes its window: the guard refuses from then on', async () => {
      const guard = new ConsentGuard(deps);
      const ask = () =>
        guard.decide({ subjectId: 'subj-n', purpose: newPurpose.id, category: 'contact' });
      expect(await ask()).toMatchObject({ allowed: true });
      clock.advance(1000);
      const retired = await retirePurpose(deps, newPurpose.id, 'operator:alice');
      expect(retired.validTo?.getTime()).toBe(clock.now().getTime());
      expect(await ask()).toMatchObject({ allowed: false, reason: 'basis-expired' });
      await expect(retirePurpose(deps, newPurpose.id, 'operator:alice')).rejects.toMatchObject({
        code: 'ERR_CONSENT_PURPOSE_INACTIVE',
      });
      const all = await listNotices(t.store.db.kysely);
      expect(
        all.filter(
          (n) => n.kind === 'privacy-policy' && n.language === 'zh' && n.supersededAt === null,
        ),
      ).toHaveLength(1);
      // Publishing again without a change keeps the same versions.
      const again = await publishNotices(deps);
      expect((await listNotices(t.store.db.kysely)).length).toBe(all.length);
      expect(again.every((n) => n.supersededAt === null)).toBe(true);
    });
  });
}
