// SPDX-License-Identifier: Apache-2.0
/**
 * @module HTTP figure (issue 10): `POST /api/verify` requests/s against a bare Fastify route that
 * runs one `crypto.verify` of the same token's signed bytes (target ≥ 0.70). Each server runs in
 * its own child process (this file, forked with `HEALTHCODE_HTTP_BENCH_SERVER` set), so neither
 * shares a heap, a garbage collector or an event loop with the other or with the load generator;
 * autocannon drives them on loopback from this process. They are measured in alternating rounds —
 * ABBA order, so a load that rises or falls during a pair falls on both alike — and the figure is
 * the median of the paired ratios. Rate limiting is switched OFF for the run, and said so. A
 * diagnostic beside it: requests per CPU-second of each server process (Linux `/proc/PID/stat`),
 * which does not depend on how much of the shared machine the servers got.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { openInstance } from '../src/edges/app/index.js';
import {
  decodeBase45,
  openCodesService,
  parseTrustList,
  recordSyntheticAssessments,
  verifyToken,
} from '../src/services/codes/index.js';
import { parseSign1, sigStructure } from '../src/services/codes/cose.js';
import { TOKEN_SIGN1_POLICY } from '../src/services/codes/token.js';
import { buildHttpApp } from '../src/edges/http/index.js';
import { atLeast, round, type BenchContext, type BenchResult } from './harness.js';

interface CannonResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly latency: { readonly p99: number };
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;

const ROUNDS = 11;
const SECONDS = 2;
const CONNECTIONS = 16;

const SERVER_ENV = 'HEALTHCODE_HTTP_BENCH_SERVER';
type ServerKind = 'ours' | 'bare' | 'bare-verify-token';

interface ServerSetup {
  readonly kind: ServerKind;
  readonly dataDir: string;
  readonly token: string;
  readonly trustListText: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU ms (user + system) a process used so far; undefined without Linux /proc. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The child side: one server, its port sent to the parent, closed on 'stop'. */
