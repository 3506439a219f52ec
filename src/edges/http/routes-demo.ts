// SPDX-License-Identifier: Apache-2.0
/**
 * @module `--demo` only (absent otherwise, so they answer 404): the one-time codes sitting in the
 * demo instance's file outbox, so a visitor can log in as a synthetic resident. Every answer is
 * labelled "synthetic demo only"; the instance's config must say `synthetic: true` as well.
 */
import { maskName } from '../../kernel/domain/index.js';
import { FileOutbox } from '../../foundation/outbox/index.js';
import { demoPeople } from './demo.js';
import { HttpForbiddenError } from './errors.js';
import type { HttpContext } from './context.js';
import { route, type RouteSpec } from './route-kit.js';

export const DEMO_LABEL = 'synthetic demo only';

function assertDemo(ctx: HttpContext, what: string): void {
  if (!ctx.demo || ctx.store.config.synthetic !== true) {
    throw new HttpForbiddenError(`${what} are shown only on a synthetic demo`);
  }
}

/** The demo login's residents, masked (generated once per server: same seed, same people). */
export function demoResidents(ctx: HttpContext): Promise<DemoResident[]> {
  let list = residentCache.get(ctx);
  if (list === undefined) {
    list = demoPeople(ctx.store).then((people) =>
      people.map((p) => ({ phone: p.phone, maskedName: maskName(p.name) })),
    );
    residentCache.set(ctx, list);
    // Best-effort cache cleanup: callers still get the rejection; the next request retries.
    list.catch(() => residentCache.delete(ctx));
  }
  return list;
}

interface DemoResident {
  readonly phone: string;
  readonly maskedName: string;
}

const residentCache = new WeakMap<HttpContext, Promise<DemoResident[]>>();

export function demoRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/demo/residents',
      access: 'public',
      demoOnly: true,
      summary: `synthetic residents a visitor can log in as (${DEMO_LABEL}; absent without --demo)`,
      tags: ['demo'],
      example: {},
      async handler(_req, _reply, ctx) {
        assertDemo(ctx, 'synthetic residents');
        return { label: DEMO_LABEL, residents: await demoResidents(ctx) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/demo/otps',
      access: 'public',
      demoOnly: true,
      summary: `one-time codes in the demo outbox (${DEMO_LABEL}; absent without --demo)`,
      tags: ['demo'],
      example: {},
      async handler(_req, _reply, ctx) {
        assertDemo(ctx, 'one-time codes');
        const now = ctx.store.clock.now().toISOString();
        const messages = await new FileOutbox(ctx.store.paths.outbox).list();
        return {
          label: DEMO_LABEL,
          codes: messages
            .filter((m) => m.code !== undefined && m.expires > now)
            .map((m) => ({ phone: m.to, purpose: m.purpose, code: m.code, expiresAt: m.expires })),
        };
      },
    }),
  ];
}
