// SPDX-License-Identifier: Apache-2.0
/**
 * @module The health-code model: colours (DOMAIN.md §1.5, §6 req. 6), verdicts that disclose only
 * colour, validity window and masked name (req. 7, PIPL art. 6), colour inputs and decisions that
 * record their rule-set version, inputs and fired rules (req. 8, PIPL art. 24), and the narrow
 * ports through which a stored subject's inputs are read and decisions kept (the vault, later).
 */

/** Colours as strings, never small integers (DOMAIN.md §1.5); gray = expired / unavailable. */
export const COLOURS = ['green', 'yellow', 'red', 'gray'] as const;
export type Colour = (typeof COLOURS)[number];

export function isColour(value: unknown): value is Colour {
  return typeof value === 'string' && (COLOURS as readonly string[]).includes(value);
}

/** Stable verdict reasons of the offline verifier. */
export const VERDICT_REASONS = [
  'ok',
  'malformed',
  'unsupported-algorithm',
  'unknown-key',
  'bad-signature',
  'revoked',
  'key-expired',
  'trust-list-expired',
  'not-yet-valid',
  'expired',
] as const;
export type VerdictReason = (typeof VERDICT_REASONS)[number];

/**
 * What a verifier learns. Only `ok` verdicts carry a colour; the window is shown whenever the
 * signature was good (so a checkpoint can say "expired at 24:00"), the masked name only when ok.
 */
export interface Verdict {
  readonly ok: boolean;
  readonly reason: VerdictReason;
  readonly colour?: Colour;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly maskedName?: string;
}

/** What a token says; no subject id, ID number, address or history (DESIGN.md §4). */
export interface TokenContent {
  readonly colour: Colour;
  /** Surname and `*` (DOMAIN.md §1.5 Beijing practice). */
  readonly maskedName: string;
  /** `id@version` of the rule set that decided the colour. */
  readonly ruleSet: string;
}

// ---- colour inputs (what the pure evaluator reads) ----

export type TestOutcome = 'negative' | 'positive' | 'invalid';

/** A nucleic-acid or antigen test, compatible with the domain model's `TestResult`. */
export interface TestInput {
  readonly kind: 'nucleic-acid' | 'antigen';
  readonly result: TestOutcome;
  readonly sampledAt: string;
  readonly resultAt: string;
}

/** A daily health declaration (temperature in °C, symptom codes). */
export interface DeclarationInput {
  readonly at: string;
  readonly temperatureC?: number;
  readonly symptoms?: readonly string[];
}

/** A stay in a place (GB/T 2260 code) during `[from, to)`. */
export interface StayInput {
  readonly region: string;
  readonly from: string;
  readonly to: string;
}

/** A risk-area designation, compatible with the domain model's `RiskArea`. */
export interface RiskAreaInput {
  readonly region: string;
  readonly level: 'medium' | 'high';
  readonly from: string;
  readonly to: string | null;
}

/** A manual order by a health authority; `lifted` ends earlier orders and older evidence. */
export interface OrderInput {
  readonly kind: 'quarantine' | 'home-observation' | 'lifted';
  readonly at: string;
  readonly until?: string | null;
}

export interface ColourInputs {
  readonly tests: readonly TestInput[];
  readonly declarations: readonly DeclarationInput[];
  readonly itinerary: readonly StayInput[];
  readonly riskAreas: readonly RiskAreaInput[];
  readonly orders: readonly OrderInput[];
}

/** One rule that fired, with the human-readable reason shown to the person. */
export interface FiredRule {
  readonly rule: string;
  readonly colour: Colour;
  readonly reason: string;
}

/** A colour decision: never a colour without its issue time and validity end (req. 6). */
export interface ColourDecision {
  readonly colour: Colour;
  readonly decidedAt: string;
  readonly validUntil: string;
  readonly ruleSet: { readonly id: string; readonly version: number };
  readonly fired: readonly FiredRule[];
  /** The inputs the evaluator read, so the decision can be explained and re-run. */
  readonly inputs: ColourInputs;
}

// ---- ports to the vault (implemented elsewhere; DESIGN.md §2 imports flow one way) ----

/** Reads a stored subject's colour inputs and display name under the epidemic-control purpose. */
export interface ColourInputsSource {
  load(subjectId: string, at: Date): Promise<{ inputs: ColourInputs; displayName: string }>;
}

/** Keeps colour decisions (vault category `colour-decisions`) and answers "why". */
export interface DecisionStore {
  record(subjectId: string, decision: ColourDecision): Promise<void>;
  latest(subjectId: string): Promise<ColourDecision | undefined>;
}
