// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 8 — automated decisions (PIPL art. 24, 46): each colour decision is recorded
 * with its reasons, inputs and rule-set version; the person can obtain an explanation; a correction
 * (纠错) re-evaluates on corrected data, and a human review can be requested and decided. The
 * vault-backed part runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../src/kernel/shared/index.js';
import { type VaultRepository } from '../../src/personal/vault/index.js';
import {
  correctAndReevaluate,
  decideReview,
  explainSubjectCode,
  issueSubjectCode,
  listReviews,
  openSubjectCodes,
  type SubjectCodes,
} from '../../src/services/codes/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import {
  MemoryIssuer,
  builtInRuleSet,
  evaluateColour,
  type ColourInputs,
  TOKEN_PREFIX,
  decodeBase45,
} from '../../src/services/codes/index.js';
import { instanceVault } from '../../src/edges/app/index.js';

const AT = new Date('2026-12-01T10:00:00+08:00');
const feverish: ColourInputs = {
  tests: [],
  declarations: [{ at: '2026-12-01T08:00:00+08:00', temperatureC: 38.1 }],
  itinerary: [],
  riskAreas: [],
  orders: [],
};

describe('req. 8: automated decisions are explained and correctable', () => {
  it('answers "why am I yellow" with the fired rules, their reasons, the inputs and the rule-set version', () => {
    const d = evaluateColour(builtInRuleSet(), feverish, AT, 'Asia/Shanghai');
    expect(d.colour).toBe('yellow');
    expect(d.fired).toEqual([
      {
        rule: 'declaration.fever',
        colour: 'yellow',
        reason: 'A temperature of 37.3 °C or more was declared within 24 hours.',
      },
    ]);
    expect(d.ruleSet).toEqual({ id: 'default', version: 1 });
    // The recorded inputs reproduce the decision: the explanation can be re-derived and checked.
    expect(
      evaluateColour(builtInRuleSet(), d.inputs, new Date(d.decidedAt), 'Asia/Shanghai'),
    ).toEqual(d);
  });

  it('keeps the decision out of the token except colour and rule-set version', () => {
    const clock = new FixedClock(AT);
    const issuer = new MemoryIssuer({ issuer: 'hc.example/req8', clock, random: systemRandom });
    const d = evaluateColour(builtInRuleSet(), feverish, AT, 'Asia/Shanghai');
    const t = issuer.issue({
      colour: d.colour,
      validUntil: new Date(d.validUntil),
      maskedName: '钱*',
      ruleSet: 'default@1',
    });
    // Read the signed bytes, not the Base45 text: random Base45 can spell "38" by chance.
    const signed = Buffer.from(decodeBase45(t.text.slice(TOKEN_PREFIX.length))).toString('latin1');
    expect(signed).toContain('default@1');
    expect(signed).not.toMatch(/fever|declar|temperat|37\.3|38\.1/i);
  });
});

for (const dialect of DIALECTS) {
  describe(`req. 8 on the vault (${dialect})`, () => {
    let t: TestInstance;
    let sc: SubjectCodes;
    let subject: string;
    let fever: string;
    let repo: VaultRepository;
    const op = { actor: 'operator:req8', role: 'operator' };
    const clock = new FixedClock(AT);
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      const iv = await instanceVault(t.store);
      repo = iv.vault.repository({ ...op, purpose: 'epidemic-control' });
      subject = (await repo.ensureCitizen('11010519491231002X')).subjectId;
      await repo.put(subject, 'identity', { name: '钱学森' });
      fever = await repo.put(subject, 'temperature', {
        celsius: 38.1,
        at: '2026-12-01T08:00:00+08:00',
      });
      await iv.finish();
      sc = await openSubjectCodes(t.store, instanceVault, { riskAreas: [] });
    }, 60_000);
    afterAll(async () => {
      await sc?.finish();
      await t.cleanup();
    });

    it('`code explain` answers from the stored decision: reasons, inputs, rule-set version', async () => {
      expect((await issueSubjectCode(sc, subject, op)).colour).toBe('yellow');
      const e = await explainSubjectCode(sc, subject, op);
      expect(e).toMatchObject({ colour: 'yellow', ruleSet: { id: 'default', version: 1 } });
      expect(e.reasons.map((r) => r.reason)).toEqual([
        'A temperature of 37.3 °C or more was declared within 24 hours.',
      ]);
      expect(e.inputs.declarations[0]).toMatchObject({ temperatureC: 38.1 });
    });

    it('a correction (纠错) re-evaluates, the vault keeps both decisions, and a reviewer decides', async () => {
      // The person asks for the correction a while after the first decision.
      clock.advance(10 * 60_000);
      await repo.correct(subject, fever, { celsius: 36.8, at: '2026-12-01T08:00:00+08:00' });
      const r = await correctAndReevaluate(sc, subject, op, { humanReview: true });
      expect(r).toMatchObject({ previousColour: 'yellow', colour: 'green', changed: true });
      // Both decisions stay in the stored colour history, each with its own reasons and inputs.
      const history = await sc.ports(op).decisions.history(subject);
      expect(history.map((h) => h.decision.colour)).toEqual(['yellow', 'green']);
      expect(history[0].decision.fired.map((f) => f.rule)).toEqual(['declaration.fever']);
      expect(history[1].decision.fired.map((f) => f.rule)).toEqual(['otherwise']);
      expect(history[1].decision.inputs.declarations[0]).toMatchObject({ temperatureC: 36.8 });
      expect(history[1].recordId).toBe(r.decisionId);
      expect(await explainSubjectCode(sc, subject, op)).toMatchObject({
        colour: 'green',
        decisionId: r.decisionId,
        decisions: 2,
      });
      expect((await listReviews(sc, { status: 'pending' })).map((x) => x.id)).toEqual([r.reviewId]);
      const d = await decideReview(sc, r.reviewId!, op, 'upheld');
      expect(d.review.status).toBe('upheld');
      expect(await listReviews(sc, { status: 'pending' })).toEqual([]);
    });
  });
}
