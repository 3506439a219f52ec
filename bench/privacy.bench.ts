// SPDX-License-Identifier: Apache-2.0
/**
 * @module Privacy-computing benchmark (issue 9 figures; anchors/privacy.md §3, §9, (b)). Every
 * figure is a ratio against a baseline measured in this run: JIFF (`jiff-mpc` under
 * bench/peers/jiff, `sodium: false`) for the 3-party secure sum; raw loopback TCP of the same bytes
 * for 10^6-cell histograms; the bare ristretto255 scalar-multiplication rate for ECDH-PSI; a
 * straightforward BigInt port of the same CKS20 sampler for exact noise. Our parties run in this
 * one process (one core for all of them), which only handicaps us against JIFF's separate
 * processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  ExactSampler,
  JobSession,
  connectPinned,
  createPartyCredentials,
  listenPinned,
  loadPsiCurve,
  psiItem,
  rational,
  runPsiReceiver,
  runPsiSender,
  startLocalCluster,
  type FramedConnection,
  type JobSpec,
  type LocalCluster,
} from '../src/privacy/index.js';
import { ReferenceSampler } from '../src/privacy/cks20-reference.js';
import {
  atLeast,
  atMost,
  measure,
  round,
  rssMb,
  timeOnce,
  type BenchContext,
  type BenchRatio,
  type BenchResult,
} from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const jiffDir = resolve(here, '..', '..', 'bench', 'peers', 'jiff');

function histogramCluster(n: number, inputs = 3): Promise<LocalCluster> {
  // Histograms are built once, outside the timing: the provider hands out a copy (a memcpy),
  // since an input party zeroes its histogram after sharing it.
  const hists = Array.from({ length: inputs }, (_, p) =>
    BigUint64Array.from({ length: n }, (_, i) => BigInt((i * (p + 3)) % 97)),
  );
  return startLocalCluster({
    inputs: hists.map((h, p) => ({
      name: `holder-${p + 1}`,
      provider: () => Promise.resolve({ histogram: h.slice(), linkageRecords: () => [] }),
    })),
    allowNoiseOff: true,
  });
}

function jobFor(
  cluster: LocalCluster,
  n: number,
  noise: JobSpec['noise'] = { kind: 'none' },
): JobSpec {
  return {
    id: randomUUID(),
    query: { kind: 'bench' },
    cells: n,
    inputs: cluster.inputs,
    compute: cluster.compute,
    chunkCells: 65_536,
    deadline: new Date(Date.now() + 600_000).toISOString(),
    noise,
    contributionBound: 1,
  };
}

/** Median ms of `runs` secure sums, timed from sharing to opening (links to parties already open). */
async function secureSumMs(
  cluster: LocalCluster,
  n: number,
  runs: number,
  noise?: JobSpec['noise'],
): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const session = await JobSession.open(cluster, jobFor(cluster, n, noise));
    const { ms, value } = await timeOnce(() => session.aggregate());
    if (
      (noise === undefined || noise.kind === 'none') &&
      Number(value[1]) !== [3, 4, 5].reduce((a, m) => a + (m % 97), 0)
    ) {
      throw new Error('secure sum is wrong');
    }
    await session.finish();
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** JIFF 3-party secure sum of n elements: mean per-party ms from share_array to open_array. */
async function jiffSumMs(n: number, log: (m: string) => void): Promise<number | undefined> {
  if (!existsSync(join(jiffDir, 'node_modules', 'jiff-mpc'))) {
    log('JIFF peer skipped: run `npm install --prefix bench/peers/jiff` to measure it');
    return undefined;
  }
  const children: ChildProcess[] = [];
  const server = spawn(process.execPath, [join(jiffDir, 'server.cjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(server);
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await new Promise<number>((res, rej) => {
      createInterface({ input: server.stdout }).on('line', (l) => {
        if (l.startsWith('{')) {
          res((JSON.parse(l) as { port: number }).port);
        }
      });
      server.once('exit', () => rej(new Error('JIFF server exited')));
    });
    const computation = `bench-${randomUUID()}`;
    const party = () =>
      new Promise<{ ms: number; ok: boolean }>((res, rej) => {
        const p = spawn(
          process.execPath,
          [join(jiffDir, 'party.cjs'), String(port), String(n), '3', computation],
          { stdio: ['ignore', 'pipe', 'ignore'] },
        );
        children.push(p);
        // JIFF itself prints lines such as "Connected!"; ours is the JSON one.
        createInterface({ input: p.stdout }).on('line', (l) => {
          if (l.startsWith('{')) {
            res(JSON.parse(l) as { ms: number; ok: boolean });
          }
        });
        p.once('exit', (code) => rej(new Error(`JIFF party exited early (${code})`)));
      });
    const deadline = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new Error('JIFF did not finish in 20 minutes')), 20 * 60_000);
    });
    const results = await Promise.race([Promise.all([party(), party(), party()]), deadline]);
    if (!results.every((r) => r.ok)) {
      throw new Error('JIFF opened a wrong sum');
    }
    return results.reduce((a, r) => a + r.ms, 0) / results.length;
  } finally {
    clearTimeout(timer);
    for (const c of children) {
      c.kill('SIGTERM');
    }
  }
}

