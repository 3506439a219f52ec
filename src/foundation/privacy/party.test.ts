// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectPinned } from './channel.js';
import { startLocalCluster } from './cluster.js';
import { JobSession } from './coordinator.js';
import { LinkPool } from './link-pool.js';
import { MSG, fullShareHolder, type JobSpec } from './model.js';
import type { InputProvider } from './party.js';
import { suppressSmallCells } from './release.js';

function provider(values: number[]): InputProvider {
  return () =>
    Promise.resolve({
      histogram: BigUint64Array.from(values.map(BigInt)),
      linkageRecords: () =>
        values.flatMap((v, cell) => Array.from({ length: v }, () => ({ cells: [cell] }))),
    });
}

function spec(
  cells: number,
  inputs: string[],
  compute: JobSpec['compute'],
  noise: JobSpec['noise'],
  chunkCells = 1000,
): JobSpec {
  return {
    id: randomUUID(),
    query: { kind: 'test' },
    cells,
    inputs,
    compute,
    chunkCells,
    deadline: new Date(Date.now() + 20_000).toISOString(),
    noise,
    contributionBound: 1,
  };
}

const A = Array.from({ length: 2500 }, (_, i) => i % 11);
const B = Array.from({ length: 2500 }, (_, i) => (i * 7) % 5);
const C = Array.from({ length: 2500 }, (_, i) => (i % 100 === 0 ? 1000 : 0));

