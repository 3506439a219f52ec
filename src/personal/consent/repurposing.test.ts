// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { ConsentGuard } from './guard-service.js';
import { withdrawConsent } from './ledger.js';
import {
  answerCampaign,
  campaignReport,
  closeCampaign,
  inviteSubjects,
  listCampaigns,
  proposeCampaign,
} from './repurposing.js';
import { testLedgerDeps } from './testing.js';

for (const dialect of DIALECTS) {
  describe(`repurposing campaign (随申码 → transit) on ${dialect}`, () => {
    let t: TestInstance;
    let deps: ReturnType<typeof testLedgerDeps>;
    let policy: string;

    beforeAll(async () => {
      const clock = new FixedClock('2026-07-01T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
      policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('asks, records answers, opens the data only to those who consented, and reports the numbers', async () => {
      const base = {
        fromPurposes: ['epidemic-control'],
        noticeHash: policy,
        actor: 'operator:bob',
      };
      await expect(
        proposeCampaign(deps, { ...base, purposeId: 'epidemic-control', categories: ['contact'] }),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_NOT_CONSENT_BASED',
      });
      await expect(
        proposeCampaign(deps, {
          ...base,
          fromPurposes: ['statistics'],
          purposeId: 'public-transit',
          categories: ['identity'],
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CAMPAIGN_INVALID' });
      await expect(
        proposeCampaign(deps, { ...base, purposeId: 'public-transit', categories: ['itinerary'] }),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE',
      });
      await expect(
        proposeCampaign(deps, { ...base, purposeId: 'ghost', categories: ['contact'] }),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_UNKNOWN_PURPOSE',
      });
      const campaign = await proposeCampaign(deps, {
        ...base,
        purposeId: 'public-transit',
        categories: ['identity', 'contact'],
      });
      expect(await listCampaigns(deps)).toHaveLength(1);

      const people = Array.from({ length: 10 }, (_, i) => `resident-${i}`);
      expect(await inviteSubjects(deps, campaign.id, people)).toEqual({ invited: 10 });
      expect(await inviteSubjects(deps, campaign.id, people.slice(0, 3))).toEqual({ invited: 0 });
      await expect(inviteSubjects(deps, campaign.id, ['13800138000'])).rejects.toMatchObject({
        code: 'ERR_CONSENT_CAMPAIGN_INVALID',
      });

      for (let i = 0; i < 6; i++) {
        const r = await answerCampaign(deps, {
          campaignId: campaign.id,
          subjectId: people[i],
          accept: true,
          actor: 'citizen',
        });
        // Identity is sensitive: its own separate act; contact in a second one (art. 29).
        expect(r.acts.map((a) => a.categories)).toEqual([['identity'], ['contact']]);
      }
      for (const i of [6, 7]) {
        expect(
          await answerCampaign(deps, {
            campaignId: campaign.id,
            subjectId: people[i],
            accept: false,
            actor: 'citizen',
          }),
        ).toEqual({
          answer: 'declined',
          acts: [],
        });
      }
      await expect(
        answerCampaign(deps, {
          campaignId: campaign.id,
          subjectId: people[0],
          accept: false,
          actor: 'citizen',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CAMPAIGN_INVALID' });
      await expect(
        answerCampaign(deps, {
          campaignId: campaign.id,
          subjectId: 'stranger-1',
          accept: true,
          actor: 'citizen',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CAMPAIGN_INVALID' });
      await withdrawConsent(deps, {
        subjectId: people[5],
        purposeId: 'public-transit',
        categories: ['identity'],
        actor: 'citizen',
      });

      const guard = new ConsentGuard(deps);
      const readable: string[] = [];
      for (const s of people) {
        const d = await guard.decide({
          subjectId: s,
          purpose: 'public-transit',
          category: 'identity',
        });
        if (d.allowed) {
          readable.push(s);
        }
        // The old purpose still reads everyone's data (its statutory basis is open).
        expect(
          (await guard.decide({ subjectId: s, purpose: 'epidemic-control', category: 'identity' }))
            .allowed,
        ).toBe(true);
      }
      expect(readable).toEqual(people.slice(0, 5));

      expect(await campaignReport(deps, campaign.id)).toMatchObject({
        invited: 10,
        accepted: 6,
        declined: 2,
        pending: 2,
        readableNow: 5,
        withdrawnSince: 1,
      });
      await closeCampaign(deps, campaign.id);
      await expect(
        answerCampaign(deps, {
          campaignId: campaign.id,
          subjectId: people[8],
          accept: true,
          actor: 'citizen',
        }),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_CAMPAIGN_INVALID' });
      await expect(closeCampaign(deps, campaign.id)).rejects.toMatchObject({
        code: 'ERR_CONSENT_CAMPAIGN_INVALID',
      });
    });
  });
}
