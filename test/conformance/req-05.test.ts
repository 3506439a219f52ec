// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 5 — four data groups: every stored field is tagged with exactly one group
 * (basic / health / itinerary / certification) and a sensitivity flag; health, itinerary
 * (whereabouts) and all data of under-14s are sensitive (GB/T 38962-2020 §4; PIPL art. 28) — for
 * a stored child, the vault's birth date makes even contact data need a separate consent, at grant
 * and on every read, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentRuntime, currentNotices, grantConsent } from '../../src/personal/consent/index.js';
import {
  categoriesOfGroup,
  categoryInfo,
  computeIdCheckChar,
  DATA_CATEGORIES,
  DATA_GROUPS,
  isSensitive,
} from '../../src/kernel/domain/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { instanceVault } from '../../src/edges/app/index.js';

describe('req. 5: four data groups', () => {
  it('has exactly the four GB/T 38962 groups', () => {
    expect([...DATA_GROUPS]).toEqual(['basic', 'health', 'itinerary', 'certification']);
  });

  it('tags every category with exactly one group and a boolean sensitivity', () => {
    for (const c of DATA_CATEGORIES) {
      const info = categoryInfo(c);
      expect(
        DATA_GROUPS.filter((g) => categoriesOfGroup(g).includes(c)),
        c,
      ).toEqual([info.group]);
      expect(typeof info.sensitive).toBe('boolean');
    }
    expect(DATA_GROUPS.every((g) => categoriesOfGroup(g).length > 0)).toBe(true);
  });

  it('flags health, itinerary and certification data sensitive for everyone', () => {
    for (const g of ['health', 'itinerary', 'certification'] as const) {
      for (const c of categoriesOfGroup(g)) {
        expect(isSensitive(c, { under14: false }), c).toBe(true);
      }
    }
    expect(isSensitive('medical-history', { under14: false })).toBe(true);
  });

  it('flags every category of an under-14 sensitive', () => {
    for (const c of DATA_CATEGORIES) {
      expect(isSensitive(c, { under14: true }), c).toBe(true);
    }
    expect(isSensitive('contact', { under14: false })).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 5: all data of a stored under-14 is sensitive, on ${dialect}`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await createTestInstance(dialect, {
        clock: new FixedClock('2026-06-15T10:00:00+08:00'),
      });
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    it("needs a separate consent for a child's contact data, not for an adult's", async () => {
      const iv = await instanceVault(t.store);
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
      const body = '11010520200315123'; // born 2020-03-15
      const child = (await epi.ensureCitizen(body + computeIdCheckChar(body))).subjectId;
      const adult = (await epi.ensureCitizen('11010519491231002X')).subjectId;
      const childContact = await epi.put(child, 'contact', { phone: 'synthetic-child' });
      const adultContact = await epi.put(adult, 'contact', { phone: 'synthetic-adult' });
      const rt = await consentRuntime(t.store, { subjects: iv.vault });
      const act = {
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: (await currentNotices(rt.deps)).find(
          (n) => n.kind === 'privacy-policy' && n.language === 'zh',
        )!.hash,
        actor: 'citizen',
      };
      const byGuardian = { ...act, subjectId: child, guardianId: adult };

      // At grant: the guardian's act for the child must be separate (art. 29).
      await expect(grantConsent(rt.deps, byGuardian)).rejects.toMatchObject({
        code: 'ERR_CONSENT_SEPARATE_REQUIRED',
      });
      // On read: the same non-separate act on record (a ledger not told the age) opens nothing
      // for the child, while an adult's identical consent reads.
      const { subjects: _vault, ...unaware } = rt.deps;
      await grantConsent(unaware, byGuardian);
      await grantConsent(unaware, { ...act, subjectId: adult });
      await expect(transit.get(child, childContact)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        details: { reason: 'separate-consent-missing' },
      });
      expect((await transit.get(adult, adultContact)).value).toEqual({ phone: 'synthetic-adult' });
    });
  });
}