async function serveForBench(setup: ServerSetup): Promise<void> {
  const { trustList, revocations } = parseTrustList(setup.trustListText);
  let close: () => Promise<void>;
  let url: string;
  if (setup.kind === 'ours') {
    // Ours: the full app (helmet headers, request ids, schema validation, problem handler).
    const store = await openInstance({ dataDir: setup.dataDir, create: false });
    const app = buildHttpApp({ store, rateLimit: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await store.close();
    };
  } else {
    const bare = Fastify({ logger: false });
    if (setup.kind === 'bare') {
      // The baseline: one crypto.verify of the same token's signed bytes.
      const parsed = parseSign1(decodeBase45(setup.token.slice(5)), TOKEN_SIGN1_POLICY);
      if (!parsed.ok) {
        throw new Error('bench token does not parse');
      }
      const toBeSigned = sigStructure(parsed.value.protectedBytes, parsed.value.payload);
      const signature = parsed.value.signature;
      const key = [...trustList.keys.values()][0].publicKey;
      bare.post('/api/verify', (req) => {
        const body = req.body as { token?: unknown };
        if (typeof body?.token !== 'string') {
          return { valid: false };
        }
        return { valid: verify(null, toBeSigned, key, signature) };
      });
    } else {
      // Diagnostic: the full verifyToken without our HTTP layer (no helmet, ids, schemas).
      bare.post('/api/verify', (req) => {
        const body = req.body as { token?: unknown };
        if (typeof body?.token !== 'string') {
          return { valid: false };
        }
        return verifyToken(body.token, { trustList, revocations, at: new Date() });
      });
    }
    url = await bare.listen({ port: 0, host: '127.0.0.1' });
    close = () => bare.close();
  }
  process.on('message', (m) => {
    if (m === 'stop') {
      void close().then(() => process.exit(0));
    }
  });
  process.send?.({ url });
}

if (process.env[SERVER_ENV] !== undefined) {
  void serveForBench(JSON.parse(process.env[SERVER_ENV]) as ServerSetup).catch((err: unknown) => {
    process.stderr.write(`http bench server failed: ${String(err)}\n`);
    process.exit(1);
  });
}

interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function startServer(setup: ServerSetup): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [SERVER_ENV]: JSON.stringify(setup) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${setup.kind} server did not start`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${setup.kind} server exited (${code})`)));
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve({
        url: (m as { url: string }).url,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('stop');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      });
    });
  });
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;
  const dataDir = join(ctx.tmpDir, 'data');
  const store = await openInstance({ dataDir, create: true, initialConfig: { synthetic: true } });
  let token: string;
  let trustListText: string;
  try {
    // A synthetic store: its colour decisions run under the stand-in assessment (PIPL art. 55).
    await recordSyntheticAssessments(store);
    const codes = openCodesService(store, store.keyring.keyWrapper());
    const inputs = { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] };
    token = (await codes.issueFromInputs({ name: '王小明', inputs })).token.text;
    trustListText = await codes.trustListText();
  } finally {
    await store.close();
  }
  const { trustList, revocations } = parseTrustList(trustListText);
  if (!verifyToken(token, { trustList, revocations, at: new Date() }).ok) {
    throw new Error('bench token does not verify');
  }

  ctx.log('http: rate limiting is switched OFF for this run (buildHttpApp rateLimit: false)');
  const servers = {
    ours: await startServer({ kind: 'ours', dataDir, token, trustListText }),
    bare: await startServer({ kind: 'bare', dataDir, token, trustListText }),
    full: await startServer({ kind: 'bare-verify-token', dataDir, token, trustListText }),
  };
  const body = JSON.stringify({ token });
  const fire = (url: string, seconds = SECONDS, connections = CONNECTIONS) =>
    autocannon({
      url: `${url}/api/verify`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections,
      duration: seconds,
      workers: 1,
    });
  // One timed run: req/s and the server process's CPU ms per request.
  const timed = async (s: Server) => {
    const cpu0 = processCpuMs(s.pid);
    const r = await fire(s.url);
    const cpu1 = processCpuMs(s.pid);
    const cpuPerReq =
      cpu0 === undefined || cpu1 === undefined || r.requests.total === 0
        ? undefined
        : (cpu1 - cpu0) / r.requests.total;
    return { r, cpuPerReq };
  };
  try {
    // Warm all three (JIT, trust-list cache).
    for (const s of Object.values(servers)) {
      await fire(s.url, 1, 4);
    }
    const ratios: number[] = [];
    const layerRatios: number[] = [];
    const cpuRatios: number[] = [];
    const oursRps: number[] = [];
    const bareRps: number[] = [];
    const bareFullRps: number[] = [];
    let non2xx = 0;
    let p99 = 0;
    for (let i = 0; i < ROUNDS; i++) {
      // ABBA: even rounds measure bare first, odd rounds ours first.
      const bareFirst = i % 2 === 0;
      const first = await timed(bareFirst ? servers.bare : servers.ours);
      const second = await timed(bareFirst ? servers.ours : servers.bare);
      const [bm, om] = bareFirst ? [first, second] : [second, first];
      const f = await fire(servers.full.url);
      const o = om.r;
      const b = bm.r;
      non2xx += o.non2xx + o.errors;
      p99 = Math.max(p99, o.latency.p99);
      bareRps.push(b.requests.average);
      oursRps.push(o.requests.average);
      bareFullRps.push(f.requests.average);
      ratios.push(o.requests.average / b.requests.average);
      layerRatios.push(o.requests.average / f.requests.average);
      if (bm.cpuPerReq !== undefined && om.cpuPerReq !== undefined && om.cpuPerReq > 0) {
        cpuRatios.push(bm.cpuPerReq / om.cpuPerReq);
      }
      ctx.log(
        `http: round ${i + 1} (${bareFirst ? 'bare' : 'ours'} first): bare crypto.verify ${Math.round(b.requests.average)} req/s, ours ${Math.round(o.requests.average)} req/s (ratio ${round(ratios[i])}), bare verifyToken ${Math.round(f.requests.average)} req/s`,
      );
    }
    if (non2xx > 0) {
      throw new Error(`POST /api/verify answered ${non2xx} non-2xx or errors under load`);
    }
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
        'requests per server CPU-second, ours ÷ bare (diagnostic)':
          cpuRatios.length === 0 ? 'n/a (no /proc)' : round(median(cpuRatios)),
        'paired req/s ratios (sorted)': [...ratios]
          .sort((x, y) => x - y)
          .map((x) => round(x))
          .join(' '),
      },
      ratios: [
        atLeast(
          'POST /api/verify ÷ bare Fastify crypto.verify (req/s)',
          round(median(ratios)),
          0.7,
        ),
      ],
    };
  } finally {
    for (const s of Object.values(servers)) {
      await s.stop();
    }
  }
}
