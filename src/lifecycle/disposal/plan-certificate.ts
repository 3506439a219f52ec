// SPDX-License-Identifier: Apache-2.0
/**
 * @module Assembles the per-plan certificate (DOMAIN.md req. 18) from the run's tally, the counts
 * before and after, the notices, the anonymised tables and the verification — pure, so the same
 * inputs always give the same certificate body.
 */
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import type { AggregateTable } from './anonymise.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import {
  PLAN_CERTIFICATE_KIND,
  type PlanCertificate,
  type VerificationSummary,
} from './certificate.js';
import type { PlanDoc, StoreMethod } from './model.js';
import type { DisposalNoticesTable } from './repository.js';
import type { StoreCounts } from './snapshot.js';
import type { RunTally } from './tally.js';

export interface PlanCertificateInput {
  readonly id: string;
  readonly issuedAt: Date;
  readonly instance: {
    readonly origin: string;
    readonly synthetic: boolean;
    readonly responsibleParty: { name: string; contact: string };
  };
  readonly plan: PlanDoc;
  readonly planSha256: string;
  readonly startedAt: Date;
  readonly tally: RunTally;
  readonly before: StoreCounts;
  readonly after: StoreCounts;
  readonly anonymised: readonly AggregateTable[];
  readonly notices: readonly DisposalNoticesTable[];
  readonly verification: VerificationSummary;
}

/** A store's records: its per-category counts when it has them, else its whole rows (`*`). */
function total(counts: StoreCounts, store: string): number | null {
  const m = counts[store];
  if (m === undefined) {
    return null;
  }
  const cats = Object.entries(m).filter(([c]) => c !== '*');
  return cats.length > 0 ? cats.reduce((a, [, n]) => a + (n ?? 0), 0) : (m['*'] ?? 0);
}

export function buildPlanCertificate(i: PlanCertificateInput): PlanCertificate {
  const { plan, tally } = i;
  const actions = new Map(plan.actions.map((a) => [a.category, a]));
  const what = DATA_CATEGORIES.filter((c) => actions.has(c)).map((c) => {
    const t = tally.perCategory.get(c);
    return {
      category: c,
      action: actions.get(c)!.action,
      subjectsErased: t?.subjectsErased ?? 0,
      recordsErased: t?.recordsErased ?? 0,
      subjectsRetained: t?.subjectsRetained ?? 0,
      recordsRetained: t?.recordsRetained ?? 0,
      subjectsKept: t?.subjectsKept ?? 0,
    };
  });
  const where = plan.stores.map((s) => ({
    store: s.store,
    method: s.method,
    recordsBefore: total(i.before, s.store),
    recordsAfter: total(i.after, s.store),
  }));
  const methods = [
    ...new Set<StoreMethod>(plan.stores.map((s) => s.method).filter((m) => m !== 'not-applicable')),
  ].sort();
  const exemptions = [
    ...plan.actions
      .filter((a) => a.action === 'retain' && a.exemption !== undefined)
      .map((a) => ({
        ...a.exemption!,
        appliesTo: `category:${a.category}`,
        subjects: tally.perCategory.get(a.category)?.subjectsRetained ?? 0,
      })),
    ...plan.stores
      .filter((s) => s.method === 'retain' && s.exemption !== undefined)
      .map((s) => ({ ...s.exemption!, appliesTo: `store:${s.store}`, subjects: 0 })),
  ];
  const names = new Map(plan.recipients.map((r) => [r.id, r.name]));
  return {
    kind: PLAN_CERTIFICATE_KIND,
    version: 1,
    id: i.id,
    issuedAt: i.issuedAt.toISOString(),
    issuer: {
      origin: i.instance.origin,
      responsibleParty: i.instance.responsibleParty,
      synthetic: i.instance.synthetic,
    },
    plan: {
      id: plan.id,
      sha256: i.planSha256,
      title: plan.title,
      retire: plan.retire,
      trigger: plan.trigger,
      retiredPurposes: plan.retiredPurposes,
      retiredServices: plan.retiredServices,
    },
    approvals: plan.approvals.map((a) => ({ by: a.by, at: a.at })),
    execution: {
      startedAt: i.startedAt.toISOString(),
      finishedAt: i.issuedAt.toISOString(),
      subjects: tally.subjects,
      subjectsWhollyErased: tally.subjectsWhollyErased,
    },
    what,
    where,
    methods,
    exemptions,
    anonymised: i.anonymised.map((t) => ({
      category: t.category,
      k: t.k,
      cells: t.cells.length,
      suppressedCells: t.suppressedCells,
      sha256: sha256Hex(canonicalJson(t)),
    })),
    recipients: i.notices.map((n) => ({
      id: n.party,
      name: names.get(n.party) ?? n.party,
      noticeSentAt: new Date(n.sent_at).toISOString(),
      acknowledgedAt: n.acked_at === null ? null : new Date(n.acked_at).toISOString(),
    })),
    verification: i.verification,
  };
}
