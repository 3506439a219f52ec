// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the rights workflow (src/lifecycle/rights) runs for health codes: executors, shaped like its
 * `RightsExecutor` port, for a `correction` request (纠错, PIPL art. 46: re-evaluate the colour on
 * the corrected data, and queue a human review when the request asks for one) and an
 * `explanation` request (PIPL art. 24 para. 3: the latest decision, its reasons, inputs and
 * rule-set version, written to the requester's file). The shapes are declared here, structurally,
 * so that codes does not import rights (DESIGN.md §2: imports flow one way).
 *
 * Call them after the request's own transaction committed: on SQLite the key store shares the one
 * connection, and these load keys and open their own transactions.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Store } from '../../platform/runtime/index.js';
import { correctAndReevaluate } from './review.js';
import { explainSubjectCode, openSubjectCodes } from './subject.js';

/** The part of a rights request these executors read. */
export interface ColourRightsRequest {
  readonly id: string;
  readonly subjectId: string;
  /** `humanReview: "true"` queues a human review (art. 24 para. 3). */
  readonly params: Readonly<Record<string, string>>;
}

/** Structurally the rights capability's `ExecutionResult`. */
export interface ColourExecutionResult {
  readonly summary: Readonly<Record<string, string | number | boolean | null>>;
  readonly artefact?: { readonly path: string; readonly sha256: string; readonly bytes: number };
}

/** Structurally the rights capability's `RightsExecutor`. */
export interface ColourRightsExecutor {
  execute(
    db: unknown,
    request: ColourRightsRequest,
    options: { readonly outPath?: string },
  ): Promise<ColourExecutionResult>;
}

async function withSubjectCodes<T>(
  store: Store,
  fn: (sc: Awaited<ReturnType<typeof openSubjectCodes>>) => Promise<T>,
): Promise<T> {
  const sc = await openSubjectCodes(store);
  try {
    return await fn(sc);
  } finally {
    await sc.finish();
  }
}

/**
 * Executor for `correction` requests: after the vault correction, re-evaluates and records the
 * colour; queues a human review when `params.humanReview === "true"`. The summary holds no
 * colour or reason, only whether it changed and the review id.
 */
export function colourCorrectionExecutor(store: Store): ColourRightsExecutor {
  return {
    async execute(_db, request) {
      return withSubjectCodes(store, async (sc) => {
        const r = await correctAndReevaluate(
          sc,
          request.subjectId,
          { actor: `request:${request.id}`, role: 'system' },
          { humanReview: request.params.humanReview === 'true', requestId: request.id },
        );
        return {
          summary: {
            reevaluated: true,
            colourChanged: r.changed,
            decisionId: r.decisionId,
            reviewId: r.reviewId,
          },
        };
      });
    },
  };
}

/** Executor for `explanation` requests: writes the explanation JSON to `outPath` when given. */
export function colourExplanationExecutor(store: Store): ColourRightsExecutor {
  return {
    async execute(_db, request, options) {
      return withSubjectCodes(store, async (sc) => {
        const e = await explainSubjectCode(sc, request.subjectId, {
          actor: `request:${request.id}`,
          role: 'system',
        });
        const summary = {
          decisionId: e.decisionId,
          decisions: e.decisions,
          ruleSet: `${e.ruleSet.id}@${e.ruleSet.version}`,
        };
        if (options.outPath === undefined) {
          return { summary };
        }
        const bytes = Buffer.from(`${JSON.stringify(e, null, 2)}\n`, 'utf8');
        writeFileSync(options.outPath, bytes, { mode: 0o600 });
        return {
          summary,
          artefact: {
            path: options.outPath,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            bytes: bytes.length,
          },
        };
      });
    },
  };
}
