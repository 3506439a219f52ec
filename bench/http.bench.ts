// SPDX-License-Identifier: Apache-2.0
/**
 * @module HTTP figure (issue 10): `POST /api/verify` requests/s against a bare Fastify route that
 * runs one `crypto.verify` of the same token's signed bytes (target ≥ 0.70). autocannon drives
 * both on loopback from a worker thread; the two servers live in this process and are measured in
 * alternating rounds (the figure is the median of the paired ratios, so outside load on this
 * shared machine falls on both alike). Rate limiting is switched OFF for the run, and said so.
 */
import { verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Fastify from 'fastify';
import { openStore } from '../src/app/index.js';
import { decodeBase45, openCodesService, parseTrustList, verifyToken } from '../src/codes/index.js';
import { parseSign1, sigStructure } from '../src/codes/cose.js';
import { TOKEN_SIGN1_POLICY } from '../src/codes/token.js';
import { buildHttpApp } from '../src/http/index.js';
import { atLeast, round, type BenchContext, type BenchResult } from './harness.js';

interface CannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly latency: { readonly p99: number };
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const ROUNDS = 9;
const SECONDS = 2;
const CONNECTIONS = 16;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const store = await openStore({
    dataDir: join(ctx.tmpDir, 'data'),
    create: true,
    initialConfig: { synthetic: true },
  });
  const codes = openCodesService(store, store.keyring.keyWrapper());
  const inputs = { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] };
  const { token } = await codes.issueFromInputs({ name: '王小明', inputs });
  const { trustList, revocations } = parseTrustList(await codes.trustListText());
  if (!verifyToken(token.text, { trustList, revocations, at: new Date() }).ok) {
    throw new Error('bench token does not verify');
  }
  const parsed = parseSign1(decodeBase45(token.text.slice(5)), TOKEN_SIGN1_POLICY);
  if (!parsed.ok) {
    throw new Error('bench token does not parse');
  }
  const toBeSigned = sigStructure(parsed.value.protectedBytes, parsed.value.payload);
  const signature = parsed.value.signature;
  const key = [...trustList.keys.values()][0].publicKey;

  // Ours: the full app (helmet, request ids, schema validation, problem handler), limits OFF.
  ctx.log('http: rate limiting is switched OFF for this run (buildHttpApp rateLimit: false)');
  const ours = buildHttpApp({ store, rateLimit: false });
  // The baseline: bare Fastify, one route, one crypto.verify of the same token's signed bytes.
  const bare = Fastify({ logger: false });
  bare.post('/verify', (req) => {
    const body = req.body as { token?: unknown };
    if (typeof body?.token !== 'string') {
      return { valid: false };
    }
    return { valid: verify(null, toBeSigned, key, signature) };
  });
  // A diagnostic third server: bare Fastify running the full verifyToken (no helmet, ids, schemas),
  // so the report can tell the HTTP layer's cost from the verifier's own.
  const bareFull = Fastify({ logger: false });
  bareFull.post('/verify', (req) => {
    const body = req.body as { token?: unknown };
    if (typeof body?.token !== 'string') {
      return { valid: false };
    }
    return verifyToken(body.token, { trustList, revocations, at: new Date() });
  });
  const oursUrl = await ours.listen({ port: 0, host: '127.0.0.1' });
  const bareFullUrl = await bareFull.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  const body = JSON.stringify({ token: token.text });
  const fire = (url: string) =>
    autocannon({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: CONNECTIONS,
      duration: SECONDS,
      workers: 1,
    });
  try {
    // Warm both (JIT, trust-list cache).
    await Promise.all([
      autocannon({
        url: `${oursUrl}/api/verify`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: 4,
        duration: 1,
      }),
      autocannon({
        url: `${bareUrl}/verify`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: 4,
        duration: 1,
      }),
    ]);
    const ratios: number[] = [];
    const layerRatios: number[] = [];
    const oursRps: number[] = [];
    const bareRps: number[] = [];
    const bareFullRps: number[] = [];
    let non2xx = 0;
    let p99 = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const b = await fire(`${bareUrl}/verify`);
      const o = await fire(`${oursUrl}/api/verify`);
      const f = await fire(`${bareFullUrl}/verify`);
      bareFullRps.push(f.requests.average);
      layerRatios.push(o.requests.average / f.requests.average);
      non2xx += o.non2xx + o.errors;
      p99 = Math.max(p99, o.latency.p99);
      bareRps.push(b.requests.average);
      oursRps.push(o.requests.average);
      ratios.push(o.requests.average / b.requests.average);
      ctx.log(
        `http: round ${i + 1}: bare crypto.verify ${Math.round(b.requests.average)} req/s, ours ${Math.round(o.requests.average)} req/s, bare verifyToken ${Math.round(f.requests.average)} req/s`,
      );
    }
    if (non2xx > 0) {
      throw new Error(`POST /api/verify answered ${non2xx} non-2xx or errors under load`);
    }
    const ratio = median(ratios);
    return {
      name: 'http',
      metrics: {
        rateLimit: 'off for this run',
        connections: CONNECTIONS,
        secondsPerRound: SECONDS,
        rounds: ROUNDS,
        verifyRps: round(median(oursRps), 0),
        bareVerifyRps: round(median(bareRps), 0),
        bareVerifyTokenRps: round(median(bareFullRps), 0),
        'HTTP layer: ours ÷ bare Fastify running verifyToken (diagnostic)': round(
          median(layerRatios),
        ),
        verifyP99Ms: p99,
      },
      ratios: [atLeast('POST /api/verify ÷ bare Fastify crypto.verify (req/s)', round(ratio), 0.7)],
    };
  } finally {
    await ours.close();
    await bare.close();
    await bareFull.close();
    await store.close();
  }
}
