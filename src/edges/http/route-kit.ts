// SPDX-License-Identifier: Apache-2.0
/**
 * @module Routes as data: each `/api/` route declares its method, path, who may use it, its JSON
 * schemas (validated by Fastify before any auth check; published as OpenAPI 3.1) and a request
 * that passes validation. The role-matrix and fuzz tests read the same table, so a route cannot
 * be added without saying who may call it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../foundation/accounts/index.js';
import type { HttpContext } from './context.js';

/** `public`, or the roles allowed (least privilege: name each one). */
export type Access = 'public' | readonly Role[];

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RouteSchema {
  readonly body?: JsonSchema;
  readonly querystring?: JsonSchema;
  readonly params?: JsonSchema;
  readonly response?: Readonly<Record<number, JsonSchema>>;
}

/** A request that passes the route's validation (used by the role matrix and the fuzz test). */
export interface RouteExample {
  /** The concrete path with query, e.g. `/api/audit/leaves/0`; default: the route's url. */
  readonly url?: string;
  readonly body?: unknown;
}

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly access: Access;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly schema?: RouteSchema;
  /** Per-route body limit in bytes (default: the app's, 64 KiB). */
  readonly bodyLimit?: number;
  /** Requests per minute per client address; off when the app's rate limiting is off. */
  readonly ratePerMinute?: number;
  /** Only on a `--demo` instance. */
  readonly demoOnly?: boolean;
  readonly example: RouteExample;
  handler(req: FastifyRequest, reply: FastifyReply, ctx: HttpContext): Promise<unknown>;
}

/** Identity helper that keeps route literals typed. */
export function route(spec: RouteSpec): RouteSpec {
  return spec;
}

// ---- shared schema pieces (plain JSON Schema; Fastify's Ajv validates, swagger publishes) ----

export const UINT_TEXT = { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' } as const;
export const ID_TEXT = { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' } as const;

export function objectSchema(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = Object.keys(properties),
): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, required };
}

/** A query string: every member a string (no coercion; the handler parses). */
export function querySchema(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = Object.keys(properties),
): JsonSchema {
  return objectSchema(properties, required);
}

/** Parses a validated UINT_TEXT member. */
export function uint(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

export const PROBLEM_SCHEMA = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
  },
  required: ['type', 'title', 'status', 'detail'],
} as const;
