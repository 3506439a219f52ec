// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the rights use cases share: their deps (STYLE.md §9), mapping a request row to
 * the model, loading one request, transactions that nest, and the complaint route every refusal
 * states (PIPL art. 50).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import type { Clock } from '../../kernel/shared/clock.js';
import type { Random } from '../../kernel/shared/random.js';
import type { HolidayCalendar } from './calendar.js';
import { RequestUnknownError } from './errors.js';
import type {
  IdentityMethod,
  RefusalReason,
  RequestState,
  RequestType,
  RightsRequest,
} from './model.js';
import type { RightsExecutor } from './ports.js';
import * as repo from './repository.js';

/** What every rights use case receives (STYLE.md §9). */
export interface RightsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly audit: AuditPort;
  readonly auditIds?: {
    auditIdOf(db: Kysely<Database>, subjectId: string): Promise<string | undefined>;
  };
  readonly calendar: HolidayCalendar;
  readonly timeZone: string;
  /** The controller's name and contact, for the complaint route. */
  readonly controller: { readonly name: string; readonly contact: string };
  readonly executors?: Partial<Record<RequestType, RightsExecutor>>;
}

export function rowToRequest(r: repo.RightsRequestsTable): RightsRequest {
  return {
    id: r.id,
    type: r.type as RequestType,
    state: r.state as RequestState,
    subjectId: r.subject_id,
    channel: r.channel as RightsRequest['channel'],
    identityMethod: r.identity_method as IdentityMethod | null,
    params: JSON.parse(r.params) as Record<string, string>,
    openedAt: new Date(r.opened_at),
    dueAt: new Date(r.due_at),
    answerBy: new Date(r.answer_by),
    verifiedAt: r.verified_at === null ? null : new Date(r.verified_at),
    startedAt: r.started_at === null ? null : new Date(r.started_at),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    refusal:
      r.refusal_reason === null
        ? null
        : { reason: r.refusal_reason as RefusalReason, complaintRoute: r.complaint_route ?? '' },
    result: r.result === null ? null : (JSON.parse(r.result) as RightsRequest['result']),
    remindedAt: r.reminded_at === null ? null : new Date(r.reminded_at),
  };
}

/** The complaint route stated with every refusal (PIPL art. 50). */
export function complaintRoute(controller: RightsDeps['controller']): string {
  return (
    `complain to ${controller.name} (${controller.contact}); report to the cyberspace administration ` +
    `(网信部门); or sue in a people's court (PIPL art. 50)`
  );
}

export async function inTx<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export async function load(db: Kysely<Database>, id: string): Promise<RightsRequest> {
  const row =
    typeof id === 'string' && id.length <= 40 ? await repo.selectRequest(db, id) : undefined;
  if (row === undefined) {
    throw new RequestUnknownError('no request with that id');
  }
  return rowToRequest(row);
}
