// SPDX-License-Identifier: Apache-2.0
/** @module Implementations behind `analytics run|demo|overlap` (loaded lazily by the CLI). */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_OK, printJson, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import {
  connectPinned,
  createPartyCredentials,
  listenPinned,
  psiItem,
  runPsiReceiver,
  runPsiSender,
  type CoordinatorOptions,
  type FramedConnection,
} from '../../foundation/privacy/index.js';
import { UsageError } from '../../kernel/shared/index.js';
import { startFeedCluster } from './feed-cluster.js';
import { carrierFeedsFromDir, loadJobFile, startOfYesterday } from './api.js';
import { SYNTHETIC_CONSENT, denyListConsent } from './local.js';
import { parseQuery } from './model.js';
import { releaseCsv, releaseHeatmap, runAnalytics } from './service.js';

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

/** `analytics run`. */
export async function analyticsRun(env: CommandEnv, args: RunArgs): Promise<number> {
  const { openCommandStore } = await import('../../platform/runtime/cli-kit.js');
  const store = await openCommandStore(env, { create: true });
  try {
    const query = parseQuery({
      kind: args.query,
      prefecture: args.prefecture,
      from: args.from ?? startOfYesterday(env.clock.now(), store.config.timeZone),
      hours: args.hours,
      ...(args.site !== undefined ? { site: args.site } : {}),
      ...(args.resolution !== undefined ? { resolution: args.resolution } : {}),
      ...(args.bound !== undefined ? { bound: args.bound } : {}),
    });
    let coordinator: CoordinatorOptions;
    let close: () => Promise<void> = () => Promise.resolve();
    if (args.feeds !== undefined) {
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
      const holders = carrierFeedsFromDir(feeds);
      const cluster = await startFeedCluster(holders, consent, { log });
      coordinator = { ...cluster, clock: env.clock, log };
      close = () => cluster.close();
    } else {
      coordinator = { ...loadJobFile(args.parties!), clock: env.clock, log };
    }
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
      if (args.format === 'csv') {
        process.stdout.write(releaseCsv(outcome.release));
      } else {
        printJson(outcome.release);
      }
      return EXIT_OK;
    } finally {
      await close();
    }
  } finally {
    await store.close();
  }
}

/** `analytics demo`. */
export async function analyticsDemo(
  env: CommandEnv,
  args: {
    query: 'crowd' | 'od' | 'job-residence';
    out?: string;
    people: number;
    days: number;
    rho: number;
  },
): Promise<number> {
  if (!(args.people >= 10 && args.people <= 1_000_000) || !(args.days >= 1 && args.days <= 14)) {
    throw new UsageError('--people must be 10–1,000,000 and --days 1–14');
  }
  const cliMain = fileURLToPath(new URL('../../edges/cli/main.js', import.meta.url));
  const { runDemo } = await import('./demo.js');
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
  printJson(outcome.release);
  return EXIT_OK;
}

/** `analytics overlap`: PSI-cardinality between two holders' registers over pinned TLS on loopback. */
export async function analyticsOverlap(
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
