// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode analytics demo`: a fresh synthetic city (and a fresh instance, so a fresh
 * budget) split across the three carriers' feeds, five party processes on loopback — three input
 * parties (cmcc, cucc, ctcc) and two compute parties — each started as `healthcode party --config`,
 * then one query run by this process as coordinator. Everything lives in a temporary directory
 * that is removed afterwards; only the heat map (and the printed release) remain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '../../platform/runtime/index.js';
import type { Migrations } from '../../platform/runtime/module.js';
import {
  createPartyCredentials,
  type PeerEntry,
  privacyErrors,
} from '../../foundation/privacy/index.js';
import { PrivacyLedger } from './ledger.js';
import {
  DEFAULT_PREFECTURE,
  generatePopulation,
  writeCarrierFeeds,
} from '../../foundation/sim/index.js';
import type { AnalyticsQuery } from './model.js';
import { releaseHeatmap, runAnalytics, type AnalyticsOutcome } from './service.js';

export interface DemoOptions {
  readonly query: 'crowd' | 'od' | 'job-residence';
  readonly people: number;
  readonly days: number;
  readonly rho: number;
  readonly now: Date;
  /** The compiled CLI entry (`dist/src/edges/cli/main.js`) the party processes run. */
  readonly cliMain: string;
  readonly log: (msg: string) => void;
  /** Every capability's migrations (the demo creates its own instance). */
  readonly migrations: Migrations;
}

const CARRIER_NAMES = ['cmcc', 'cucc', 'ctcc'] as const;
const COMPUTE_NAMES = ['compute-1', 'compute-2'] as const;

/** The local date and UTC offset of `at` in `timeZone` (e.g. `2026-11-27`, `+08:00`). */
function localDay(at: Date, timeZone: string): { date: string; offset: string } {
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = name === undefined || name === 'GMT' ? '+00:00' : name.replace('GMT', '');
  return { date, offset };
}

function startParty(
  name: string,
  cliMain: string,
  config: string,
  log: (m: string) => void,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, 'party', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    const timer = setTimeout(
      () => reject(new privacyErrors.PartyConfigError(`party ${name} did not start in time`)),
      30_000,
    );
    createInterface({ input: child.stderr }).on('line', (l) => log(`[${name}] ${l}`));
    const out = createInterface({ input: child.stdout });
    out.once('line', (line) => {
      clearTimeout(timer);
      try {
        const ready = JSON.parse(line) as { ready?: boolean; port?: number };
        if (ready.ready === true && typeof ready.port === 'number') {
          resolve({ child, port: ready.port });
          return;
        }
      } catch {
        // fall through
      }
      reject(new privacyErrors.PartyConfigError(`party ${name} did not report ready`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new privacyErrors.PartyConfigError(`party ${name} exited early (code ${code})`));
    });
  });
}

/** Runs the demo; resolves with the release outcome and the heat map SVG. */
/**
 * The config file of one party in the local layout the demo uses: its key and certificate beside
 * the file, an input party's carrier feeds in `../feeds` (as `seed --carrier-feeds` names them),
 * listening on a free loopback port, and every other party pinned.
 */
export function localPartyConfig(
  name: string,
  input: boolean,
  peers: readonly Omit<PeerEntry, 'host' | 'port'>[],
): Record<string, unknown> {
  return {
    name,
    role: input ? 'input' : 'compute',
    listen: { host: '127.0.0.1', port: 0 },
    key: `${name}.key.pem`,
    cert: `${name}.cert.pem`,
    peers,
    ...(input
      ? {
          data: {
            holder: name,
            events: `../feeds/${name}-events.ndjson`,
            subscribers: `../feeds/${name}-subscribers.csv`,
          },
          consent: { kind: 'synthetic-all' },
        }
      : {}),
  };
}

export async function runDemo(
  options: DemoOptions,
): Promise<{ outcome: AnalyticsOutcome; heatmap: string }> {
  const root = mkdtempSync(join(tmpdir(), 'hc-analytics-demo-'));
  const children: ChildProcess[] = [];
  const store = await openStore({
    migrations: options.migrations,
    dataDir: join(root, 'data'),
    create: true,
    initialConfig: { synthetic: true },
  });
  try {
    const tz = store.config.timeZone;
    const feeds = join(root, 'feeds');
    options.log(`generating a synthetic city: ${options.people} residents, ${options.days} days`);
    const counts = await writeCarrierFeeds(
      generatePopulation({
        people: options.people,
        days: options.days,
        seed: randomInt(2 ** 31),
        end: options.now,
        timeZone: tz,
      }),
      feeds,
    );
    options.log(
      `carrier feeds: ${CARRIER_NAMES.map((c) => `${c} ${counts[c].events} events`).join(', ')}`,
    );

    const partiesDir = join(root, 'parties');
    mkdirSync(partiesDir, { mode: 0o700 });
    const all = [...CARRIER_NAMES, ...COMPUTE_NAMES, 'coordinator'] as const;
    const creds = new Map(
      all.map((n) => [n, createPartyCredentials(n, options.now, randomBytes(8))]),
    );
    for (const [n, c] of creds) {
      writeFileSync(join(partiesDir, `${n}.key.pem`), c.keyPem, { mode: 0o600 });
      writeFileSync(join(partiesDir, `${n}.cert.pem`), c.certPem);
    }
    const pinned = (name: string): PeerEntry => ({
      name,
      role:
        name === 'coordinator'
          ? 'coordinator'
          : (COMPUTE_NAMES as readonly string[]).includes(name)
            ? 'compute'
            : 'input',
      fingerprint: creds.get(name as (typeof all)[number])!.fingerprint,
    });
    const parties: PeerEntry[] = [];
    for (const name of [...COMPUTE_NAMES, ...CARRIER_NAMES]) {
      const input = (CARRIER_NAMES as readonly string[]).includes(name);
      const config = localPartyConfig(name, input, all.filter((n) => n !== name).map(pinned));
      const file = join(partiesDir, `${name}.json`);
      writeFileSync(file, JSON.stringify(config, null, 2));
      const { child, port } = await startParty(name, options.cliMain, file, options.log);
      children.push(child);
      parties.push({ ...pinned(name), host: '127.0.0.1', port });
      options.log(`party ${name} (${input ? 'input' : 'compute'}) listening on 127.0.0.1:${port}`);
    }

    const { date, offset } = localDay(
      new Date(options.now.getTime() - (options.days - 1) * 86_400_000),
      tz,
    );
    const window = {
      prefecture: DEFAULT_PREFECTURE,
      from: `${date}T00:00:00${offset}`,
      hours: options.query === 'crowd' ? 24 : options.days * 24,
    };
    const query: AnalyticsQuery = { kind: options.query, ...window };
    const dataset = `demo-carriers:${DEFAULT_PREFECTURE}`;
    const ledger = new PrivacyLedger(store);
    await ledger.setBudget(dataset, 'demo-analyst', Math.max(1, options.rho));
    const outcome = await runAnalytics(
      {
        store,
        coordinator: {
          identity: creds.get('coordinator')!,
          parties,
          clock: store.clock,
          log: options.log,
        },
        log: options.log,
      },
      { query, dataset, analyst: 'demo-analyst', rho: options.rho },
    );
    return { outcome, heatmap: releaseHeatmap(outcome) };
  } finally {
    for (const c of children) {
      c.kill('SIGTERM');
    }
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}
