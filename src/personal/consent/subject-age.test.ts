// SPDX-License-Identifier: Apache-2.0
/**
 * The consent ledger and guard as an instance wires them, taking a subject's age from the vault
 * (its SubjectFactsPort; PIPL arts. 28, 31) instead of the caller: a grant or campaign answer for a
 * six-year-old needs a separate act by a guardian even when the caller says nothing or "not under
 * 14"; the caller's flag can still add protection to an adult; and the guard asked outside the
 * vault (`consent check`, analytics inputs) refuses a child's plain consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent, type LedgerDeps } from './ledger.js';
import { subjectConsents } from './ledger-view.js';
import { answerCampaign, inviteSubjects, proposeCampaign } from './repurposing.js';
import { consentRuntime } from './wiring.js';
import { instanceVault } from '../../edges/app/index.js';

const idOf = (body17: string) => body17 + computeIdCheckChar(body17);
/** Born 2020-03-15: six at the clock below. */
const CHILD = idOf('11010520200315123');
const SIBLING = idOf('11010520210901124');
const ADULT = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`consent with the vault's age on ${dialect}`, () => {
    let t: TestInstance;
    let deps: LedgerDeps;
    let policy: string;
    let child: string;
    let sibling: string;
    let adult: string;

    beforeAll(async () => {
      const clock = new FixedClock('2026-06-15T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      const iv = await instanceVault(t.store);
      const epi = iv.vault.repository({
        actor: 'test:seed',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      child = (await epi.ensureCitizen(CHILD)).subjectId;
      sibling = (await epi.ensureCitizen(SIBLING)).subjectId;
      adult = (await epi.ensureCitizen(ADULT)).subjectId;
      deps = (await consentRuntime(t.store, { subjects: iv.vault })).deps;
      policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    const transit = (subjectId: string, categories: string[], more: object = {}) => ({
      subjectId,
      purposeId: 'public-transit',
      categories,
      noticeHash: policy,
      actor: 'citizen:test',
      ...more,
    });

    it("refuses a child's grant without a guardian whatever the caller says", async () => {
      for (const claim of [{}, { under14: false }]) {
        await expect(grantConsent(deps, transit(child, ['contact'], claim))).rejects.toMatchObject({
          code: 'ERR_CONSENT_SEPARATE_REQUIRED',
        });
        await expect(
          grantConsent(deps, transit(child, ['contact'], { ...claim, separate: true })),
        ).rejects.toMatchObject({ code: 'ERR_CONSENT_GUARDIAN_REQUIRED' });
      }
      expect((await subjectConsents(t.store.db.kysely, child)).history).toEqual([]);

      await grantConsent(deps, transit(child, ['contact'], { separate: true, guardianId: adult }));
      expect((await subjectConsents(t.store.db.kysely, child)).consents).toMatchObject([
        { purposeId: 'public-transit', category: 'contact', byGuardian: true, separate: true },
      ]);
    });

    it("grants an adult's plain consent, unless the caller's flag adds a child's protection", async () => {
      await expect(
        grantConsent(deps, transit(adult, ['contact'], { under14: true, separate: true })),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_GUARDIAN_REQUIRED' });
      await grantConsent(deps, transit(adult, ['contact']));
      expect((await subjectConsents(t.store.db.kysely, adult)).consents).toMatchObject([
        { category: 'contact', byGuardian: false, separate: false },
      ]);
    });

    it("refuses a child's campaign answer without a guardian", async () => {
      const campaign = await proposeCampaign(deps, {
        fromPurposes: ['epidemic-control'],
        purposeId: 'hospital',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'operator:test',
      });
      await inviteSubjects(deps, campaign.id, [sibling, adult]);
      await expect(
        answerCampaign(deps, {
          campaignId: campaign.id,
          subjectId: sibling,
          accept: true,
          under14: false,
          actor: 'citizen:test',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_GUARDIAN_REQUIRED' });
      const adultAnswer = await answerCampaign(deps, {
        campaignId: campaign.id,
        subjectId: adult,
        accept: true,
        actor: 'citizen:test',
      });
      expect(adultAnswer.acts).toHaveLength(1);
      const granted = await answerCampaign(deps, {
        campaignId: campaign.id,
        subjectId: sibling,
        accept: true,
        guardianId: adult,
        actor: 'guardian:test',
      });
      expect(granted.acts.map((a) => a.categories)).toEqual([['contact']]);
      expect((await subjectConsents(t.store.db.kysely, sibling)).consents).toMatchObject([
        { purposeId: 'hospital', category: 'contact', byGuardian: true, separate: true },
      ]);
    });

    it("the guard asked outside the vault refuses a child's plain consent", async () => {
      // A consent the ledger recorded without knowing the age (before the vault answered it).
      const { subjects: _vault, ...unaware } = deps;
      await grantConsent(unaware, {
        ...transit(sibling, ['contact']),
        purposeId: 'government-services',
      });
      await grantConsent(unaware, {
        ...transit(adult, ['contact']),
        purposeId: 'government-services',
      });
      const guard = new ConsentGuard(deps);
      const ask = (subjectId: string) =>
        guard.decide({ subjectId, purpose: 'government-services', category: 'contact' });
      expect(await ask(sibling)).toMatchObject({
        allowed: false,
        reason: 'separate-consent-missing',
      });
      expect(await ask(adult)).toMatchObject({ allowed: true, reason: 'consent' });
    });
  });
}
