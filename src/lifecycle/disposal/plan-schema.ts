// SPDX-License-Identifier: Apache-2.0
/**
 * @module The plan document's schema (zod): shape only — the rules that need the inventory, the
 * operator registry or the clock live in plan-rules.ts. Unknown keys are refused, so a typo such
 * as `pseudonymise:` cannot slip past review.
 */
import { z } from 'zod';
import { DATA_CATEGORIES, DATA_GROUPS } from '../../kernel/domain/index.js';
import {
  ACTIONS,
  PLAN_KIND,
  QUASI_IDENTIFIERS,
  RETIRE_KINDS,
  STORE_METHODS,
  type PlanDoc,
} from './model.js';
import { PlanInvalidError } from './errors.js';

const id = z.string().min(1).max(200);
const text = z.string().min(1).max(2000);
const category = z.enum(DATA_CATEGORIES);
const count = z.number().int().min(0);

/** Exemption fields are checked one by one in plan-rules.ts, so each gets its own reason. */
const exemption = z
  .object({
    kind: z.string().optional(),
    name: z.string().optional(),
    legalSource: z.string().optional(),
    endDate: z.string().optional(),
    approver: z.string().optional(),
  })
  .strict();

const planSchema = z
  .object({
    kind: z.literal(PLAN_KIND),
    version: z.literal(1),
    id: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
    title: text,
    createdAt: z.string(),
    instance: z.object({ origin: text, synthetic: z.boolean() }).strict(),
    responsibleParty: z.object({ name: text, contact: text }).strict(),
    retire: z.object({ kind: z.enum(RETIRE_KINDS), id }).strict(),
    trigger: text,
    retiredPurposes: z.array(id),
    retiredServices: z.array(id),
    scope: z.array(
      z
        .object({
          category,
          group: z.enum(DATA_GROUPS),
          sensitive: z.boolean(),
          subjects: count,
          records: count,
          stores: z.array(z.object({ store: id, records: count }).strict()),
          keptFor: z.array(z.object({ purpose: id, subjects: count }).strict()),
        })
        .strict(),
    ),
    actions: z.array(
      z
        .object({
          category,
          action: z.enum(ACTIONS),
          exemption: exemption.optional(),
          anonymise: z
            .object({
              quasiIdentifiers: z.array(z.enum(QUASI_IDENTIFIERS)),
              k: z.number().int(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    stores: z.array(
      z
        .object({
          store: id,
          method: z.enum(STORE_METHODS),
          exemption: exemption.optional(),
          note: z.string().max(2000).optional(),
        })
        .strict(),
    ),
    recipients: z.array(
      z
        .object({
          id,
          name: text,
          kind: z.enum(['processor', 'recipient']),
          categories: z.array(category),
        })
        .strict(),
    ),
    notifySubjects: z.boolean(),
    notes: z.string().max(20_000).optional(),
    approvals: z.array(
      z
        .object({
          by: id,
          publicKey: z.string().min(1).max(200),
          at: z.string(),
          signature: z.string().min(1).max(200),
        })
        .strict(),
    ),
  })
  .strict();

/** Parses a plan document's shape; the error names the first offending field. */
export function parsePlanDoc(raw: unknown): PlanDoc {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new PlanInvalidError(`plan: ${where}: ${issue?.message ?? 'invalid'}`, {
      details: { field: where },
    });
  }
  return parsed.data as PlanDoc;
}
