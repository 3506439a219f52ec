// SPDX-License-Identifier: Apache-2.0
/**
 * @module The trip card over HTTP (issue 8; DOMAIN.md §2.4, §6 req. 21): like the carriers'
 * 通信行程卡, it needs no account — a phone and an SMS one-time code (the trip card's own purpose
 * on the shared outbox codes) answer the 14-day city list with risk marks computed at query time.
 */
import type { TripcardService } from '../../services/tripcard/index.js';
import { instanceTripcard } from '../app/wiring/tripcard.js';
import type { HttpContext } from './context.js';
import { PHONE } from './routes-citizen.js';
import { objectSchema, route, type RouteSpec } from './route-kit.js';

const services = new WeakMap<HttpContext, Promise<TripcardService>>();

function tripcard(ctx: HttpContext): Promise<TripcardService> {
  let s = services.get(ctx);
  if (s === undefined) {
    s = instanceTripcard(ctx.store);
    services.set(ctx, s);
    // Best-effort cache cleanup: callers still get the rejection; the next request retries.
    s.catch(() => services.delete(ctx));
  }
  return s;
}

/** Drops this server's trip-card service, zeroising its cached subscriber keys (server close). */
export async function closeTripcard(ctx: HttpContext): Promise<void> {
  const s = services.get(ctx);
  services.delete(ctx);
  // A service that never opened has nothing to close; the request that opened it saw the error.
  const opened = await s?.catch(() => undefined);
  opened?.close();
}

export function tripcardRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/tripcard/code',
      access: 'public',
      summary: 'send a trip-card code to the phone (same answer whether it is a subscriber or not)',
      tags: ['tripcard'],
      ratePerMinute: 10,
      schema: { body: objectSchema({ phone: PHONE }) },
      example: { body: { phone: '13800138000' } },
      async handler(req, reply, ctx) {
        await (await tripcard(ctx)).requestCode((req.body as { phone: string }).phone);
        reply.code(202);
        return { sent: true };
      },
    }),
    route({
      method: 'POST',
      url: '/api/tripcard/itinerary',
      access: 'public',
      summary: 'the 14-day city list for phone + code: { cities: [{ … risk }] }',
      tags: ['tripcard'],
      ratePerMinute: 10,
      schema: {
        body: objectSchema({ phone: PHONE, code: { type: 'string', pattern: '^[0-9]{6}$' } }),
      },
      example: { body: { phone: '13800138000', code: '000000' } },
      async handler(req, _reply, ctx) {
        const b = req.body as { phone: string; code: string };
        return (await tripcard(ctx)).itinerary(b.phone, b.code);
      },
    }),
  ];
}
