// SPDX-License-Identifier: Apache-2.0
/** @module Test support for the HTTP API: one bearer token per role on a test instance. */
import type { FastifyInstance } from 'fastify';
import {
  ROLES,
  addAccount,
  createCitizenSession,
  createToken,
  type Role,
} from '../../src/foundation/accounts/index.js';
import type { Store } from '../../src/platform/runtime/index.js';

/** Creates one account (citizen: a session) per role; answers their bearer tokens. */
export async function roleTokens(store: Store): Promise<Record<Role, string>> {
  const out: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    if (role === 'citizen') {
      const s = await createCitizenSession(store, {
        subjectId: 'subj-test-0000000001',
        expiresInMs: 3_600_000,
      });
      out.citizen = s.token;
      continue;
    }
    const name = `t-${role}`;
    await addAccount(store, { name, role }, { wrapper: store.keyring.keyWrapper() });
    out[role] = (await createToken(store, { name, expiresInMs: 3_600_000 })).token;
  }
  return out as Record<Role, string>;
}

/** `METHOD url` of every route registered under `/api/` (collected by an onRoute hook). */
export function collectApiRoutes(app: FastifyInstance): Set<string> {
  const seen = new Set<string>();
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (r.url.startsWith('/api/') && m !== 'HEAD') {
        seen.add(`${m} ${r.url}`);
      }
    }
  });
  return seen;
}
