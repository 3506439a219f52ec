// SPDX-License-Identifier: Apache-2.0
/**
 * @module Auditor routes (DESIGN.md §7): the latest signed checkpoint, RFC 9162 inclusion and
 * consistency proofs (checked in the browser or with `audit check-proof`), and a leaf's public
 * part. Sealed details are never served here: an auditor sees kinds, times and hashes.
 */
import { HttpInvalidError, HttpNotFoundError } from './errors.js';
import { UINT_TEXT, objectSchema, querySchema, route, uint, type RouteSpec } from './route-kit.js';

const AUDITOR = ['auditor'] as const;

export function auditRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/audit/checkpoint',
      access: AUDITOR,
      summary: 'the latest signed checkpoint: size, root hash and the signed note',
      tags: ['audit'],
      example: {},
      async handler(_req, _reply, ctx) {
        const log = await ctx.audit();
        const cp = (await log.latestCheckpoint()) ?? (await log.init());
        return {
          size: cp.size,
          rootHash: Buffer.from(cp.root).toString('hex'),
          note: cp.note,
          verifierKey: await log.verifierKey(),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/proof/inclusion',
      access: AUDITOR,
      summary: 'an inclusion-proof bundle for a leaf (healthcode/audit-inclusion/v1)',
      tags: ['audit'],
      schema: { querystring: querySchema({ leaf: UINT_TEXT, size: UINT_TEXT }, ['leaf']) },
      example: { url: '/api/audit/proof/inclusion?leaf=0' },
      async handler(req, _reply, ctx) {
        const q = req.query as { leaf: string; size?: string };
        const log = await ctx.audit();
        const leaf = uint(q.leaf)!;
        const size = uint(q.size);
        const current = await log.size();
        if (leaf >= current || (size !== undefined && (size <= leaf || size > current))) {
          throw new HttpInvalidError('the leaf must lie inside a tree size the log has reached');
        }
        return log.prove(leaf, size);
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/proof/consistency',
      access: AUDITOR,
      summary: 'a consistency proof between two tree sizes (RFC 9162 §2.1.4), base64 hashes',
      tags: ['audit'],
      schema: { querystring: querySchema({ from: UINT_TEXT, to: UINT_TEXT }) },
      example: { url: '/api/audit/proof/consistency?from=0&to=0' },
      async handler(req, _reply, ctx) {
        const q = req.query as { from: string; to: string };
        const from = uint(q.from)!;
        const to = uint(q.to)!;
        const log = await ctx.audit();
        if (from > to || to > (await log.size())) {
          throw new HttpInvalidError('need from ≤ to ≤ the current tree size');
        }
        const path = from === 0 || from === to ? [] : await log.consistency(from, to);
        return {
          format: 'healthcode/audit-consistency/v1',
          size1: from,
          size2: to,
          proof: path.map((h) => Buffer.from(h).toString('base64')),
          verifierKey: await log.verifierKey(),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/audit/leaves/:index',
      access: AUDITOR,
      summary: "a leaf's public part: kind, time, details state (sealed details are not served)",
      tags: ['audit'],
      schema: { params: objectSchema({ index: UINT_TEXT }) },
      example: { url: '/api/audit/leaves/0' },
      async handler(req, _reply, ctx) {
        const index = uint((req.params as { index: string }).index)!;
        const log = await ctx.audit();
        if (index >= (await log.size())) {
          throw new HttpNotFoundError('no leaf at that index yet');
        }
        const e = await log.entry(index);
        return {
          leafIndex: e.leafIndex,
          kind: e.kind,
          at: e.at.toISOString(),
          detailsState: e.detailsState,
          ...(e.period === undefined ? {} : { period: e.period }),
          ...(e.detailsState === 'clear'
            ? {
                actor: e.actor ?? null,
                action: e.action ?? null,
                outcome: e.outcome ?? null,
                details: e.details ?? null,
              }
            : {}),
        };
      },
    }),
  ];
}
