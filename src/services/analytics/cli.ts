// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations behind `party` and `analytics run|demo|budget|overlap`, loaded by
 * `./commands.ts` when a command runs; each returns the command's outcome.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ok,
  openCommandStore,
  printReady,
  type CommandEnv,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import {
  connectPinned,
  createPartyCredentials,
  initParty,
  listenPinned,
  psiItem,
  runPsiReceiver,
  runPsiSender,
  type CoordinatorOptions,
  type FramedConnection,
} from '../../foundation/privacy/index.js';
import { UsageError } from '../../kernel/shared/index.js';
import { runDemo } from './demo.js';
import { startFeedCluster } from './feed-cluster.js';
import { carrierFeedsFromDir, loadJobFile, startOfYesterday } from './api.js';
import { PrivacyLedger } from './ledger.js';
import { SYNTHETIC_CONSENT, denyListConsent } from './local.js';
import { parseQuery, type AnalyticsQuery } from './model.js';
import { startPartyFromConfig } from './party-runtime.js';
import { releaseCsv, releaseHeatmap, runAnalytics, type AnalyticsOutcome } from './service.js';
import type { AnalyticsPorts } from './ports.js';

export interface RunArgs {
  query: string;
  feeds?: string;
  parties?: string;
  prefecture: string;
  from?: string;
  hours: number;
  site?: string;
  resolution?: number;
  bound?: number;
  rho: number;
  k: number;
  holders: number;
  /** De-duplicate persons across holders by PSI (default); else multiply by `holders`. */
  dedup?: boolean;
  dataset: string;
  analyst: string;
  format: 'json' | 'csv';
  heatmap?: string;
  denyList?: string;
}

const log = (m: string) => process.stderr.write(`${m}\n`);

/** `party --config FILE`: prints its ready line, then serves until SIGTERM or SIGINT. */
export async function partyCommand(
  configFile: string,
  env: CommandEnv,
  ports: AnalyticsPorts,
): Promise<CommandOutcome> {
  // An input party with consent "instance" reads the instance named by --data / --db.
  const { node, config } = await startPartyFromConfig(configFile, log, {
    dataDir: env.dataDir,
    dbUrl: env.dbUrl,
    clock: env.clock,
    migrations: env.migrations,
    openInstanceVault: ports.openInstanceVault,
  });
  printReady({ ready: true, name: config.name, role: config.role, port: node.port });
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await node.close();
  return ok(null, '');
}

/** `party init`: the party's key and certificate files (privacy's, no instance). */
export function partyInitCommand(
  name: string,
  outDir: string,
  days: number,
  now: Date,
): CommandOutcome {
  const out = initParty(name, outDir, days, now);
  return ok(out, `${out.name}: ${out.fingerprint}\n  key  ${out.key}\n  cert ${out.cert}`);
}

/** `analytics budget`: shows or sets the budget of a dataset for an analyst. */
export async function budgetCommand(
  env: CommandEnv,
  dataset: string,
  analyst: string,
  set: number | undefined,
): Promise<CommandOutcome> {
  const store = await openCommandStore(env, { create: set !== undefined });
  try {
    const ledger = new PrivacyLedger(store);
    if (set !== undefined) {
      await ledger.setBudget(dataset, analyst, set);
    }
    const out = { dataset, analyst, ...(await ledger.remaining(dataset, analyst)) };
    return ok(
      out,
      `ρ budget ${out.budget}, used ${out.used.toFixed(4)}, remaining ${out.remaining.toFixed(4)}`,
    );
  } finally {
    await store.close();
  }
}

/** The release as `analytics run|demo` print it: JSON by default (they have no `--json`). */
function releaseOutcome(outcome: AnalyticsOutcome, format: 'json' | 'csv'): CommandOutcome {
  const text =
    format === 'csv'
      ? releaseCsv(outcome.release).replace(/\n$/, '')
      : JSON.stringify(outcome.release, null, 2);
  return ok(outcome.release, text);
}

/** The coordinator of `analytics run`: local parties over --feeds, or the job file's. */
async function coordinatorFor(
  env: CommandEnv,
  args: RunArgs,
): Promise<{ coordinator: CoordinatorOptions; close: () => Promise<void> }> {
  if (args.feeds === undefined) {
    return {
      coordinator: { ...loadJobFile(args.parties!), clock: env.clock, log },
      close: () => Promise.resolve(),
    };
  }
  const feeds = resolve(args.feeds);
  const consent =
    args.denyList !== undefined
      ? denyListConsent(readFileSync(args.denyList, 'utf8').split(/\r?\n/).filter(Boolean))
      : SYNTHETIC_CONSENT;
  if (args.denyList === undefined) {
    log(
      'note: feeds are treated as synthetic (every subscriber has a statistics basis); pass --deny-list otherwise',
    );
  }
  const cluster = await startFeedCluster(carrierFeedsFromDir(feeds), consent, { log });
  return { coordinator: { ...cluster, clock: env.clock, log }, close: () => cluster.close() };
}

