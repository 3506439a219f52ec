// SPDX-License-Identifier: Apache-2.0
/**
 * An instance's statistics consent asks the vault a subscriber's age (PIPL art. 31): the SIM of a
 * six-year-old counts only on a guardian's consent, even where the ledger holds a separate consent
 * the child gave alone; an adult's SIM on the same consent counts. Real vault and ledger, both
 * engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { consentRuntime, currentNotices, grantConsent } from '../../personal/consent/index.js';
import { computeIdCheckChar } from '../../kernel/domain/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { instanceStatisticsConsent } from './instance-consent.js';
import { instanceVault } from '../../edges/app/index.js';

const CHILD_BODY = '11010520200315123'; // born 2020-03-15
const CHILD_SIM = '13800000021';
const ADULT_SIM = '13800000022';

for (const dialect of DIALECTS) {
  describe(`statistics consent of an instance on ${dialect}`, () => {
    let t: TestInstance;

    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-06-15T10:00:00+08:00') });
      const iv = await instanceVault(t.store);
      // A ledger not told anyone's age: the child's lone consent is on record, as it could be
      // from before the vault answered the ledger.
      const unaware = await consentRuntime(t.store);
      try {
        const repo = iv.vault.systemRepository({ actor: 'system:test', purpose: 'maintenance' });
        const child = await repo.ensureCitizen(CHILD_BODY + computeIdCheckChar(CHILD_BODY));
        const adult = await repo.ensureCitizen('11010519491231002X');
        const childSim = await repo.ensureSubscriber(CHILD_SIM);
        const adultSim = await repo.ensureSubscriber(ADULT_SIM);
        await repo.link(child.subjectId, childSim.subjectId);
        await repo.link(adult.subjectId, adultSim.subjectId);
        const policy = (await currentNotices(unaware.deps)).find(
          (n) => n.kind === 'privacy-policy' && n.language === 'zh',
        )!.hash;
        for (const subjectId of [child.subjectId, adult.subjectId]) {
          await grantConsent(unaware.deps, {
            subjectId,
            purposeId: 'statistics',
            categories: ['location-events'],
            noticeHash: policy,
            separate: true,
            actor: 'citizen',
          });
        }
      } finally {
        await unaware.finish();
        await iv.finish();
      }
    }, 60_000);
    afterAll(async () => {
      await t?.cleanup();
    });

    it("leaves out a child's SIM without a guardian's consent and keeps an adult's", async () => {
      const ic = await instanceStatisticsConsent(t.store, instanceVault);
      try {
        expect(await ic.consent.allowsStatistics({ holder: 'cmcc', phone: CHILD_SIM })).toBe(false);
        expect(await ic.consent.allowsStatistics({ holder: 'cmcc', phone: ADULT_SIM })).toBe(true);
      } finally {
        await ic.finish();
      }
    });
  });
}
