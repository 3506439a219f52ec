// SPDX-License-Identifier: Apache-2.0
/**
 * The vault tells the purpose guard when a subject is under 14 (PIPL arts. 28, 31), from the birth
 * date it keeps encrypted with the subject (taken from the GB 11643 ID number at creation): a
 * child's data needs a guardian's separate consent on every read, whatever the ledger was told
 * when the consent was recorded; an adult on the same consent reads. A SIM linked to a child is
 * the child's. The same answer goes to the consent ledger (its SubjectFactsPort).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices, grantConsent, type LedgerDeps } from '../consent/index.js';
import { testLedgerDeps } from '../consent/testing.js';
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { generatePopulation } from '../../foundation/sim/index.js';
import { createVaultSink, type InstanceVault, type VaultRepository } from './index.js';
import { instanceVault } from '../../edges/app/index.js';

const NOW = '2026-06-15T10:00:00+08:00';
/** GB 11643 numbers: a child born 2020-03-15 (six years old at NOW), and an adult (1949). */
const idOf = (body17: string) => body17 + computeIdCheckChar(body17);
const CHILD = idOf('11010520200315123');
const SECOND_CHILD = idOf('31010420190704204');
const ADULT = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`the vault's age check on ${dialect}`, () => {
    let t: TestInstance;
    let iv: InstanceVault;
    let epi: VaultRepository;
    let transit: VaultRepository;
    /**
     * A ledger that is never told anyone's age: it stands for consents recorded before the vault
     * answered the ledger, or by a path that trusted its caller. The read must hold regardless.
     */
    let unaware: LedgerDeps;
    let policy: string;

    const consent = (
      subjectId: string,
      categories: string[],
      more: { separate?: boolean; guardianId?: string; under14?: boolean } = {},
    ) =>
      grantConsent(unaware, {
        subjectId,
        purposeId: 'public-transit',
        categories,
        noticeHash: policy,
        actor: 'citizen:test',
        ...more,
      });

    beforeAll(async () => {
      const clock = new FixedClock(NOW);
      t = await createTestInstance(dialect, { clock });
      iv = await instanceVault(t.store);
      epi = iv.vault.repository({
        actor: 'test:seed',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      transit = iv.vault.repository({
        actor: 'gate:metro-1',
        role: 'operator',
        purpose: 'public-transit',
      });
      unaware = testLedgerDeps(t.store.db.kysely, clock, t.store.random);
      policy = (await currentNotices(unaware)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    it("refuses a child's contact to public transit on a plain consent; a guardian's separate consent opens it; an adult reads on the plain one", async () => {
      const child = (await epi.ensureCitizen(CHILD)).subjectId;
      const adult = (await epi.ensureCitizen(ADULT)).subjectId;
      const childContact = await epi.put(child, 'contact', { phone: 'synthetic-child' });
      const adultContact = await epi.put(adult, 'contact', { phone: 'synthetic-adult' });
      await consent(child, ['contact']);
      await consent(adult, ['contact']);

      // Everything of an under-14 is sensitive (art. 28): the plain consent does not reach it.
      await expect(transit.get(child, childContact)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'separate-consent-missing' },
      });
      await expect(transit.list(child, { categories: ['contact'] })).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      expect((await transit.get(adult, adultContact)).value).toEqual({ phone: 'synthetic-adult' });

      // The guardian's separate consent (art. 31) opens the child's contact.
      await consent(child, ['contact'], { separate: true, guardianId: adult, under14: true });
      expect((await transit.get(child, childContact)).value).toEqual({ phone: 'synthetic-child' });
    });

    it("refuses a child's separate consent given without a guardian", async () => {
      const child = (await epi.ensureCitizen(SECOND_CHILD)).subjectId;
      const identity = await epi.put(child, 'identity', { name: '测试童' });
      // Identity is sensitive for everyone, so a separate act is accepted by the unaware ledger.
      await consent(child, ['identity'], { separate: true });
      await expect(transit.get(child, identity)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'guardian-consent-missing' },
      });
    });

    it("treats a SIM linked to a child as the child's, and an unlinked SIM as before", async () => {
      const child = (await epi.ensureCitizen(CHILD)).subjectId;
      const childSim = (await epi.ensureSubscriber('+8613900000101')).subjectId;
      const otherSim = (await epi.ensureSubscriber('+8613900000102')).subjectId;
      await epi.link(child, childSim);
      const a = await epi.put(childSim, 'contact', { phone: '+8613900000101' });
      const b = await epi.put(otherSim, 'contact', { phone: '+8613900000102' });
      await consent(childSim, ['contact']);
      await consent(otherSim, ['contact']);
      await expect(transit.get(childSim, a)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'separate-consent-missing' },
      });
      expect((await transit.get(otherSim, b)).value).toEqual({ phone: '+8613900000102' });
    });

    it('answers the consent ledger: under 14 until the 14th birthday in China time, unknown subjects undefined', async () => {
      const db = t.store.db.kysely;
      const child = (await epi.ensureCitizen(CHILD)).subjectId;
      const adult = (await epi.ensureCitizen(ADULT)).subjectId;
      const sim = (await epi.ensureSubscriber('+8613900000101')).subjectId;
      const lone = (await epi.ensureSubscriber('+8613900000102')).subjectId;
      const now = new Date(NOW);
      expect(await iv.vault.isUnder14(db, child, now)).toBe(true);
      expect(await iv.vault.isUnder14(db, adult, now)).toBe(false);
      expect(await iv.vault.isUnder14(db, sim, now)).toBe(true);
      expect(await iv.vault.isUnder14(db, lone, now)).toBeUndefined();
      expect(await iv.vault.isUnder14(db, 'no-such-subject-0001', now)).toBeUndefined();
      // 14 on 2034-03-15 in Asia/Shanghai, i.e. from 2034-03-14T16:00Z.
      expect(await iv.vault.isUnder14(db, child, new Date('2034-03-14T15:59:59Z'))).toBe(true);
      expect(await iv.vault.isUnder14(db, child, new Date('2034-03-14T16:00:00Z'))).toBe(false);
    });

    it('keeps the birth date of seeded children (the seeding sink), so their reads are checked too', async () => {
      const all = [
        ...generatePopulation({ people: 60, days: 1, seed: 11, end: new Date(NOW), batchSize: 30 }),
      ];
      const sink = createVaultSink(t.store, {
        actor: 'system:seed',
        audit: { append: async () => {} },
      });
      for (const batch of all) {
        await sink.write(batch);
      }
      await sink.finish();
      const residents = all.flat().flatMap((r) => (r.type === 'resident' ? [r.resident] : []));
      const kid = residents.find((r) => r.guardianSeq !== undefined);
      const grown = residents.find(
        (r) => r.guardianSeq === undefined && r.birthDate < '2000-01-01',
      );
      expect(kid).toBeDefined();
      expect(grown).toBeDefined();
      const sys = iv.vault.systemRepository({ actor: 'test:find', purpose: 'maintenance' });
      const kidId = (await sys.findCitizen(kid!.idNumber))!;
      const grownId = (await sys.findCitizen(grown!.idNumber))!;
      await consent(kidId, ['contact']);
      await consent(grownId, ['contact']);
      await expect(transit.list(kidId, { categories: ['contact'] })).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'separate-consent-missing' },
      });
      expect(await transit.list(grownId, { categories: ['contact'] })).toHaveLength(1);
    }, 60_000);
  });
}
