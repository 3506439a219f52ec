// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 9 — legal basis per purpose: each purpose records its PIPL art. 13 basis;
 * epidemic control runs on 13(4) without consent but with notice (arts. 17, 35); any new purpose
 * (transit, hospital, city services) needs a new consent record, and for sensitive data a
 * separate consent not bundled with other terms (arts. 14, 29); under-14s need a guardian's
 * consent record (art. 31) — the age taken from the ID number the vault keeps, at grant and on
 * every read. On SQLite and PostgreSQL, through the instance's ledger and vault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../../src/kernel/shared/index.js';
import {
  ConsentGuard,
  consentRuntime,
  currentNotices,
  grantConsent,
  loadCatalogue,
  subjectConsents,
  type LedgerDeps,
} from '../../src/personal/consent/index.js';
import { computeIdCheckChar } from '../../src/kernel/domain/index.js';
import { type InstanceVault } from '../../src/personal/vault/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { instanceVault } from '../../src/edges/app/index.js';

const idOf = (body17: string) => body17 + computeIdCheckChar(body17);
/** GB 11643 numbers: two children (born 2020 and 2019: six and seven), an adult (born 1949). */
const CHILD = idOf('11010520200315123');
const OTHER_CHILD = idOf('44052420190704204');
const ADULT = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`req. 9: legal basis per purpose on ${dialect}`, () => {
    let t: TestInstance;
    let iv: InstanceVault;
    let deps: LedgerDeps;
    let guard: ConsentGuard;
    let policy: string;

    beforeAll(async () => {
      const clock = new FixedClock('2026-06-15T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      iv = await instanceVault(t.store);
      // The ledger as an instance wires it: the vault answers each subject's age.
      deps = (await consentRuntime(t.store, { subjects: iv.vault })).deps;
      guard = new ConsentGuard(deps);
      policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    it('records a PIPL art. 13 basis for every purpose; only epidemic control is not consent', async () => {
      const c = await loadCatalogue(deps);
      for (const p of c.purposes.values()) {
        expect(p.legalBasis).toMatch(/^13\([1-7]\)$/);
      }
      expect(
        [...c.purposes.values()]
          .filter((p) => p.legalBasis !== '13(1)')
          .map((p) => [p.id, p.legalBasis]),
      ).toEqual([['epidemic-control', '13(4)']]);
    });

    it('epidemic control reads without consent, and its notice says so', async () => {
      expect(
        await guard.decide({
          subjectId: 'r9-a',
          purpose: 'epidemic-control',
          category: 'test-results',
        }),
      ).toMatchObject({
        allowed: true,
        reason: 'statutory-basis',
        basis: '13(4)',
      });
      const zh = (await currentNotices(deps)).find((n) => n.hash === policy)!;
      expect(zh.body).toContain('应对突发公共卫生事件所必需');
      expect(zh.body).toContain('无需同意');
    });

    it('a new purpose reads nothing until a consent record exists', async () => {
      for (const purpose of ['public-transit', 'hospital', 'government-services', 'statistics']) {
        const c = await loadCatalogue(deps);
        const category = c.purposes.get(purpose)!.categories[0];
        expect(await guard.decide({ subjectId: 'r9-a', purpose, category })).toMatchObject({
          allowed: false,
          reason: 'no-consent',
        });
      }
      await grantConsent(deps, {
        subjectId: 'r9-a',
        purposeId: 'hospital',
        categories: ['test-results'],
        noticeHash: policy,
        separate: true,
        actor: 'citizen',
      });
      expect(
        await guard.decide({ subjectId: 'r9-a', purpose: 'hospital', category: 'test-results' }),
      ).toMatchObject({ allowed: true });
      const ledger = await subjectConsents(t.store.db.kysely, 'r9-a');
      expect(ledger.history).toEqual([
        expect.objectContaining({
          action: 'grant',
          purposeId: 'hospital',
          categories: ['test-results'],
        }),
      ]);
      expect(ledger.consents[0]?.noticeHash).toBe(policy);
    });

    it('sensitive data needs a separate consent, never bundled with other terms', async () => {
      const base = {
        subjectId: 'r9-b',
        purposeId: 'hospital',
        noticeHash: policy,
        actor: 'citizen',
      };
      await expect(
        grantConsent(deps, { ...base, categories: ['medical-history'] }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_SEPARATE_REQUIRED' });
      await expect(
        grantConsent(deps, { ...base, categories: ['medical-history', 'contact'], separate: true }),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_BUNDLED',
      });
      await grantConsent(deps, { ...base, categories: ['medical-history'], separate: true });
      await grantConsent(deps, { ...base, categories: ['contact'] });
      expect((await subjectConsents(t.store.db.kysely, 'r9-b')).history).toHaveLength(2);
    });

    it('an under-14 needs a guardian consent record: at grant and on every read through the vault', async () => {
      const epi = iv.vault.repository({
        actor: 'test:seed',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      const transit = iv.vault.repository({
        actor: 'gate:metro-1',
        role: 'operator',
        purpose: 'public-transit',
      });
      const child = (await epi.ensureCitizen(CHILD)).subjectId;
      const adult = (await epi.ensureCitizen(ADULT)).subjectId;
      const childContact = await epi.put(child, 'contact', { phone: 'synthetic-child' });
      const adultContact = await epi.put(adult, 'contact', { phone: 'synthetic-adult' });
      const base = {
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'citizen',
      };

      // At grant: the vault's birth date decides, not what the caller says.
      for (const claim of [{}, { under14: false }]) {
        await expect(
          grantConsent(deps, { ...base, ...claim, subjectId: child, separate: true }),
        ).rejects.toMatchObject({ code: 'ERR_CONSENT_GUARDIAN_REQUIRED' });
      }
      await expect(transit.get(child, childContact)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'no-consent' },
      });
      await grantConsent(deps, { ...base, subjectId: child, separate: true, guardianId: adult });
      expect((await subjectConsents(t.store.db.kysely, child)).consents[0]).toMatchObject({
        byGuardian: true,
        separate: true,
      });
      expect((await transit.get(child, childContact)).value).toEqual({ phone: 'synthetic-child' });

      // An adult's plain consent reads.
      await grantConsent(deps, { ...base, subjectId: adult });
      expect((await transit.get(adult, adultContact)).value).toEqual({ phone: 'synthetic-adult' });

      // On every read: a child's consent on record without a guardian (recorded by a ledger not
      // told the age) opens nothing.
      const other = (await epi.ensureCitizen(OTHER_CHILD)).subjectId;
      const otherContact = await epi.put(other, 'contact', { phone: 'synthetic-other' });
      const { subjects: _vault, ...unaware } = deps;
      await grantConsent(unaware, { ...base, subjectId: other });
      await expect(transit.get(other, otherContact)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'separate-consent-missing' },
      });
    });
  });
}
