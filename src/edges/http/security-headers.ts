// SPDX-License-Identifier: Apache-2.0
/**
 * @module Security headers (CSP, HSTS on HTTPS, X-Content-Type-Options, Referrer-Policy, COOP,
 * CORP, …) as @fastify/helmet computes them for our policy — computed ONCE at start-up and set
 * from a constant table on every reply. @fastify/helmet rebuilds its middleware per request,
 * which costs as much as the token verification on `POST /api/verify`; the policy is static,
 * so the headers are too.
 */
import Fastify from 'fastify';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';

/** The Content-Security-Policy: the app's own scripts only, no inline script, no framing. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  workerSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
};

export function helmetOptions(https: boolean): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

const NOT_POLICY = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);

/** The headers @fastify/helmet sets under `options`, read off one probe request. */
export async function helmetHeaders(
  options: FastifyHelmetOptions,
): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, options);
  probe.get('/', () => 'probe');
  try {
    const res = await probe.inject('/');
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (!NOT_POLICY.has(name) && typeof value === 'string') {
        out[name] = value;
      }
    }
    return out;
  } finally {
    await probe.close();
  }
}
