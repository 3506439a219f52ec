// SPDX-License-Identifier: Apache-2.0
/**
 * @module Privacy-impact assessment records (PIPL art. 55: assess in advance and record for
 * sensitive processing, automated decision-making, provision to others, cross-border provision
 * and other major-impact processing; art. 56: cover lawfulness and necessity, impact and risks,
 * and safeguards; keep the record ≥ 3 years). {@link requirePia} is the gate other capabilities
 * call before such processing starts (e.g. activating a colour rule set, DOMAIN.md §6 req. 22).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { PiaInvalidError, PiaRequiredError } from './errors.js';
import { audit, inTransaction, newId, type ConsentDeps } from './internal.js';
import * as repo from './repository.js';

/** The five cases of PIPL art. 55, in order. */
export const PIA_KINDS = [
  'sensitive-processing',
  'automated-decision',
  'provision-to-others',
  'cross-border',
  'other-major-impact',
] as const;
export type PiaKind = (typeof PIA_KINDS)[number];

export function isPiaKind(value: unknown): value is PiaKind {
  return typeof value === 'string' && (PIA_KINDS as readonly string[]).includes(value);
}

/** A stored assessment. */
export interface PiaRecord {
  readonly id: string;
  readonly kind: PiaKind;
  /** What was assessed: a purpose id, a colour rule-set id, a recipient … */
  readonly ref: string;
  readonly lawfulness: string;
  readonly necessity: string;
  readonly impact: string;
  readonly safeguards: string;
  readonly assessor: string;
  readonly assessedAt: Date;
  /** Kept at least until then (art. 56: ≥ 3 years). */
  readonly keepUntil: Date;
}

export type PiaInput = Omit<PiaRecord, 'id' | 'assessedAt' | 'keepUntil'>;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** The end of a record's keeping period: `recordsYears` (≥ 3, art. 56) after assessment. */
export function piaKeepUntil(assessedAt: number, recordsYears: number): number {
  return assessedAt + Math.ceil(Math.max(3, recordsYears) * YEAR_MS);
}

function rowToPia(r: repo.ConsentPiaTable): PiaRecord {
  return {
    id: r.id,
    kind: r.kind as PiaKind,
    ref: r.ref,
    lawfulness: r.lawfulness,
    necessity: r.necessity,
    impact: r.impact,
    safeguards: r.safeguards,
    assessor: r.assessor,
    assessedAt: new Date(r.assessed_at),
    keepUntil: new Date(r.keep_until),
  };
}

/** Stores an assessment; each art. 56 section must say something. */
export async function recordPia(
  deps: ConsentDeps,
  input: PiaInput,
  actor: string,
): Promise<PiaRecord> {
  if (!isPiaKind(input.kind)) {
    throw new PiaInvalidError(`PIA kind must be one of ${PIA_KINDS.join(', ')}`);
  }
  const missing = (
    ['ref', 'lawfulness', 'necessity', 'impact', 'safeguards', 'assessor'] as const
  ).filter((k) => typeof input[k] !== 'string' || input[k].trim().length < (k === 'ref' ? 1 : 3));
  if (missing.length > 0) {
    throw new PiaInvalidError(`PIA record lacks ${missing.join(', ')} (PIPL art. 56)`);
  }
  if (input.ref.length > 120) {
    throw new PiaInvalidError('PIA ref is longer than 120 characters');
  }
  const now = deps.clock.now().getTime();
  const row: repo.ConsentPiaTable = {
    id: newId(deps.random),
    kind: input.kind,
    ref: input.ref,
    lawfulness: input.lawfulness.trim(),
    necessity: input.necessity.trim(),
    impact: input.impact.trim(),
    safeguards: input.safeguards.trim(),
    assessor: input.assessor.trim(),
    assessed_at: now,
    keep_until: piaKeepUntil(now, deps.recordsYears),
  };
  await inTransaction(deps.db, async (trx) => {
    await repo.insertPia(trx, row);
    await audit(deps, trx, undefined, [
      {
        kind: 'pia',
        actor,
        action: 'pia.record',
        outcome: 'ok',
        at: new Date(now),
        details: { pia: row.id, piaKind: row.kind, ref: row.ref },
      },
    ]);
  });
  return rowToPia(row);
}

/**
 * The newest assessment of (kind, ref) made at or before `at`, or `ERR_CONSENT_PIA_REQUIRED`.
 *
 * @example
 * await requirePia(db, 'automated-decision', 'rules-2026-01', clock.now());
 */
export async function requirePia(
  db: Kysely<Database>,
  kind: PiaKind,
  ref: string,
  at: Date,
): Promise<PiaRecord> {
  if (!isPiaKind(kind)) {
    throw new TypeError(`"kind" expected one of ${PIA_KINDS.join(', ')}`);
  }
  const rows = await repo.selectPias(db, { kind, ref, at: at.getTime() });
  const row = rows[0];
  if (row === undefined) {
    throw new PiaRequiredError(
      `${kind} of ${JSON.stringify(ref.slice(0, 60))} needs a stored privacy-impact assessment first (PIPL arts. 55–56)`,
      { details: { kind, ref: ref.slice(0, 60) } },
    );
  }
  return rowToPia(row);
}

/** Stored assessments, newest first. */
export async function listPias(
  db: Kysely<Database>,
  filter: { kind?: PiaKind; ref?: string } = {},
): Promise<PiaRecord[]> {
  return (await repo.selectPias(db, filter)).map(rowToPia);
}
