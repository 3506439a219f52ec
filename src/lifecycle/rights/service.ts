// SPDX-License-Identifier: Apache-2.0
/**
 * @module Data-subject requests as tracked workflows (DESIGN.md §5; DOMAIN.md §6 req. 19):
 * opened and acknowledged at once with deadlines (15 working days to complete, 30 days to
 * answer), identity verified, executed through the `RightsExecutor` port, then completed — or
 * refused with a reason and the complaint route (PIPL art. 50). Every step is audited.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Random } from '../../kernel/shared/random.js';
import { isOpaqueSubjectId } from '../../personal/consent/index.js';
import { requestDeadlines } from './calendar.js';
import { complaintRoute, inTx, load, rowToRequest, type RightsDeps } from './core.js';
import { NotWiredError, RequestInvalidError, RequestStateError } from './errors.js';
import type { IdentityMethod, RequestState, RightsRequest } from './model.js';
import { canMove, isIdentityMethod, isRefusalReason, isRequestType } from './model.js';
import * as repo from './repository.js';

export { complaintRoute } from './core.js';
export type { RightsDeps } from './core.js';

const PARAM_VALUE = /^[A-Za-z0-9_][A-Za-z0-9_,-]{0,200}$/;

function newId(random: Random): string {
  const h = random.bytes(10).toString('hex');
  return `rq-${h}`;
}

async function logStep(
  deps: RightsDeps,
  trx: Kysely<Database>,
  req: RightsRequest,
  from: RequestState | null,
  to: RequestState,
  actor: string,
  details: Record<string, string | number | boolean | null> = {},
): Promise<void> {
  const at = deps.clock.now();
  await repo.insertRequestEvent(trx, {
    request_id: req.id,
    at: at.getTime(),
    from_state: from,
    to_state: to,
    actor,
  });
  const auditId =
    req.subjectId !== null && deps.auditIds !== undefined
      ? await deps.auditIds.auditIdOf(trx, req.subjectId)
      : undefined;
  await deps.audit.append(trx, [
    {
      kind: 'request',
      actor,
      action: `request.${to}`,
      outcome: 'ok',
      at,
      ...(auditId === undefined ? {} : { subjectAuditId: auditId }),
      details: { request: req.id, type: req.type, ...details },
    },
  ]);
}

export interface OpenInput {
  readonly type: string;
  readonly channel: RightsRequest['channel'];
  /** Known at intake when an operator verified the person (or a portal session did). */
  readonly subjectId?: string;
  /** With `subjectId`: how identity was verified; the request starts identity-verified. */
  readonly identityMethod?: IdentityMethod;
  readonly params?: Readonly<Record<string, string>>;
  readonly actor: string;
}

/** Opens (and acknowledges) a request; deadlines are fixed now. */
export async function openRequest(deps: RightsDeps, input: OpenInput): Promise<RightsRequest> {
  if (!isRequestType(input.type)) {
    throw new RequestInvalidError(
      `request type must be one of access, copy, portability, correction, deletion, withdrawal, explanation`,
    );
  }
  if (input.subjectId !== undefined && !isOpaqueSubjectId(input.subjectId)) {
    throw new RequestInvalidError('subject must be an opaque subject id');
  }
  if (
    input.identityMethod !== undefined &&
    (!isIdentityMethod(input.identityMethod) || input.subjectId === undefined)
  ) {
    throw new RequestInvalidError('an identity method needs a subject and must be a known method');
  }
  const params = input.params ?? {};
  for (const [k, v] of Object.entries(params)) {
    if (!/^[a-zA-Z]{1,30}$/.test(k) || !PARAM_VALUE.test(v)) {
      throw new RequestInvalidError(
        'request parameters are ids only (letters, digits, hyphens, underscores)',
      );
    }
  }
  const now = deps.clock.now();
  const d = requestDeadlines(now, deps.calendar, deps.timeZone);
  const row: repo.RightsRequestsTable = {
    id: newId(deps.random),
    type: input.type,
    state: 'opened',
    subject_id: input.subjectId ?? null,
    channel: input.channel,
    identity_method: null,
    params: JSON.stringify(params),
    opened_at: now.getTime(),
    due_at: d.dueAt.getTime(),
    answer_by: d.answerBy.getTime(),
    verified_at: null,
    started_at: null,
    closed_at: null,
    refusal_reason: null,
    complaint_route: null,
    result: null,
    reminded_at: null,
  };
  return inTx(deps.db, async (trx) => {
    await repo.insertRequest(trx, row);
    const req = rowToRequest(row);
    await logStep(deps, trx, req, null, 'opened', input.actor, {
      dueDate: d.dueDate,
      calendar: d.calendarCoverage,
    });
    if (input.identityMethod !== undefined && input.subjectId !== undefined) {
      return verifyIdentity({ ...deps, db: trx }, row.id, {
        subjectId: input.subjectId,
        method: input.identityMethod,
        actor: input.actor,
      });
    }
    return req;
  });
}

