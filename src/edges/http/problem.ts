// SPDX-License-Identifier: Apache-2.0
/**
 * @module Errors become HTTP in one place (STYLE.md §7): typed `AppError` codes map to statuses,
 * rendered as RFC 9457 problem+json with `type`, `title`, `status` and `detail`. Fastify's own
 * errors (`FST_ERR_*`: bad JSON, body too large, schema failures) become 4xx; anything unknown is
 * a 500 with a fixed body and only the request id in the log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../kernel/shared/index.js';

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
  414: 'URI Too Long',
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
  [/_(FORBIDDEN|REFUSED|RESTRICTED|DENIED|NOT_GUARDIAN)(_|$)/, 403],
  [/_TOKEN_REJECTED$|_UNAUTHENTICATED$/, 401],
  // A spent privacy budget conflicts with the dataset's state; asking again will not help.
  [/_(EXISTS|CONFLICT|LOCKED|STATE)(_|$)|_BUDGET_EXCEEDED$/, 409],
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

/** Fastify error codes whose messages could echo request content: answered with a fixed text. */
const FIXED_DETAIL: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but its content type is JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than this route accepts',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'only application/json bodies are accepted',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the content length does not match the body',
  FST_ERR_BAD_URL: 'the URL is malformed',
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is too long',
};

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
      req.log.error(
        { reqId: req.id, name: (error as Error | undefined)?.name, code: fe.code },
        'unhandled error',
      );
      body = problem(500, 'An internal error occurred.');
    } else if (fe.validation) {
      // Ajv's messages name the field and the rule, never the value sent.
      body = problem(
        400,
        `invalid request: ${fe.message ?? 'schema validation failed'}`,
        'ERR_HTTP_VALIDATION',
      );
    } else if (error instanceof SyntaxError || (status === 400 && fe.code === undefined)) {
      // A JSON parse error quotes the body; the sender knows what they sent, the log must not.
      body = problem(400, 'the body is not valid JSON', 'FST_ERR_CTP_INVALID_JSON_BODY');
    } else {
      const code = fe.code;
      body = problem(
        status,
        (code !== undefined ? FIXED_DETAIL[code] : undefined) ?? fe.message ?? 'bad request',
        code,
      );
    }
  }
  if (body.status === 401) {
    void reply.header('www-authenticate', 'Bearer realm="healthcode"');
  }
  void reply.code(body.status).type('application/problem+json').send(body);
}
