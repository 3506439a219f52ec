// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { assessColourRules } from '../../../test/support/assessments.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { type VaultRepository } from '../../personal/vault/index.js';
import { GuardianLinkError, NoDecisionError, ReviewStateError } from './errors.js';
import { correctAndReevaluate, decideReview, listReviews, requestReview } from './review.js';
import {
  addManualOrder,
  explainSubjectCode,
  issueSubjectCode,
  openSubjectCodes,
  type SubjectCodes,
} from './subject.js';
import { parseTrustList } from './trust-list.js';
import { verifyToken } from './verify.js';
import { instanceVault } from '../../edges/app/index.js';

/** A GB 11643 number with its MOD 11-2 check character (synthetic bodies). */
function idNumber(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

const ADULT = idNumber('31010419800101001');
const CHILD = idNumber('31010420180601002');
const OTHER = idNumber('31010419820202003');
const T0 = '2026-12-01T10:00:00+08:00';
const epidemic = { actor: 'operator:test', role: 'operator', purpose: 'epidemic-control' };
const op = { actor: 'operator:test', role: 'operator' };

for (const dialect of DIALECTS) {
  describe(`health codes for stored subjects on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let sc: SubjectCodes;
    let repo: VaultRepository;
    let adult: string;
    let child: string;
    let other: string;
    let feverRecord: string;

    beforeAll(async () => {
      clock = new FixedClock(T0);
      t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      const iv = await instanceVault(t.store);
      repo = iv.vault.repository(epidemic);
      adult = (await repo.ensureCitizen(ADULT)).subjectId;
      other = (await repo.ensureCitizen(OTHER)).subjectId;
      child = (await repo.ensureCitizen(CHILD, { guardian: adult })).subjectId;
      await repo.put(adult, 'identity', { name: '张三丰', idNumber: ADULT });
      await repo.put(child, 'identity', { name: '张小宝', idNumber: CHILD, guardian: adult });
      await repo.put(other, 'identity', { name: '欧阳娜娜', idNumber: OTHER });
      for (const s of [adult, child, other]) {
        await repo.put(s, 'test-results', {
          kind: 'nucleic-acid',
          result: 'negative',
          at: '2026-11-30T09:00:00+08:00',
        });
        await repo.put(s, 'symptoms', { symptoms: ['none'], at: '2026-12-01T08:00:00+08:00' });
      }
      feverRecord = await repo.put(adult, 'temperature', {
        celsius: 38.2,
        at: '2026-12-01T08:00:00+08:00',
      });
      await repo.put(child, 'temperature', { celsius: 36.5, at: '2026-12-01T08:00:00+08:00' });
      await repo.put(other, 'temperature', { celsius: 36.6, at: '2026-12-01T08:00:00+08:00' });
      await repo.put(other, 'itinerary', {
        region: '440305',
        from: '2026-11-25T08:00:00+08:00',
        to: '2026-11-26T08:00:00+08:00',
      });
      await iv.finish();
      sc = await openSubjectCodes(t.store, instanceVault, {
        riskAreas: [
          { region: '440300', level: 'high', from: '2026-11-20T00:00:00+08:00', to: null },
          { region: '110105', level: 'medium', from: '2026-11-20T00:00:00+08:00', to: null },
        ],
      });
    }, 60_000);
    afterAll(async () => {
      await sc?.finish();
      await t.cleanup();
    });

    it('issues from the vault, stores the decision and answers "why am I yellow"', async () => {
      await expect(explainSubjectCode(sc, adult, op)).rejects.toBeInstanceOf(NoDecisionError);
      const code = await issueSubjectCode(sc, adult, op);
      expect(code.colour).toBe('yellow');
      expect(code.maskedName).toBe('张**');
      expect(code.validUntil).toBe('2026-12-01T16:00:00.000Z');
      expect(code.qrSvg).toMatch(/^<svg|<\?xml/);
      expect(code.reasons.map((r) => r.rule)).toEqual(['declaration.fever']);
      const { trustList, revocations } = parseTrustList(await sc.codes.trustListText());
      const v = verifyToken(code.token, { trustList, revocations, at: clock.now() });
      expect(v).toMatchObject({ ok: true, colour: 'yellow', maskedName: '张**' });

      const e = await explainSubjectCode(sc, adult, op);
      expect(e.colour).toBe('yellow');
      expect(e.ruleSet).toEqual({ id: 'default', version: 1 });
      expect(e.reasons[0].reason).toMatch(/37\.3 °C/);
      expect(e.inputs.declarations).toEqual([
        { at: '2026-12-01T08:00:00+08:00', temperatureC: 38.2, symptoms: [] },
      ]);
      expect(e.inputs.tests).toHaveLength(1);
      expect(e.decisions).toBe(1);
      // The decision sits in the vault, encrypted, under colour-decisions.
      const stored = await repo.list(adult, { categories: ['colour-decisions'] });
      expect(stored).toHaveLength(1);
      expect(stored[0].recordId).toBe(e.decisionId);
    });

    it('matches the itinerary against the risk-area list and keeps only relevant areas', async () => {
      const code = await issueSubjectCode(sc, other, op);
      expect(code.colour).toBe('yellow');
      expect(code.maskedName).toBe('欧阳**');
      const e = await explainSubjectCode(sc, other, op);
      // A high-risk designation is "medium or higher" too.
      expect(e.reasons.map((r) => r.rule)).toEqual(['area.high', 'area.medium']);
      expect(e.inputs.riskAreas.map((a) => a.region)).toEqual(['440300']);
    });

    it('re-evaluates after a correction (纠错) and queues a human review when asked', async () => {
      await repo.correct(adult, feverRecord, { celsius: 36.7, at: '2026-12-01T08:00:00+08:00' });
      clock.advance(60_000);
      const r = await correctAndReevaluate(sc, adult, op, { humanReview: true, requestId: 'rq1' });
      expect(r).toMatchObject({ colour: 'green', previousColour: 'yellow', changed: true });
      expect(r.reviewId).toMatch(/^rv_/);
      const pending = await listReviews(sc, { status: 'pending' });
      expect(pending.map((p) => p.id)).toContain(r.reviewId);
      expect(pending.find((p) => p.id === r.reviewId)).toMatchObject({
        subjectId: adult,
        reason: 'correction',
        requestId: 'rq1',
        decisionId: r.decisionId,
      });
      expect((await explainSubjectCode(sc, adult, op)).colour).toBe('green');

      // The reviewer orders home observation: stored as an order, re-evaluated, review closed.
      clock.advance(60_000);
      const d = await decideReview(
        sc,
        r.reviewId!,
        { actor: 'operator:li', role: 'operator' },
        'home-observation',
      );
      expect(d.review).toMatchObject({
        status: 'changed',
        outcome: 'home-observation',
        reviewer: 'operator:li',
      });
      expect(d.correction).toMatchObject({ previousColour: 'green', colour: 'yellow' });
      await expect(
        decideReview(sc, r.reviewId!, { actor: 'operator:li', role: 'operator' }, 'upheld'),
      ).rejects.toBeInstanceOf(ReviewStateError);
      const e = await explainSubjectCode(sc, adult, op);
      expect(e.reasons.map((x) => x.rule)).toEqual(['order.home-observation']);

      // Lifted by a manual order; an objection review is upheld.
      clock.advance(60_000);
      await addManualOrder(sc, adult, op, { kind: 'lifted', at: clock.now().toISOString() });
      expect((await issueSubjectCode(sc, adult, op)).colour).toBe('green');
      const objection = await requestReview(sc, adult, op);
      const up = await decideReview(sc, objection.id, op, 'upheld');
      expect(up).toMatchObject({ review: { status: 'upheld' }, correction: null });
      expect((await listReviews(sc, { subjectId: adult })).map((x) => x.status)).toEqual([
        'changed',
        'upheld',
      ]);
    });

    it("lets a guardian hold their dependant's code, and nobody else", async () => {
      const code = await issueSubjectCode(sc, child, {
        actor: 'guardian',
        role: 'guardian',
        guardian: adult,
      });
      expect(code.colour).toBe('green');
      expect(code.maskedName).toBe('张**');
      expect((await explainSubjectCode(sc, child, { ...op, guardian: adult })).colour).toBe(
        'green',
      );
      await expect(
        issueSubjectCode(sc, child, { actor: 'guardian', role: 'guardian', guardian: other }),
      ).rejects.toBeInstanceOf(GuardianLinkError);
      await expect(
        issueSubjectCode(sc, adult, { actor: 'guardian', role: 'guardian', guardian: child }),
      ).rejects.toBeInstanceOf(GuardianLinkError);
    });

    it('logs every decision, review and guardian act in the audit log', async () => {
      const { createAuditLog } = await import('../../foundation/audit/index.js');
      const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
      const auditId = (id: string) => sc.vault.vault.auditIdOf(t.store.db.kysely, id);
      const mine = await log.trail((await auditId(adult))!);
      const actions = mine.filter((e) => e.kind === 'colour').map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'decide',
          'correction-reevaluated',
          'review-queued',
          'review-decided',
        ]),
      );
      const decide = mine.find((e) => e.kind === 'colour' && e.action === 'decide')!;
      expect(decide.details).toMatchObject({
        colour: 'yellow',
        ruleSet: 'default@1',
        rules: 'declaration.fever',
      });
      const guardian = mine.filter((e) => e.action === 'act-for-dependant');
      expect(guardian.map((e) => e.outcome)).toContain('ok');
      expect(JSON.stringify(mine)).not.toContain(ADULT);
      expect(JSON.stringify(mine)).not.toContain('张三丰');
    });
  });
}
