// SPDX-License-Identifier: Apache-2.0
/**
 * @module Colour rules as versioned data (DESIGN.md §4): the JSON schema of a rule set and its
 * loader. A rule set names its id and version (recorded with every decision, PIPL art. 24), how
 * long a colour stays valid (until 24:00 local time, or N hours), and rules, each a closed
 * condition vocabulary → colour → reason. Rule sets live in `src/services/codes/rules/` (see its README).
 */
import { z } from 'zod';
import { RuleSetError } from './errors.js';
import { COLOURS } from './model.js';
import defaultV1 from './rules/default-v1.json' with { type: 'json' };

const colour = z.enum(COLOURS);
const hours = z
  .number()
  .int()
  .min(1)
  .max(24 * 60);

const condition = z.union([
  z.object({ order: z.enum(['quarantine', 'home-observation']) }).strict(),
  z
    .object({
      latestTest: z
        .object({ result: z.enum(['positive', 'negative', 'invalid']), withinHours: hours })
        .strict(),
    })
    .strict(),
  z.object({ noNegativeTestWithinHours: hours }).strict(),
  z
    .object({
      temperatureAtLeast: z
        .object({ celsius: z.number().min(35).max(43), withinHours: hours })
        .strict(),
    })
    .strict(),
  z.object({ symptoms: z.object({ withinHours: hours }).strict() }).strict(),
  z
    .object({
      riskArea: z
        .object({ level: z.enum(['medium', 'high']), withinDays: z.number().int().min(1).max(60) })
        .strict(),
    })
    .strict(),
  z.object({ noDeclarationForHours: hours }).strict(),
]);

const ruleSetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,40}$/),
    version: z.number().int().min(1),
    description: z.string().max(2000),
    validity: z.union([
      z.object({ kind: z.literal('end-of-day') }).strict(),
      z.object({ kind: z.literal('hours'), hours }).strict(),
    ]),
    rules: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,60}$/),
            colour,
            when: condition,
            reason: z.string().min(1).max(300),
          })
          .strict(),
      )
      .max(200),
    otherwise: z.object({ colour, reason: z.string().min(1).max(300) }).strict(),
  })
  .strict()
  .refine((r) => new Set(r.rules.map((x) => x.id)).size === r.rules.length, {
    message: 'rule ids must be unique',
  });

export type RuleSet = z.infer<typeof ruleSetSchema>;
export type Rule = RuleSet['rules'][number];
export type Condition = Rule['when'];

/** Validates a rule set; throws {@link RuleSetError} naming the first problem. */
export function parseRuleSet(raw: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RuleSetError(
      `rule set: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return Object.freeze(parsed.data);
}

/** `id@version`, as carried in tokens and decisions. */
export function ruleSetLabel(r: RuleSet): string {
  return `${r.id}@${r.version}`;
}

/** The rule sets shipped with healthcode, newest version last per id. */
export const BUILT_IN_RULE_SETS: readonly RuleSet[] = [parseRuleSet(defaultV1)];

/** The newest built-in version of a rule set id. */
export function builtInRuleSet(id = 'default'): RuleSet {
  const found = BUILT_IN_RULE_SETS.filter((r) => r.id === id).sort((a, b) => b.version - a.version);
  if (found[0] === undefined) {
    throw new RuleSetError(`no built-in rule set "${id}"`);
  }
  return found[0];
}
