// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 9 — legal basis per purpose: each purpose records its PIPL art. 13 basis;
 * epidemic control runs on 13(4) without consent but with notice (arts. 17, 35); any new purpose
 * (transit, hospital, city services) needs a new consent record, and for sensitive data a
 * separate consent not bundled with other terms (arts. 14, 29); under-14s need a guardian's
 * consent record (art. 31).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../src/shared/index.js';
import {
  ConsentGuard,
  currentNotices,
  grantConsent,
  loadCatalogue,
  subjectConsents,
} from '../../src/consent/index.js';
import { testLedgerDeps } from '../../src/consent/testing.js';
import { createTestInstance, type TestInstance } from '../support/dialects.js';

describe('req. 9: legal basis per purpose', () => {
  let t: TestInstance;
  let deps: ReturnType<typeof testLedgerDeps>;
  let guard: ConsentGuard;
  let policy: string;

  beforeAll(async () => {
    const clock = new FixedClock('2026-06-15T10:00:00+08:00');
    t = await createTestInstance('sqlite', { clock });
    deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    guard = new ConsentGuard(deps);
    policy = (await currentNotices(deps)).find(
      (n) => n.kind === 'privacy-policy' && n.language === 'zh',
    )!.hash;
  });
  afterAll(async () => {
    await t.cleanup();
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
    const base = { subjectId: 'r9-b', purposeId: 'hospital', noticeHash: policy, actor: 'citizen' };
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

  it('an under-14 needs a guardian consent record', async () => {
    const base = {
      subjectId: 'r9-child',
      purposeId: 'public-transit',
      categories: ['contact'],
      noticeHash: policy,
      separate: true,
      under14: true,
      actor: 'citizen',
    };
    await expect(grantConsent(deps, base)).rejects.toMatchObject({
      code: 'ERR_CONSENT_GUARDIAN_REQUIRED',
    });
    await grantConsent(deps, { ...base, guardianId: 'r9-parent' });
    const rec = (await subjectConsents(t.store.db.kysely, 'r9-child')).consents[0];
    expect(rec).toMatchObject({ byGuardian: true, separate: true });
    expect(
      await guard.decide({
        subjectId: 'r9-child',
        purpose: 'public-transit',
        category: 'contact',
        under14: true,
      }),
    ).toMatchObject({ allowed: true });
  });
});