describe('secure aggregation across party nodes over pinned TLS', () => {
  it('with noise switched off (test seam) reveals exactly the plaintext sums', async () => {
    const cluster = await startLocalCluster({
      inputs: [
        { name: 'cmcc', provider: provider(A) },
        { name: 'cucc', provider: provider(B) },
        { name: 'ctcc', provider: provider(C) },
      ],
      allowNoiseOff: true,
    });
    try {
      const s = await JobSession.open(
        cluster,
        spec(2500, cluster.inputs, cluster.compute, { kind: 'none' }, 700),
      );
      const sums = await s.aggregate();
      expect([...sums].map(Number)).toEqual(A.map((a, i) => a + B[i] + C[i]));
      const { values } = suppressSmallCells(sums, 5);
      const linkage = await s.checkLinkage(values, 0, 5);
      expect(linkage.every((l) => l.pass)).toBe(true);
      await s.finish();
    } finally {
      await cluster.close();
    }
  });

  it('with Skellam noise from each compute party: unbiased, variance 2λ, and the linkage test passes', async () => {
    const cluster = await startLocalCluster({
      inputs: [
        { name: 'cmcc', provider: provider(A) },
        { name: 'cucc', provider: provider(B) },
      ],
      computeCount: 3,
    });
    try {
      // λ per party 2 → total Skellam(6): variance 12.
      const s = await JobSession.open(
        cluster,
        spec(2500, cluster.inputs, cluster.compute, { kind: 'skellam', lambdaPerParty: '2' }),
      );
      const sums = await s.aggregate();
      const noise = [...sums].map((v, i) => Number(v) - A[i] - B[i]);
      const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
      const variance = noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length;
      // 6.5 standard errors: a false failure has probability below 1e-10 per run. The sample
      // variance's standard error uses Skellam's fourth cumulant (λ total = 12): (2σ⁴ + κ₄) / n.
      expect(Math.abs(mean)).toBeLessThan(6.5 * Math.sqrt(12 / 2500));
      expect(Math.abs(variance - 12)).toBeLessThan(6.5 * Math.sqrt((2 * 144 + 12) / 2500));
      expect(noise.some((n) => n !== 0)).toBe(true);
      const { values } = suppressSmallCells(sums, 5);
      const linkage = await s.checkLinkage(values, 12, 5);
      expect(linkage.map((l) => l.pass)).toEqual([true, true]);
      await s.finish();
    } finally {
      await cluster.close();
    }
  });

  it('links outlive jobs: later jobs reuse them, and an aborted job does not spoil the next', async () => {
    let failNext = false;
    const flaky: InputProvider = (job) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new TypeError('local data unreadable'));
      }
      return provider(B)(job);
    };
    const cluster = await startLocalCluster({
      inputs: [
        { name: 'cmcc', provider: provider(A) },
        { name: 'cucc', provider: flaky },
        { name: 'ctcc', provider: provider(C) },
      ],
      allowNoiseOff: true,
    });
    const links = new LinkPool(cluster.identity);
    const run = async () => {
      const s = await JobSession.open(
        { ...cluster, links },
        spec(2500, cluster.inputs, cluster.compute, { kind: 'none' }, 700),
      );
      const sums = await s.aggregate();
      await s.finish();
      return [...sums].map(Number);
    };
    const truth = A.map((a, i) => a + B[i] + C[i]);
    try {
      expect(await run()).toEqual(truth);
      // Five parties, five idle links kept for the next job.
      expect(links.idleCount).toBe(5);
      expect(await run()).toEqual(truth);
      expect(links.idleCount).toBe(5);
      failNext = true;
      await expect(run()).rejects.toMatchObject({ code: 'ERR_PRIVACY_JOB_ABORTED' });
      // The aborted job's links were destroyed, not pooled; the next job connects afresh.
      expect(links.idleCount).toBe(0);
      expect(await run()).toEqual(truth);
      expect(links.idleCount).toBe(5);
    } finally {
      links.close();
      await cluster.close();
    }
  });

  it('refuses a job without noise unless the test seam is on', async () => {
    const cluster = await startLocalCluster({ inputs: [{ name: 'cmcc', provider: provider(A) }] });
    try {
      const s = await JobSession.open(
        cluster,
        spec(2500, cluster.inputs, cluster.compute, { kind: 'none' }),
      );
      await expect(s.aggregate()).rejects.toMatchObject({
        code: 'ERR_PRIVACY_JOB_ABORTED',
        message: expect.stringMatching(/refuses a job without noise/) as unknown,
      });
    } finally {
      await cluster.close();
    }
  });

  it('an input party that drops out mid-stream aborts the job and nothing is revealed', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const cluster = await startLocalCluster({
      inputs: [
        { name: 'cmcc', provider: provider(A) },
        // This party never shares: an impostor connection under its name drops out instead.
        {
          name: 'cucc',
          provider: async (job) => {
            await gate;
            return provider(B)(job);
          },
        },
      ],
      allowNoiseOff: true,
    });
    try {
      const job = spec(2500, cluster.inputs, cluster.compute, { kind: 'none' }, 500);
      const s = await JobSession.open(cluster, job);
      const run = s.aggregate();
      await new Promise((r) => setTimeout(r, 300));
      const cred = cluster.credentials.get('cucc')!;
      const last = cluster.compute[fullShareHolder(job, 'cucc')];
      const link = await connectPinned({
        host: last.host,
        port: last.port,
        identity: cred,
        peerName: last.name,
        fingerprint: cluster.credentials.get(last.name)!.fingerprint,
      });
      await link.sendJson(MSG.HELLO, { jobId: job.id, party: 'cucc' });
      const head = Buffer.alloc(8);
      await link.send(MSG.CHUNK, head, Buffer.alloc(500 * 8));
      await new Promise((r) => setTimeout(r, 100));
      link.destroy(); // the dropout
      await expect(run).rejects.toMatchObject({
        code: 'ERR_PRIVACY_JOB_ABORTED',
        message: expect.stringMatching(/cucc dropped out/) as unknown,
      });
      release();
    } finally {
      await cluster.close();
    }
  });

  it('a malformed chunk aborts the job with a clear error', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const cluster = await startLocalCluster({
      inputs: [
        {
          name: 'cmcc',
          provider: async (job) => {
            await gate;
            return provider(A)(job);
          },
        },
      ],
      allowNoiseOff: true,
    });
    try {
      const job = spec(2500, cluster.inputs, cluster.compute, { kind: 'none' }, 500);
      const s = await JobSession.open(cluster, job);
      const run = s.aggregate();
      await new Promise((r) => setTimeout(r, 300));
      const last = cluster.compute[fullShareHolder(job, 'cmcc')];
      const link = await connectPinned({
        host: last.host,
        port: last.port,
        identity: cluster.credentials.get('cmcc')!,
        peerName: last.name,
        fingerprint: cluster.credentials.get(last.name)!.fingerprint,
      });
      await link.sendJson(MSG.HELLO, { jobId: job.id, party: 'cmcc' });
      await link.send(MSG.CHUNK, Buffer.alloc(4), Buffer.alloc(13)); // wrong length
      await expect(run).rejects.toMatchObject({
        code: 'ERR_PRIVACY_JOB_ABORTED',
        message: expect.stringMatching(/malformed share chunk 0 from cmcc/) as unknown,
      });
      release();
    } finally {
      await cluster.close();
    }
  });

  it('a missed deadline aborts the job', async () => {
    const cluster = await startLocalCluster({
      inputs: [{ name: 'cmcc', provider: () => new Promise(() => undefined) }],
      allowNoiseOff: true,
    });
    try {
      const job = {
        ...spec(10, cluster.inputs, cluster.compute, { kind: 'none' }),
        deadline: new Date(Date.now() + 800).toISOString(),
      };
      const s = await JobSession.open(cluster, job);
      await expect(s.aggregate()).rejects.toMatchObject({ code: 'ERR_PRIVACY_JOB_ABORTED' });
    } finally {
      await cluster.close();
    }
  });
});
