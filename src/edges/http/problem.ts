// SPDX-License-Identifier: Apache-2.0
/**
 * @module Errors become HTTP in one place (STYLE.md §7): typed `AppError` codes take their status
 * from the one table (error-statuses.ts), rendered as RFC 9457 problem+json with `type`, `title`,
 * `status` and `detail`. Fastify's own errors (`FST_ERR_*`: bad JSON, body too large, schema
 * failures) become 4xx. Every 5xx (an integrity failure, an unavailable key store, anything that
 * is not an `AppError`) has a fixed body per status: its code and request id go to the log only.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../kernel/shared/index.js';
import { statusForCode } from './error-statuses.js';
import { HTTP_VALIDATION_CODE } from './errors.js';

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
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The whole body of a 5xx: nothing about the failure leaves the server. */
function serverProblem(status: number): Problem {
  return problem(
    status,
    status === 503 ? 'The service is unavailable; try again later.' : 'An internal error occurred.',
  );
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
    if (status >= 500) {
      req.log.error({ reqId: req.id, code: error.code }, 'internal application error');
      body = serverProblem(status);
    } else {
      body = problem(status, error.message, error.code);
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
      body = serverProblem(500);
    } else if (fe.validation) {
      // Ajv's messages name the field and the rule, never the value sent.
      body = problem(
        400,
        `invalid request: ${fe.message ?? 'schema validation failed'}`,
        HTTP_VALIDATION_CODE,
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