/** `analytics run`. */
export async function runCommand(env: CommandEnv, args: RunArgs): Promise<CommandOutcome> {
  const store = await openCommandStore(env, { create: true });
  try {
    const query: AnalyticsQuery = parseQuery({
      kind: args.query,
      prefecture: args.prefecture,
      from: args.from ?? startOfYesterday(env.clock.now(), store.config.timeZone),
      hours: args.hours,
      ...(args.site !== undefined ? { site: args.site } : {}),
      ...(args.resolution !== undefined ? { resolution: args.resolution } : {}),
      ...(args.bound !== undefined ? { bound: args.bound } : {}),
    });
    const { coordinator, close } = await coordinatorFor(env, args);
    try {
      const outcome = await runAnalytics(
        { store, coordinator, log },
        {
          query,
          dataset: args.dataset,
          analyst: args.analyst,
          rho: args.rho,
          k: args.k,
          holdersPerPerson: args.holders,
          dedup: args.dedup ?? true,
        },
      );
      if (args.heatmap !== undefined) {
        writeFileSync(args.heatmap, releaseHeatmap(outcome));
        log(`heat map written to ${args.heatmap}`);
      }
      return releaseOutcome(outcome, args.format);
    } finally {
      await close();
    }
  } finally {
    await store.close();
  }
}

/** `analytics demo`. */
export async function demoCommand(
  env: CommandEnv,
  args: {
    query: 'crowd' | 'od' | 'job-residence';
    out?: string;
    people: number;
    days: number;
    rho: number;
  },
): Promise<CommandOutcome> {
  if (!(args.people >= 10 && args.people <= 1_000_000) || !(args.days >= 1 && args.days <= 14)) {
    throw new UsageError('--people must be 10–1,000,000 and --days 1–14');
  }
  const cliMain = fileURLToPath(new URL('../../edges/cli/main.js', import.meta.url));
  const { outcome, heatmap } = await runDemo({
    ...args,
    now: env.clock.now(),
    cliMain,
    log,
    migrations: await env.migrations(),
  });
  if (args.out !== undefined) {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'heatmap.svg'), heatmap);
    log(`heat map written to ${join(args.out, 'heatmap.svg')}`);
  }
  return releaseOutcome(outcome, 'json');
}

/** `analytics overlap`: prints the count only. */
export async function overlapCommand(
  feedsDir: string,
  a: string,
  b: string,
): Promise<CommandOutcome> {
  const out = await registerOverlap(feedsDir, a, b);
  return ok(
    out,
    `${a} ∩ ${b}: ${out.intersectionSize} people (of ${out.senderSize} and ${out.receiverSize})`,
  );
}

/** PSI-cardinality between two holders' registers over pinned TLS on loopback. */
async function registerOverlap(
  feedsDir: string,
  a: string,
  b: string,
): Promise<{
  sender: string;
  receiver: string;
  senderSize: number;
  receiverSize: number;
  intersectionSize: number;
}> {
  const read = (c: string) => {
    const file = join(resolve(feedsDir), `${c}-subscribers.csv`);
    if (!existsSync(file)) {
      throw new UsageError(`no register ${c}-subscribers.csv in --feeds`);
    }
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    const col = (lines[0] ?? '').split(',').indexOf('id_number');
    if (col < 0) {
      throw new UsageError(`${c}-subscribers.csv lacks an id_number column`);
    }
    // A person with two SIMs at one carrier is one register entry for PSI.
    return [
      ...new Set(
        lines
          .slice(1)
          .map((l) => l.split(',')[col]?.trim() ?? '')
          .filter(Boolean),
      ),
    ];
  };
  // The keyed-hash key is shared by the two holders for this run only.
  const key = randomBytes(32);
  const itemsA = read(a).map((x) => psiItem(key, x));
  const itemsB = read(b).map((x) => psiItem(key, x));
  const now = new Date();
  const ca = createPartyCredentials(a, now, randomBytes(8));
  const cb = createPartyCredentials(b, now, randomBytes(8));
  let accept: (c: FramedConnection) => void = () => undefined;
  const accepted = new Promise<FramedConnection>((r) => (accept = r));
  const { server, port } = await listenPinned({
    host: '127.0.0.1',
    port: 0,
    identity: ca,
    allowed: new Map([[cb.fingerprint, b]]),
    onConnection: (c) => accept(c),
  });
  try {
    const linkB = await connectPinned({
      host: '127.0.0.1',
      port,
      identity: cb,
      peerName: a,
      fingerprint: ca.fingerprint,
    });
    const linkA = await accepted;
    const [, out] = await Promise.all([
      runPsiSender(linkA, itemsA),
      runPsiReceiver(linkB, itemsB, 'cardinality'),
    ]);
    linkA.destroy();
    linkB.destroy();
    return {
      sender: a,
      receiver: b,
      senderSize: out.senderSize,
      receiverSize: out.receiverSize,
      intersectionSize: out.intersectionSize,
    };
  } finally {
    server.close();
  }
}
