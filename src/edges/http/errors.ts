// SPDX-License-Identifier: Apache-2.0
/** @module Typed errors of the HTTP layer; their statuses are in the one table (error-statuses.ts). */
import { AppError } from '../../kernel/shared/index.js';

/** The code of a request that fails its route's schema (Fastify's validation; see problem.ts). */
export const HTTP_VALIDATION_CODE = 'ERR_HTTP_VALIDATION';

/** No bearer token, or one that is malformed, unknown, expired or revoked (RFC 6750 §3). */
export class HttpUnauthenticatedError extends AppError {
  static override readonly code = 'ERR_HTTP_UNAUTHENTICATED';
  override readonly code = 'ERR_HTTP_UNAUTHENTICATED';
}

/** The token is good, but its role may not use this route (least privilege). */
export class HttpForbiddenError extends AppError {
  static override readonly code = 'ERR_HTTP_FORBIDDEN';
  override readonly code = 'ERR_HTTP_FORBIDDEN';
}

/** A resource named in the path does not exist. */
export class HttpNotFoundError extends AppError {
  static override readonly code = 'ERR_HTTP_NOT_FOUND';
  override readonly code = 'ERR_HTTP_NOT_FOUND';
}

/** A request that passed its schema but is still unusable (e.g. a leaf index past the tree). */
export class HttpInvalidError extends AppError {
  static override readonly code = 'ERR_HTTP_INVALID';
  override readonly code = 'ERR_HTTP_INVALID';
}

/** A state conflict, e.g. a plan run already in progress. */
export class HttpConflictError extends AppError {
  static override readonly code = 'ERR_HTTP_CONFLICT';
  override readonly code = 'ERR_HTTP_CONFLICT';
}
