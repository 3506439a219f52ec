// SPDX-License-Identifier: Apache-2.0
/**
 * @module Bearer-token authentication (RFC 6750) and role checks, run as a `preHandler`: after
 * body parsing and schema validation, so a malformed request is answered 400 whoever sends it,
 * and before the handler. A missing or rejected token is 401; a role the route does not name, 403.
 */
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authenticate, type ApiTokenInfo } from '../../foundation/accounts/index.js';
import { isAppError } from '../../kernel/shared/index.js';
import type { Store } from '../../platform/runtime/index.js';
import { HttpForbiddenError, HttpUnauthenticatedError } from './errors.js';
import type { Access } from './route-kit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called, once the auth preHandler ran (undefined on public routes). */
    principal: ApiTokenInfo | undefined;
  }
}

const BEARER = /^Bearer ([\x21-\x7e]{1,200})$/;

/** The preHandler enforcing `access` on one route. */
export function authPreHandler(store: Store, access: Access): preHandlerAsyncHookHandler {
  return async (req) => {
    if (access === 'public') {
      return;
    }
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? BEARER.exec(header) : null;
    if (m === null) {
      throw new HttpUnauthenticatedError('this route needs a bearer token');
    }
    let info: ApiTokenInfo;
    try {
      info = await authenticate(store, m[1]);
    } catch (err) {
      if (isAppError(err) && err.code === 'ERR_ACCOUNTS_TOKEN_REJECTED') {
        throw new HttpUnauthenticatedError('token rejected');
      }
      throw err;
    }
    if (!access.includes(info.role)) {
      throw new HttpForbiddenError(`the role ${info.role} may not use this route`);
    }
    req.principal = info;
  };
}

/** The caller of an authenticated route (a handler bug if absent). */
export function principalOf(req: FastifyRequest): ApiTokenInfo {
  if (req.principal === undefined) {
    throw new TypeError('route handler reached without a principal');
  }
  return req.principal;
}

/** The opaque subject id of a citizen session. */
export function subjectOf(req: FastifyRequest): string {
  const p = principalOf(req);
  if (p.role !== 'citizen' || p.subjectId === undefined) {
    throw new HttpForbiddenError('only a citizen session names a subject');
  }
  return p.subjectId;
}
