// SPDX-License-Identifier: Apache-2.0
/**
 * `POST /api/analyst/queries` against real party processes (SQLite coordinator): five parties —
 * three carriers' input parties over a synthetic city's feeds and two compute parties — each made
 * by `healthcode party init` and started as `healthcode party --config` (compiled CLI), pinned in
 * a job file that `analytics.parties` in the instance's config names. The server is only the
 * coordinator: the instance has no carrier feeds of its own, so an answer can only come from the
 * parties. Needs the compiled CLI (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addAccount, createToken } from '../../src/foundation/accounts/index.js';
import { localPartyConfig } from '../../src/services/analytics/index.js';
import { buildHttpApp } from '../../src/edges/http/index.js';
import type { PartyRole } from '../../src/foundation/privacy/index.js';
import { generatePopulation, writeCarrierFeeds } from '../../src/foundation/sim/index.js';
import { createTestInstance, type TestInstance } from '../support/dialects.js';
import { CLI, runCli } from '../support/cli.js';

const CARRIERS = ['cmcc', 'cucc', 'ctcc'] as const;
const COMPUTE = ['compute-1', 'compute-2'] as const;
const NAMES = [...CARRIERS, ...COMPUTE, 'coordinator'] as const;

/** Starts `healthcode party --config FILE`; resolves with its port once it reports ready. */
function startParty(config: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'party', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HEALTHCODE_LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A real process must start: a generous bound, not a timing assumption.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`party did not start: ${stderr}`));
    }, 90_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const ready = JSON.parse(line) as { ready?: boolean; port?: number };
      if (ready.ready === true && typeof ready.port === 'number') {
        resolve({ child, port: ready.port });
      } else {
        reject(new Error(`party did not report ready: ${line}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`party exited early (${code}): ${stderr}`));
    });
  });
}

describe('analyst queries against party processes (sqlite)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hc-http-parties-'));
  const children: ChildProcess[] = [];
  let t: TestInstance;
  let app: FastifyInstance;

  beforeAll(async () => {
    const now = new Date();
    const feeds = join(root, 'feeds');
    await writeCarrierFeeds(
      generatePopulation({
        people: 300,
        days: 2,
        seed: 20261127,
        end: now,
        timeZone: 'Asia/Shanghai',
      }),
      feeds,
    );
    const partiesDir = join(root, 'parties');
    mkdirSync(partiesDir, { mode: 0o700 });
    const made = await Promise.all(
      NAMES.map((name) => runCli(['party', 'init', '--name', name, '--out', partiesDir, '--json'])),
    );
    const fingerprint = new Map<string, string>();
    for (const r of made) {
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { name: string; fingerprint: string };
      fingerprint.set(out.name, out.fingerprint);
    }
    const role = (name: string): PartyRole =>
      name === 'coordinator'
        ? 'coordinator'
        : (COMPUTE as readonly string[]).includes(name)
          ? 'compute'
          : 'input';
    const pinned = (name: string) => ({
      name,
      role: role(name),
      fingerprint: fingerprint.get(name)!,
    });
    const configs = [...COMPUTE, ...CARRIERS].map((name) => {
      const input = role(name) === 'input';
      const file = join(partiesDir, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify(localPartyConfig(name, input, NAMES.filter((n) => n !== name).map(pinned))),
      );
      return { name, file };
    });
    const parties = [];
    for (const { name, file } of configs) {
      const { child, port } = await startParty(file);
      children.push(child);
      parties.push({ ...pinned(name), host: '127.0.0.1', port });
    }
    const jobFile = join(partiesDir, 'job.json');
    writeFileSync(
      jobFile,
      JSON.stringify({
        coordinator: { key: 'coordinator.key.pem', cert: 'coordinator.cert.pem' },
        parties,
      }),
    );
    t = await createTestInstance('sqlite', {
      initialConfig: { synthetic: true, analytics: { parties: jobFile } },
    });
    app = buildHttpApp({ store: t.store, rateLimit: false });
    await app.ready();
  }, 240_000);

  afterAll(async () => {
    for (const c of children) {
      c.kill('SIGTERM');
    }
    await app?.close();
    await t?.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the query on the pinned parties and stores the release', async () => {
    await addAccount(
      t.store,
      { name: 'analyst-p', role: 'analyst' },
      { wrapper: t.store.keyring.keyWrapper() },
    );
    const { token } = await createToken(t.store, { name: 'analyst-p', expiresInMs: 3_600_000 });
    const auth = { authorization: `Bearer ${token}` };
    const ran = await app.inject({
      method: 'POST',
      url: '/api/analyst/queries',
      headers: auth,
      payload: { query: 'crowd', rho: 0.2 },
    });
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json()).toMatchObject({ k: expect.any(Number), linkage: { pass: true } });
    const budget = await app.inject({
      url: '/api/analyst/budget?dataset=carriers:320200',
      headers: auth,
    });
    // The budget charged is what the release says it cost (at most the ρ asked for).
    const charged = ran.json<{ chargedRho: number }>().chargedRho;
    expect(charged).toBeGreaterThan(0);
    expect(charged).toBeLessThanOrEqual(0.2);
    expect(budget.json<{ used: number }>().used).toBeCloseTo(charged, 9);
  }, 240_000);
});
