// SPDX-License-Identifier: Apache-2.0
import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { approvalMessage, assertApproved, checkApprovals, type OperatorView } from './approvals.js';
import { ApprovalInvalidError } from './errors.js';
import type { Approval, PlanDoc } from './model.js';
import { planHash } from './plan-file.js';
import { samplePlan } from './testing.js';
import { planState } from './state.js';

function operator(name: string) {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    view: { name, publicKey, active: true } satisfies OperatorView,
    approve(plan: PlanDoc, at = '2026-12-02T09:00:00+08:00'): Approval {
      const msg = approvalMessage(plan.id, planHash(plan), name, at);
      return {
        by: name,
        publicKey,
        at,
        signature: sign(null, msg, pair.privateKey).toString('base64'),
      };
    },
  };
}

const ed25519 = (pk: string, msg: Uint8Array, sig: string) =>
  verify(
    null,
    msg,
    createPublicKey({ key: Buffer.from(pk, 'base64'), format: 'der', type: 'spki' }),
    Buffer.from(sig, 'base64'),
  );

describe('approvals', () => {
  const alice = operator('alice');
  const bob = operator('bob');
  const registry = new Map([alice.view, bob.view].map((v) => [v.name, v]));
  const lookup = (n: string) => registry.get(n);

  it('counts distinct registered operators whose signature covers this content', () => {
    const plan = samplePlan();
    const one = { ...plan, approvals: [alice.approve(plan)] };
    expect(checkApprovals(one, 1, lookup, ed25519)).toMatchObject({
      valid: ['alice'],
      sufficient: true,
    });
    expect(checkApprovals(one, 2, lookup, ed25519).sufficient).toBe(false);
    const two = { ...plan, approvals: [alice.approve(plan), bob.approve(plan)] };
    expect(checkApprovals(two, 2, lookup, ed25519).sufficient).toBe(true);
  });

  it('rejects the same operator twice, an unregistered operator, and edits after approval', () => {
    const plan = samplePlan();
    const twice = {
      ...plan,
      approvals: [alice.approve(plan), alice.approve(plan, '2026-12-02T10:00:00+08:00')],
    };
    const c = checkApprovals(twice, 2, lookup, ed25519);
    expect(c.sufficient).toBe(false);
    expect(() => assertApproved(c)).toThrow(/alice approved more than once/);
    const mallory = operator('mallory');
    const forged = { ...plan, approvals: [mallory.approve(plan)] };
    expect(() => assertApproved(checkApprovals(forged, 1, lookup, ed25519))).toThrow(
      ApprovalInvalidError,
    );
    const edited = { ...plan, title: 'something else', approvals: [alice.approve(plan)] };
    expect(checkApprovals(edited, 1, lookup, ed25519).problems[0]).toMatch(/edited after approval/);
    const swappedKey = { ...plan, approvals: [{ ...bob.approve(plan), by: 'alice' }] };
    expect(checkApprovals(swappedKey, 1, lookup, ed25519).problems[0]).toMatch(
      /not the key registered/,
    );
  });
});

describe('plan state', () => {
  it('moves draft → approved → running → awaiting-acks → done', () => {
    expect(planState({ approved: false, pendingAcks: 0 })).toBe('draft');
    expect(planState({ approved: true, pendingAcks: 0 })).toBe('approved');
    expect(
      planState({ approved: true, run: { total: 3, done: 1, executed: false }, pendingAcks: 0 }),
    ).toBe('running');
    expect(
      planState({ approved: true, run: { total: 3, done: 3, executed: true }, pendingAcks: 1 }),
    ).toBe('awaiting-acks');
    expect(
      planState({ approved: true, run: { total: 3, done: 3, executed: true }, pendingAcks: 0 }),
    ).toBe('done');
  });
});