async function move(
  deps: RightsDeps,
  trx: Kysely<Database>,
  req: RightsRequest,
  to: RequestState,
  set: Partial<repo.RightsRequestsTable>,
  actor: string,
  details: Record<string, string | number | boolean | null> = {},
): Promise<RightsRequest> {
  if (!canMove(req.state, to)) {
    throw new RequestStateError(`a request that is ${req.state} cannot become ${to}`);
  }
  if (!(await repo.updateRequest(trx, req.id, req.state, { ...set, state: to }))) {
    throw new RequestStateError('the request changed meanwhile; reload it');
  }
  const next = await load(trx, req.id);
  await logStep(deps, trx, next, req.state, to, actor, details);
  return next;
}

/** Records a verified identity: the request now belongs to `subjectId`. */
export async function verifyIdentity(
  deps: RightsDeps,
  id: string,
  input: { subjectId: string; method: IdentityMethod; actor: string },
): Promise<RightsRequest> {
  if (!isOpaqueSubjectId(input.subjectId) || !isIdentityMethod(input.method)) {
    throw new RequestInvalidError('identity needs an opaque subject id and a known method');
  }
  return inTx(deps.db, async (trx) => {
    const req = await load(trx, id);
    if (req.subjectId !== null && req.subjectId !== input.subjectId) {
      throw new RequestStateError('the verified person is not the subject the request names');
    }
    return move(
      deps,
      trx,
      req,
      'identity-verified',
      {
        subject_id: input.subjectId,
        identity_method: input.method,
        verified_at: deps.clock.now().getTime(),
      },
      input.actor,
      { method: input.method },
    );
  });
}

/**
 * Carries out a verified request through the executor wired for its type, or records an
 * operator's attestation that it was done by hand; then completes it.
 */
export async function completeRequest(
  deps: RightsDeps,
  id: string,
  input: { actor: string; outPath?: string; attested?: boolean; input?: unknown },
): Promise<RightsRequest> {
  const req = await load(deps.db, id);
  if (req.state === 'opened') {
    throw new RequestStateError('verify the requester’s identity first');
  }
  const executor = deps.executors?.[req.type];
  if (executor === undefined && input.attested !== true) {
    throw new NotWiredError(
      `no executor is wired for ${req.type} requests yet (needs the vault); an operator may complete it by hand with an attestation`,
    );
  }
  let started = req;
  if (req.state === 'identity-verified') {
    started = await inTx(deps.db, (trx) =>
      move(deps, trx, req, 'in-progress', { started_at: deps.clock.now().getTime() }, input.actor),
    );
  }
  if (started.subjectId === null) {
    throw new RequestStateError('the request has no verified subject');
  }
  const outcome =
    executor === undefined
      ? { summary: { attestedBy: input.actor, manual: true } }
      : await executor.execute(
          deps.db,
          { ...started, subjectId: started.subjectId },
          {
            ...(input.outPath === undefined ? {} : { outPath: input.outPath }),
            ...(input.input === undefined ? {} : { input: input.input }),
          },
        );
  const result: Record<string, string | number | boolean | null> = { ...outcome.summary };
  if (outcome.artefact !== undefined) {
    result.artefactSha256 = outcome.artefact.sha256;
    result.artefactBytes = outcome.artefact.bytes;
  }
  const now = deps.clock.now().getTime();
  return inTx(deps.db, async (trx) =>
    move(
      deps,
      trx,
      await load(trx, id),
      'completed',
      { closed_at: now, result: JSON.stringify(result) },
      input.actor,
      { late: now >= started.dueAt.getTime() },
    ),
  );
}

/** Refuses a request with a reason; the complaint route is stated with it (art. 50). */
export async function refuseRequest(
  deps: RightsDeps,
  id: string,
  input: { reason: string; actor: string },
): Promise<RightsRequest> {
  if (!isRefusalReason(input.reason)) {
    throw new RequestInvalidError('a refusal needs one of the listed reasons');
  }
  return inTx(deps.db, async (trx) =>
    move(
      deps,
      trx,
      await load(trx, id),
      'refused',
      {
        closed_at: deps.clock.now().getTime(),
        refusal_reason: input.reason,
        complaint_route: complaintRoute(deps.controller),
      },
      input.actor,
      { reason: input.reason },
    ),
  );
}
