// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal review`: the plan as plain text for the people who approve it — what is
 * retired, the trigger, the responsible party, the data in scope, each action and exemption, each
 * store's method, the recipients, the approvals so far and any rule the plan breaks.
 */
import type { ApprovalCheck } from './approvals.js';
import type { PlanDoc } from './model.js';
import type { PlanProblem } from './plan-rules.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);

export function renderReview(
  plan: PlanDoc,
  hash: string,
  problems: readonly PlanProblem[],
  approvals: ApprovalCheck,
): string {
  const lines: string[] = [];
  lines.push(`Disposal plan ${plan.id}`, `  ${plan.title}`, `  sha256 ${hash}`, '');
  lines.push(`Retires:      ${plan.retire.kind} ${plan.retire.id}`);
  lines.push(`Trigger:      ${plan.trigger}`);
  lines.push(
    `Purposes:     ${plan.retiredPurposes.join(', ') || '(none: other services keep them)'}`,
  );
  lines.push(`Services:     ${plan.retiredServices.join(', ') || '(none)'}`);
  lines.push(`Responsible:  ${plan.responsibleParty.name} <${plan.responsibleParty.contact}>`);
  lines.push(
    `Drafted:      ${plan.createdAt}${plan.instance.synthetic ? '  [synthetic instance]' : ''}`,
    '',
  );
  lines.push('Data in scope and actions:');
  lines.push(
    `  ${pad('category', 18)}${pad('group', 15)}${pad('subjects', 10)}${pad('records', 10)}${pad('action', 11)}kept for`,
  );
  for (const s of plan.scope) {
    const a = plan.actions.find((x) => x.category === s.category);
    lines.push(
      `  ${pad(s.category, 18)}${pad(s.group, 15)}${pad(s.subjects, 10)}${pad(s.records, 10)}${pad(a?.action ?? '?', 11)}${
        s.keptFor.map((k) => `${k.purpose}:${k.subjects}`).join(' ') || '-'
      }`,
    );
    if (a?.exemption) {
      lines.push(
        `      exemption "${a.exemption.name}" (${a.exemption.kind}) — ${a.exemption.legalSource}; until ${a.exemption.endDate}; approved by ${a.exemption.approver}`,
      );
    }
    if (a?.anonymise) {
      lines.push(
        `      k-anonymous aggregate, k=${a.anonymise.k}, over ${a.anonymise.quasiIdentifiers.join(', ') || '(no quasi-identifiers)'}`,
      );
    }
  }
  lines.push('', 'Stores:');
  for (const s of plan.stores) {
    lines.push(
      `  ${pad(s.store, 34)}${s.method}${s.exemption ? ` — ${s.exemption.legalSource}, until ${s.exemption.endDate} (approver ${s.exemption.approver})` : ''}`,
    );
  }
  lines.push(
    '',
    `Recipients to notify: ${plan.recipients.map((r) => `${r.id} (${r.kind})`).join(', ') || 'none'}`,
  );
  lines.push(
    `Per-subject messages: ${plan.notifySubjects ? 'yes' : 'no (public notice only)'}`,
    '',
  );
  lines.push(
    `Approvals: ${approvals.valid.length} of ${approvals.required} required${approvals.valid.length > 0 ? ` (${approvals.valid.join(', ')})` : ''}`,
  );
  for (const p of approvals.problems) {
    lines.push(`  ! ${p}`);
  }
  if (problems.length > 0) {
    lines.push('', 'This plan cannot be approved as it stands:');
    for (const p of problems) {
      lines.push(`  ! ${p.where}: ${p.message}`);
    }
  }
  return lines.join('\n') + '\n';
}
