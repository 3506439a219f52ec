// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 12 — deletion is the default: a drafted plan deletes every category; keeping
 * one needs a documented exemption (statutory retention or a fresh separate consent) naming its
 * legal source, end date and approver; anonymisation only as k-anonymous aggregates (req. 23).
 */
import { describe, expect, it } from 'vitest';
import { planProblems, type PlanDoc } from '../../src/lifecycle/disposal/index.js';
import { samplePlan } from '../../src/lifecycle/disposal/testing.js';

const ctx = {
  knownStores: new Set(['db:vault_record']),
  personalStores: new Set(['db:vault_record']),
  knownRecipients: new Set<string>(),
  timeZone: 'Asia/Shanghai',
};

const withAction = (a: PlanDoc['actions'][number]): PlanDoc =>
  samplePlan({ actions: [{ category: 'identity', action: 'delete' }, a] });

describe('req. 12: deletion is the default', () => {
  it('accepts delete without conditions', () => {
    expect(planProblems(samplePlan(), ctx)).toEqual([]);
  });

  it('accepts retain only with kind, legal source, end date and approver', () => {
    const full = {
      kind: 'statutory-retention' as const,
      name: 'security logs',
      legalSource: 'Cybersecurity Law art. 21',
      endDate: '2027-06-01',
      approver: 'alice',
    };
    expect(
      planProblems(
        withAction({ category: 'test-results', action: 'retain', exemption: full }),
        ctx,
      ),
    ).toEqual([]);
    expect(
      planProblems(
        withAction({
          category: 'test-results',
          action: 'retain',
          exemption: { ...full, kind: 'separate-consent', legalSource: 'PIPL arts. 14, 29' },
        }),
        ctx,
      ),
    ).toEqual([]);
    for (const missing of ['legalSource', 'endDate', 'approver', 'name'] as const) {
      const ex = { ...full, [missing]: '' };
      const problems = planProblems(
        withAction({ category: 'test-results', action: 'retain', exemption: ex }),
        ctx,
      );
      expect(
        problems.map((p) => p.code),
        missing,
      ).toContain('ERR_DISPOSAL_EXEMPTION_INVALID');
    }
    expect(
      planProblems(withAction({ category: 'test-results', action: 'retain' }), ctx)[0]?.message,
    ).toMatch(/needs an exemption/);
  });

  it('allows anonymisation only as k-anonymous aggregates with k >= 5', () => {
    expect(
      planProblems(
        withAction({
          category: 'test-results',
          action: 'anonymise',
          anonymise: { quasiIdentifiers: ['prefecture', 'week'], k: 5 },
        }),
        ctx,
      ),
    ).toEqual([]);
    expect(
      planProblems(
        withAction({
          category: 'test-results',
          action: 'anonymise',
          anonymise: { quasiIdentifiers: ['prefecture'], k: 2 },
        }),
        ctx,
      ),
    ).not.toEqual([]);
    expect(
      planProblems(withAction({ category: 'test-results', action: 'anonymise' }), ctx),
    ).not.toEqual([]);
  });
});
