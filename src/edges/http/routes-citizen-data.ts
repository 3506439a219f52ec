// SPDX-License-Identifier: Apache-2.0
/**
 * @module `GET /api/citizen/data`: "my data" for the logged-in citizen (PIPL art. 45, the right
 * to access), by the four data groups, read through the rights capability's vault ports — the
 * same reads (and audit entries) an `access` request makes, without opening a request or writing
 * a file. The citizen's own subject and the SIMs linked to them are merged per group.
 */
import { DATA_GROUPS, type DataGroup } from '../../kernel/domain/index.js';
import { buildExport, type ExportBundle, type ExportRecord } from '../../lifecycle/rights/index.js';
import { subjectOf } from './auth.js';
import { route, type RouteSpec } from './route-kit.js';

interface GroupView {
  records: Array<ExportRecord & { subjectKind: string }>;
  bundles: Array<ExportBundle & { subjectKind: string }>;
}

export function citizenDataRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/citizen/data',
      access: ['citizen'],
      summary:
        "the citizen's data by group (basic, health, itinerary, certification; `code` aliases certification)",
      tags: ['citizen', 'rights'],
      example: {},
      async handler(req, _reply, ctx) {
        const subjectId = subjectOf(req);
        const rt = await ctx.rights();
        const ports = await rt.vaultPorts();
        const now = ctx.store.clock.now();
        // A view, not a request: the id only names the reader in the audit entries it writes.
        const doc = await buildExport(ports, ctx.store.db.kysely, {
          id: `portal-view-${ctx.store.random.bytes(8).toString('hex')}`,
          type: 'access',
          state: 'completed',
          subjectId,
          channel: 'portal',
          identityMethod: 'one-time-code',
          params: {},
          openedAt: now,
          dueAt: now,
          answerBy: now,
          verifiedAt: now,
          startedAt: now,
          closedAt: now,
          refusal: null,
          result: null,
          remindedAt: null,
        });
        const groups = Object.fromEntries(
          DATA_GROUPS.map((g): [DataGroup, GroupView] => [g, { records: [], bundles: [] }]),
        ) as Record<DataGroup, GroupView>;
        for (const s of doc.subjects) {
          for (const g of DATA_GROUPS) {
            groups[g].records.push(
              ...s.groups[g].records.map((r) => ({ ...r, subjectKind: s.kind })),
            );
            groups[g].bundles.push(
              ...s.groups[g].bundles.map((b) => ({ ...b, subjectKind: s.kind })),
            );
          }
        }
        return { generatedAt: doc.generatedAt, groups: { ...groups, code: groups.certification } };
      },
    }),
  ];
}
