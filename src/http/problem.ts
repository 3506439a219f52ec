// SPDX-License-Identifier: Apache-2.0
/**
 * @module Errors become HTTP in one place (STYLE.md §7): typed `AppError` codes map to statuses,
 * rendered as RFC 9457 problem+json with `type`, `title`, `status` and `detail`. Fastify's own
 * errors (`FST_ERR_*`: bad JSON, body too large, schema failures) become 4xx; anything unknown is
 * a 500 with a fixed body and only the request id in the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../shared/index.js';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code?: string;
  readonly instance?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Status per error-code reason. Codes are `ERR_<CAPABILITY>_<REASON>`; the reason decides the
 * status, so every capability's errors map without this file importing them all.
 */
const BY_REASON: ReadonlyArray<readonly [RegExp, number]> = [
  [/_(UNKNOWN|NOT_FOUND|MISSING)(_|$)/, 404],
  [/_(FORBIDDEN|REFUSED|RESTRICTED|DENIED)(_|$)/, 403],
  [/_TOKEN_REJECTED$|_UNAUTHENTICATED$/, 401],
  [/_(EXISTS|CONFLICT|LOCKED|STATE)(_|$)/, 409],
  [/_RATE_LIMITED$/, 429],
  [/_(INTEGRITY|KEY_MISMATCH|MASTER_KEY)(_|$)/, 500],
];

/** The HTTP status for an application error code. */
export function statusForCode(code: string): number {
  if (code === 'ERR_NOT_FOUND') {
    return 404;
  }
  for (const [pattern, status] of BY_REASON) {
    if (pattern.test(code)) {
      return status;
    }
  }
  return 400;
}

export function problem(status: number, detail: string, code?: string): Problem {
  return {
    type: code ? `urn:healthcode:error:${code}` : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(code ? { code } : {}),
  };
}

/** The one error handler. */
export function handleError(error: unknown, req: FastifyRequest, reply: FastifyReply): void {
  let body: Problem;
  if (isAppError(error)) {
    const status = statusForCode(error.code);
    body = problem(
      status,
      status >= 500 ? 'An internal error occurred.' : error.message,
      error.code,
    );
    if (status >= 500) {
      req.log.error({ reqId: req.id, code: error.code }, 'internal application error');
    }
  } else {
    const fe = error as Partial<FastifyError>;
    const status =
      typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500
        ? fe.statusCode
        : 500;
    if (status === 500) {
      req.log.error({ reqId: req.id, name: (error as Error).name }, 'unhandled error');
      body = problem(500, 'An internal error occurred.');
    } else {
      // Fastify's validation messages name the field, never echo its value.
      body = problem(
        status,
        fe.validation ? `invalid request: ${fe.message ?? ''}` : (fe.message ?? 'bad request'),
        fe.code,
      );
    }
  }
  void reply.code(body.status).type('application/problem+json').send(body);
}
