// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { assertPlanValid, planProblems, type PlanRuleContext } from './plan-rules.js';
import { samplePlan } from './testing.js';
import { ExemptionInvalidError, PlanInvalidError, StoreUnknownError } from './errors.js';
import { parsePlanText, planHash, renderPlanText } from './plan-file.js';

const ctx: PlanRuleContext = {
  knownStores: new Set(['db:vault_record', 'db:audit_leaves']),
  personalStores: new Set(['db:vault_record']),
  knownRecipients: new Set(['cloud-vendor']),
  timeZone: 'Asia/Shanghai',
};

const retain = (ex: Record<string, string>) =>
  samplePlan({
    actions: [
      { category: 'identity', action: 'delete' },
      { category: 'test-results', action: 'retain', exemption: ex as never },
    ],
  });

describe('plan rules', () => {
  it('accepts the sample plan', () => {
    expect(planProblems(samplePlan(), ctx)).toEqual([]);
  });

  it('rejects a retain without legal source or end date, naming each reason', () => {
    const plan = retain({ kind: 'statutory-retention', name: 'x', approver: 'alice' });
    const problems = planProblems(plan, ctx).map((p) => p.message);
    expect(problems).toContain('exemption needs a legal source (e.g. "Cybersecurity Law art. 21")');
    expect(problems).toContain('exemption needs an end date (YYYY-MM-DD or RFC 3339)');
    expect(() => assertPlanValid(plan, ctx)).toThrow(ExemptionInvalidError);
  });

  it('rejects an exemption with an unknown kind, a bad or past end date, or no approver', () => {
    const base = {
      kind: 'statutory-retention',
      name: 'logs',
      legalSource: 'CSL art. 21',
      approver: 'alice',
    };
    expect(planProblems(retain({ ...base, endDate: '2027-02-30' }), ctx)[0]?.message).toMatch(
      /real YYYY-MM-DD/,
    );
    expect(planProblems(retain({ ...base, endDate: '2025-01-01' }), ctx)[0]?.message).toMatch(
      /already past/,
    );
    expect(
      planProblems(retain({ ...base, endDate: '2027-06-01', kind: 'because' }), ctx)[0]?.message,
    ).toMatch(/kind must be/);
    expect(
      planProblems(retain({ ...base, endDate: '2027-06-01', approver: '' }), ctx)[0]?.message,
    ).toMatch(/approver/);
    expect(planProblems(retain({ ...base, endDate: '2027-06-01' }), ctx)).toEqual([]);
    expect(planProblems(retain({ ...base, endDate: '2027-06-01T00:00:00+08:00' }), ctx)).toEqual(
      [],
    );
  });

  it('rejects unknown stores and recipients, and a personal store the plan omits', () => {
    const unknown = samplePlan({
      stores: [
        { store: 'db:vault_record', method: 'crypto-erasure' },
        { store: 'db:nowhere', method: 'physical-deletion' },
      ],
    });
    expect(() => assertPlanValid(unknown, ctx)).toThrow(StoreUnknownError);
    const omitted = samplePlan({ stores: [] });
    expect(planProblems(omitted, ctx)[0]?.message).toMatch(
      /holds personal data but the plan does not say/,
    );
    const rec = samplePlan({
      recipients: [{ id: 'mystery', name: 'M', kind: 'recipient', categories: [] }],
    });
    expect(() => assertPlanValid(rec, ctx)).toThrow(StoreUnknownError);
  });

  it('allows anonymise only as k-anonymous aggregates with k >= 5', () => {
    const anon = (spec: unknown) =>
      samplePlan({
        actions: [
          { category: 'identity', action: 'delete' },
          { category: 'test-results', action: 'anonymise', anonymise: spec as never },
        ],
      });
    expect(planProblems(anon(undefined), ctx)[0]?.message).toMatch(/k-anonymous aggregate/);
    expect(planProblems(anon({ quasiIdentifiers: ['prefecture'], k: 3 }), ctx)[0]?.message).toMatch(
      /k >= 5/,
    );
    expect(planProblems(anon({ quasiIdentifiers: ['prefecture', 'week'], k: 5 }), ctx)).toEqual([]);
    // A pseudonymised-rows option does not exist: the schema refuses the key.
    const yaml = renderPlanText(anon({ quasiIdentifiers: [], k: 5 }), 'yaml').replace(
      'k: 5',
      'k: 5\n      pseudonymise: true',
    );
    expect(() => parsePlanText(yaml, 'yaml')).toThrow(PlanInvalidError);
  });

  it('requires exactly one action per category in scope', () => {
    const missing = samplePlan({ actions: [{ category: 'identity', action: 'delete' }] });
    expect(planProblems(missing, ctx)[0]?.message).toBe('a category in scope has no action');
    const twice = samplePlan({
      actions: [...samplePlan().actions, { category: 'identity', action: 'delete' }],
    });
    expect(() => assertPlanValid(twice, ctx)).toThrow(PlanInvalidError);
  });
});

describe('plan files', () => {
  it('round-trips through JSON and YAML with the same hash, which ignores approvals', () => {
    const plan = samplePlan();
    const fromYaml = parsePlanText(renderPlanText(plan, 'yaml'), 'yaml');
    const fromJson = parsePlanText(renderPlanText(plan, 'json'), 'json');
    expect(fromYaml).toEqual(plan);
    expect(planHash(fromJson)).toBe(planHash(plan));
    const signed = {
      ...plan,
      approvals: [{ by: 'alice', publicKey: 'k', at: plan.createdAt, signature: 's' }],
    };
    expect(planHash(signed)).toBe(planHash(plan));
    expect(planHash({ ...plan, title: 'changed' })).not.toBe(planHash(plan));
  });

  it('names the field of a malformed plan', () => {
    expect(() => parsePlanText('{"kind":"healthcode/disposal-plan"}', 'json')).toThrow(
      /plan: version/,
    );
    expect(() => parsePlanText('{not json', 'json')).toThrow(PlanInvalidError);
  });
});
