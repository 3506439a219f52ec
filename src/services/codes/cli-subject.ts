// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the subject-facing commands (`code issue <subject-id>`, `code explain`,
 * `code order`, `code correct`, `code review list|decide`), each against the instance's vault and
 * stored issuer. Subjects are named by their opaque id (base64url; one starting with `-` is given
 * after `--`); no personal data is taken from the command line.
 */
import { writeFileSync } from 'node:fs';
import { withStore, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import type { Outcome } from './cli-verify.js';
import { parseLenientInstant } from './instant.js';
import type { OrderInput } from './model.js';
import {
  REVIEW_OUTCOMES,
  REVIEW_STATUSES,
  type ReviewOutcome,
  type ReviewStatus,
  correctAndReevaluate,
  decideReview,
  listReviews,
} from './review.js';
import { qrVersion, renderQr } from './qr.js';
import {
  addManualOrder,
  explainSubjectCode,
  issueSubjectCode,
  openSubjectCodes,
  type SubjectCodes,
} from './subject.js';
import type { CodesPorts } from './ports.js';

/** The actor console commands act as (an operator; never a person's identifier). */
const CLI = { actor: 'operator:cli', role: 'operator' } as const;

const SUBJECT_ID = /^[A-Za-z0-9_-]{8,64}$/;

function subjectArg(id: string, what = 'subject id'): string {
  if (!SUBJECT_ID.test(id)) {
    throw new UsageError(`${what} must be an opaque subject id (8–64 characters [A-Za-z0-9_-])`);
  }
  return id;
}

async function withSubjectCodes<T>(
  env: CommandEnv,
  ports: CodesPorts,
  opts: { riskAreas?: string },
  fn: (sc: SubjectCodes) => Promise<T>,
): Promise<T> {
  return withStore(env, async (store) => {
    const sc = await openSubjectCodes(
      store,
      ports.openInstanceVault,
      opts.riskAreas === undefined ? {} : { riskAreasFile: opts.riskAreas },
    );
    try {
      return await fn(sc);
    } finally {
      await sc.finish();
    }
  });
}

function isoTime(text: string, flag: string): string {
  const i = parseLenientInstant(text);
  if (i === undefined) {
    throw new UsageError(`${flag} must be an ISO 8601 time, e.g. 2026-12-01T08:00:00+08:00`);
  }
  return new Date(i.seconds * 1000).toISOString();
}

/** `code issue <subject-id> [--guardian ID] [--png|--svg|--terminal]`. */
export async function issueForSubjectCommand(
  subjectId: string,
  opts: {
    guardian?: string;
    ttl?: number;
    png?: string;
    svg?: string;
    terminal?: boolean;
    riskAreas?: string;
  },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  const id = subjectArg(subjectId);
  const guardian =
    opts.guardian === undefined ? undefined : subjectArg(opts.guardian, '--guardian');
  const code = await withSubjectCodes(env, ports, opts, async (sc) => {
    return issueSubjectCode(
      sc,
      id,
      guardian === undefined ? CLI : { actor: 'guardian', role: 'guardian', guardian },
      opts.ttl === undefined ? {} : { ttlSeconds: opts.ttl },
    );
  });
  if (opts.png !== undefined) {
    writeFileSync(opts.png, await renderQr(code.token, 'png'));
  }
  if (opts.svg !== undefined) {
    writeFileSync(opts.svg, code.qrSvg);
  }
  if (opts.terminal === true) {
    process.stderr.write(`${(await renderQr(code.token, 'terminal')) as string}\n`);
  }
  const qr = await qrVersion(code.token, 'Q');
  const { qrSvg: _svg, ...rest } = code;
  void _svg;
  return {
    json: {
      ...rest,
      qr: { errorCorrection: 'Q', version: qr.version, modules: qr.modules },
    },
    text: code.token,
    exitCode: 0,
  };
}

/** `code explain <subject-id> [--guardian ID]`: "why am I yellow" (PIPL art. 24). */
export async function explainCommand(
  subjectId: string,
  opts: { guardian?: string },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  const id = subjectArg(subjectId);
  const guardian =
    opts.guardian === undefined ? undefined : subjectArg(opts.guardian, '--guardian');
  const e = await withSubjectCodes(env, ports, {}, async (sc) => {
    return explainSubjectCode(
      sc,
      id,
      guardian === undefined ? CLI : { actor: 'guardian', role: 'guardian', guardian },
    );
  });
  const lines = [
    `colour ${e.colour}, decided ${e.decidedAt}, valid until ${e.validUntil} (rule set ${e.ruleSet.id}@${e.ruleSet.version})`,
    ...e.reasons.map((r) => `- ${r.colour}: ${r.reason} [${r.rule}]`),
    `based on ${e.inputs.tests.length} test(s), ${e.inputs.declarations.length} declaration(s), ${e.inputs.itinerary.length} stay(s), ${e.inputs.riskAreas.length} risk area(s), ${e.inputs.orders.length} order(s)`,
    `decision ${e.decisionId}; ask for a human review with \`healthcode code correct --review -- ${id}\``,
  ];
  return { json: e, text: lines.join('\n'), exitCode: 0 };
}

/** `code order <subject-id> --kind K [--at TIME] [--until TIME]`. */
export async function orderCommand(
  subjectId: string,
  opts: { kind: string; at?: string; until?: string },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  const id = subjectArg(subjectId);
  if (!['quarantine', 'home-observation', 'lifted'].includes(opts.kind)) {
    throw new UsageError('--kind is quarantine, home-observation or lifted');
  }
  const order: OrderInput = {
    kind: opts.kind as OrderInput['kind'],
    at: opts.at === undefined ? env.clock.now().toISOString() : isoTime(opts.at, '--at'),
    ...(opts.until === undefined ? {} : { until: isoTime(opts.until, '--until') }),
  };
  const recordId = await withSubjectCodes(env, ports, {}, async (sc) => {
    return addManualOrder(sc, id, CLI, order);
  });
  return {
    json: { orderId: recordId, ...order },
    text: `order ${order.kind} stored (${recordId}); the next \`code issue\` applies it`,
    exitCode: 0,
  };
}

/** `code correct <subject-id> [--review] [--request ID]`: re-evaluate after a correction. */
export async function correctCommand(
  subjectId: string,
  opts: { review?: boolean; request?: string; riskAreas?: string },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  const id = subjectArg(subjectId);
  const r = await withSubjectCodes(env, ports, opts, async (sc) => {
    return correctAndReevaluate(sc, id, CLI, {
      humanReview: opts.review === true,
      ...(opts.request === undefined ? {} : { requestId: opts.request }),
    });
  });
  return {
    json: r,
    text:
      `re-evaluated: ${r.previousColour ?? '(none)'} → ${r.colour}` +
      (r.reviewId === null ? '' : `; human review queued: ${r.reviewId}`),
    exitCode: 0,
  };
}

/** `code review list [--status S] [--subject ID]`. */
export async function reviewListCommand(
  opts: { status?: string; subject?: string; limit?: number },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  const status = opts.status ?? 'pending';
  if (status !== 'all' && !(REVIEW_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status is all or one of ${REVIEW_STATUSES.join(', ')}`);
  }
  const subject = opts.subject === undefined ? undefined : subjectArg(opts.subject, '--subject');
  const reviews = await withSubjectCodes(env, ports, {}, async (sc) => {
    return listReviews(sc, {
      ...(status === 'all' ? {} : { status: status as ReviewStatus }),
      ...(subject === undefined ? {} : { subjectId: subject }),
      ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    });
  });
  return {
    json: { reviews },
    text:
      reviews.length === 0
        ? 'no reviews'
        : reviews
            .map(
              (r) =>
                `${r.id} ${r.status} ${r.reason} subject ${r.subjectId} requested ${r.requestedAt}`,
            )
            .join('\n'),
    exitCode: 0,
  };
}

/** `code review decide <review-id> --outcome O [--until TIME] [--reviewer NAME]`. */
export async function reviewDecideCommand(
  reviewId: string,
  opts: { outcome: string; until?: string; reviewer?: string },
  env: CommandEnv,
  ports: CodesPorts,
): Promise<Outcome> {
  if (!(REVIEW_OUTCOMES as readonly string[]).includes(opts.outcome)) {
    throw new UsageError(`--outcome is one of ${REVIEW_OUTCOMES.join(', ')}`);
  }
  if (opts.reviewer !== undefined && !/^[a-z0-9._-]{1,40}$/i.test(opts.reviewer)) {
    throw new UsageError('--reviewer is an operator name of 1–40 characters [A-Za-z0-9._-]');
  }
  const reviewer = { actor: `operator:${opts.reviewer ?? 'cli'}`, role: 'operator' };
  const until = opts.until === undefined ? undefined : isoTime(opts.until, '--until');
  const r = await withSubjectCodes(env, ports, {}, async (sc) => {
    return decideReview(
      sc,
      reviewId,
      reviewer,
      opts.outcome as ReviewOutcome,
      until === undefined ? {} : { until },
    );
  });
  return {
    json: r,
    text:
      `review ${r.review.id}: ${r.review.status}` +
      (r.correction === null ? '' : ` (${r.correction.previousColour} → ${r.correction.colour})`),
    exitCode: 0,
  };
}
