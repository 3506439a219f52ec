// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 22 — PIA gate: deploying processing of sensitive data, automated colour
 * rules, sharing with another processor or a new purpose requires a stored privacy-impact
 * assessment covering lawfulness and necessity, impact, and safeguards (PIPL arts. 55–56), kept
 * at least 3 years. The colour rules are gated where decisions about persons are made: issuing a
 * code (for a stored subject or from given inputs) and re-evaluating one. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../src/kernel/shared/index.js';
import { addPurpose, listPias, recordPia, requirePia } from '../../src/personal/consent/index.js';
import { testLedgerDeps } from '../../src/personal/consent/testing.js';
import {
  builtInRuleSet,
  issueSubjectCode,
  openSubjectCodes,
  reevaluateSubject,
  ruleSetLabel,
} from '../../src/services/codes/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { instanceVault } from '../../src/edges/app/index.js';

const assessment = {
  lawfulness: 'Separate consent under PIPL art. 13(1) and art. 29.',
  necessity: 'Only the categories listed; no history beyond the retention period.',
  impact: 'Health and whereabouts are sensitive; wrong decisions restrict movement.',
  safeguards: 'Vault encryption, purpose guard, Merkle audit log, crypto-erasure.',
  assessor: 'dpo@test.example',
};

for (const dialect of DIALECTS) {
  describe(`req. 22: PIA gate on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let deps: ReturnType<typeof testLedgerDeps>;

    beforeAll(async () => {
      clock = new FixedClock('2026-10-10T10:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('a new purpose with sensitive data waits for its PIA', async () => {
      const def = {
        id: 'school-health',
        name: { zh: '校园健康', en: 'School health' },
        description: { zh: '学校晨检。', en: 'Morning checks at school.' },
        legalBasis: '13(1)' as const,
        categories: ['temperature', 'symptoms'] as const,
        retention: 'P14D',
      };
      await expect(addPurpose(deps, def, 'operator:x')).rejects.toMatchObject({
        code: 'ERR_CONSENT_PIA_REQUIRED',
      });
      await recordPia(
        deps,
        { kind: 'sensitive-processing', ref: 'school-health', ...assessment },
        'operator:x',
      );
      await expect(addPurpose(deps, def, 'operator:x')).resolves.toMatchObject({
        id: 'school-health',
      });
    });

    it('sharing with another processor waits for its own PIA', async () => {
      const def = {
        id: 'insurer-sharing',
        name: { zh: '保险理赔', en: 'Insurance claims' },
        description: { zh: '向保险公司提供。', en: 'Provided to an insurer.' },
        legalBasis: '13(1)' as const,
        categories: ['contact'] as const,
        retention: 'P90D',
        recipients: ['Example Insurance Co.'],
      };
      await expect(addPurpose(deps, def, 'operator:x')).rejects.toMatchObject({
        code: 'ERR_CONSENT_PIA_REQUIRED',
        details: { kind: 'provision-to-others' },
      });
      await recordPia(
        deps,
        { kind: 'provision-to-others', ref: 'insurer-sharing', ...assessment },
        'operator:x',
      );
      await expect(addPurpose(deps, def, 'operator:x')).resolves.toMatchObject({
        recipients: ['Example Insurance Co.'],
      });
    });

    it('requirePia names what is missing, and counts only an assessment made in advance', async () => {
      await expect(
        requirePia(t.store.db.kysely, 'automated-decision', 'rules-2026-10', clock.now()),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_PIA_REQUIRED',
      });
      clock.advance(1000);
      await recordPia(
        deps,
        { kind: 'automated-decision', ref: 'rules-2026-10', ...assessment },
        'operator:x',
      );
      // An assessment is made in advance: one recorded after the moment asked about does not count.
      await expect(
        requirePia(
          t.store.db.kysely,
          'automated-decision',
          'rules-2026-10',
          new Date(clock.now().getTime() - 1),
        ),
      ).rejects.toMatchObject({
        code: 'ERR_CONSENT_PIA_REQUIRED',
      });
      const pia = await requirePia(
        t.store.db.kysely,
        'automated-decision',
        'rules-2026-10',
        clock.now(),
      );
      expect(pia).toMatchObject(assessment);
    });

    it('issuing or re-evaluating a code under the colour rules waits for their automated-decision PIA', async () => {
      const op = { actor: 'operator:req22', role: 'operator' };
      const iv = await instanceVault(t.store);
      const subject = (
        await iv.vault
          .repository({ ...op, purpose: 'epidemic-control' })
          .ensureCitizen('11010519491231002X')
      ).subjectId;
      await iv.finish();
      const rules = ruleSetLabel(builtInRuleSet());
      const inputs = { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] };
      const sc = await openSubjectCodes(t.store, instanceVault, { riskAreas: [] });
      try {
        const refused = {
          code: 'ERR_CONSENT_PIA_REQUIRED',
          details: { kind: 'automated-decision', ref: rules },
        };
        await expect(issueSubjectCode(sc, subject, op)).rejects.toMatchObject(refused);
        await expect(reevaluateSubject(sc, subject, op)).rejects.toMatchObject(refused);
        await expect(sc.codes.issueFromInputs({ name: '钱学森', inputs })).rejects.toMatchObject(
          refused,
        );
        // An assessment of some other rule set, or of another kind, does not cover these rules.
        await recordPia(
          deps,
          { kind: 'automated-decision', ref: 'rules-2026-10', ...assessment },
          'operator:x',
        );
        await recordPia(
          deps,
          { kind: 'sensitive-processing', ref: rules, ...assessment },
          'operator:x',
        );
        await expect(issueSubjectCode(sc, subject, op)).rejects.toMatchObject(refused);
        // Refused means not decided: nothing was stored about the person.
        expect(await sc.ports(op).decisions.history(subject)).toEqual([]);

        clock.advance(1000);
        await recordPia(
          deps,
          { kind: 'automated-decision', ref: rules, ...assessment },
          'operator:x',
        );
        expect((await issueSubjectCode(sc, subject, op)).ruleSet).toBe(rules);
        expect((await reevaluateSubject(sc, subject, op)).decision.ruleSet).toEqual({
          id: 'default',
          version: 1,
        });
        const fromInputs = await sc.codes.issueFromInputs({ name: '钱学森', inputs });
        expect(fromInputs.token.tokenHash).toMatch(/^[0-9a-f]{64}$/);
        expect(await sc.ports(op).decisions.history(subject)).toHaveLength(2);
      } finally {
        await sc.finish();
      }
    });

    it('every record covers the art. 56 sections and is kept at least 3 years', async () => {
      await expect(
        recordPia(
          deps,
          { kind: 'automated-decision', ref: 'r', ...assessment, impact: '' },
          'operator:x',
        ),
      ).rejects.toMatchObject({ code: 'ERR_CONSENT_PIA_INVALID' });
      for (const p of await listPias(t.store.db.kysely)) {
        for (const k of ['lawfulness', 'necessity', 'impact', 'safeguards'] as const) {
          expect(p[k].length).toBeGreaterThan(2);
        }
        expect(p.keepUntil.getTime() - p.assessedAt.getTime()).toBeGreaterThanOrEqual(
          3 * 365 * 86_400_000,
        );
      }
    });
  });
}