/** Raw loopback TCP: ms to move `bytes` in 512 KiB writes from one socket to another. */
async function rawTcpMs(bytes: number): Promise<number> {
  const chunk = Buffer.alloc(512 * 1024, 1);
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const done = new Promise<void>((res) => {
      server.once('connection', (s) => {
        let got = 0;
        s.on('data', (d: Buffer) => {
          got += d.length;
          if (got >= bytes) {
            res();
          }
        });
      });
    });
    const start = performance.now();
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', r));
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      if (!client.write(chunk)) {
        await new Promise<void>((r) => client.once('drain', r));
      }
    }
    await done;
    const ms = performance.now() - start;
    client.destroy();
    return ms;
  } finally {
    server.close();
  }
}

async function psiRun(n: number): Promise<number> {
  const now = new Date();
  const a = createPartyCredentials('holder-a', now, randomBytes(8));
  const b = createPartyCredentials('holder-b', now, randomBytes(8));
  let accept: (c: FramedConnection) => void = () => undefined;
  const accepted = new Promise<FramedConnection>((r) => (accept = r));
  const { server, port } = await listenPinned({
    host: '127.0.0.1',
    port: 0,
    identity: a,
    allowed: new Map([[b.fingerprint, 'holder-b']]),
    onConnection: (c) => accept(c),
  });
  try {
    const linkB = await connectPinned({
      host: '127.0.0.1',
      port,
      identity: b,
      peerName: 'holder-a',
      fingerprint: a.fingerprint,
    });
    const linkA = await accepted;
    const key = randomBytes(32);
    const itemsA = Array.from({ length: n }, (_, i) => psiItem(key, `A${i}`));
    const itemsB = Array.from({ length: n }, (_, i) => psiItem(key, `A${i + n / 2}`));
    const { ms, value } = await timeOnce(() =>
      Promise.all([runPsiSender(linkA, itemsA), runPsiReceiver(linkB, itemsB, 'cardinality')]),
    );
    if (value[1].intersectionSize !== n / 2) {
      throw new Error('PSI-cardinality is wrong');
    }
    linkA.destroy();
    linkB.destroy();
    return ms;
  } finally {
    server.close();
  }
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const metrics: Record<string, number | string> = {};
  const ratios: BenchRatio[] = [];

  // 1. Exact noise: our CKS20 sampler against the straightforward reference port.
  const sampler = new ExactSampler();
  const ref = new ReferenceSampler();
  for (const sigma of [10, 100, 1000]) {
    const s2 = rational(BigInt(sigma * sigma));
    const ours = await measure(
      () => {
        for (let i = 0; i < 2000; i++) {
          sampler.discreteGaussian(s2);
        }
        return 2000;
      },
      { minMs: 800 },
    );
    const base = await measure(
      () => {
        for (let i = 0; i < 500; i++) {
          ref.discreteGaussian(BigInt(sigma * sigma), 1n);
        }
        return 500;
      },
      { minMs: 800 },
    );
    metrics[`dgauss σ=${sigma} samples/s`] = Math.round(ours.opsPerSec);
    metrics[`dgauss σ=${sigma} reference samples/s`] = Math.round(base.opsPerSec);
    ratios.push(
      atLeast(`dgauss σ=${sigma}: ours / reference port`, ours.opsPerSec / base.opsPerSec, 0.7),
    );
    ratios.push(atLeast(`dgauss σ=${sigma}: samples/s ÷ 300,000`, ours.opsPerSec / 300_000, 1));
  }
  ctx.log('noise samplers measured');

  // 2. Secure sum, 3 input parties, against JIFF.
  const sizes = ctx.peers ? [10_000, 100_000] : [10_000];
  for (const n of sizes) {
    const cluster = await histogramCluster(n);
    try {
      const ours = await secureSumMs(cluster, n, 5);
      metrics[`secure sum n=${n} ms`] = round(ours, 2);
      const jiff = await jiffSumMs(n, (m) => ctx.log(m));
      if (jiff !== undefined) {
        metrics[`JIFF secure sum n=${n} ms`] = round(jiff, 1);
        ratios.push(
          atLeast(`secure sum n=${n}: JIFF time / ours`, jiff / ours, n >= 100_000 ? 900 : 200),
        );
      }
    } finally {
      await cluster.close();
    }
    ctx.log(`secure sum at ${n} measured`);
  }
  if (!ctx.peers) {
    ctx.log('JIFF at 10^5 (about 3 minutes) runs only with --peers');
  }

  // 3. 10^6-cell histograms against raw loopback TCP of the same bytes; peak RSS.
  {
    const n = 1_000_000;
    const cluster = await histogramCluster(n);
    let peak = rssMb();
    const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
    try {
      const ours = await secureSumMs(cluster, n, 3);
      // Bytes our protocol moves: one full share vector per input party (the other compute
      // party gets a 32-byte seed) plus each compute party's sum to the coordinator.
      const bytes = (cluster.inputs.length + cluster.compute.length) * n * 8;
      const raw = Math.min(await rawTcpMs(bytes), await rawTcpMs(bytes), await rawTcpMs(bytes));
      metrics['histogram 10^6 cells ms'] = round(ours, 1);
      metrics['raw loopback TCP, same bytes, ms'] = round(raw, 1);
      metrics['bytes on the wire (MB)'] = round(bytes / 1e6, 1);
      ratios.push(atMost('histogram 10^6: ours / raw TCP', ours / raw, 4));
      const noised = await secureSumMs(cluster, n, 1, { kind: 'skellam', lambdaPerParty: '5' });
      metrics['histogram 10^6 cells with Skellam noise ms'] = round(noised, 1);
    } finally {
      clearInterval(timer);
      await cluster.close();
    }
    metrics['peak RSS, all 6 parties in one process (MB)'] = peak;
    ratios.push(atMost('peak RSS per party (MB, all parties together) / 300', peak / 300, 1));
    ctx.log('10^6-cell histograms measured');
  }

  // 4. ECDH-PSI against the bare scalar-multiplication rate.
  {
    const curve = await loadPsiCurve();
    const point = curve.fromHash(randomBytes(64));
    const scalar = curve.reduceScalar(randomBytes(64));
    const bare = await measure(
      () => {
        for (let i = 0; i < 200; i++) {
          curve.mult(scalar, point);
        }
        return 200;
      },
      { minMs: 800 },
    );
    const n = Math.max(1024, Math.min(8192, Math.round(ctx.scale / 25)));
    const ms = await psiRun(n);
    // Both parties ran on this one core, so each party's rate is n / (ms / 2).
    const perParty = (2 * n * 1000) / ms;
    metrics['ristretto255 scalar mult /s'] = Math.round(bare.opsPerSec);
    metrics[`ECDH-PSI-cardinality ${n}×${n}: elements/s per party per core`] = Math.round(perParty);
    ratios.push(
      atLeast('ECDH-PSI elements/s ÷ (bare mult rate ÷ 2)', perParty / (bare.opsPerSec / 2), 0.7),
    );
    ctx.log('PSI measured');
  }

  return { name: 'privacy', metrics, ratios };
}
