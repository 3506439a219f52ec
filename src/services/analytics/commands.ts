// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for private analytics and its parties: `party --config`, `party init`,
 * `analytics run|demo|budget|overlap`. Implementations load through this capability's one loader
 * (`./cli.js`), so `healthcode --help` stays fast.
 */
import type { Command } from 'commander';
import { action, commandEnv, type CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/errors.js';
import type { AnalyticsPorts } from './ports.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./cli.js');

interface InitOpts {
  name: string;
  out: string;
  days: string;
  json?: boolean;
}

interface RunOpts {
  query: string;
  feeds?: string;
  parties?: string;
  prefecture?: string;
  from?: string;
  hours?: string;
  site?: string;
  resolution?: string;
  bound?: string;
  rho: string;
  k: string;
  holders: string;
  dedup?: boolean;
  dataset?: string;
  analyst: string;
  format: string;
  heatmap?: string;
  denyList?: string;
}

interface DemoOpts {
  query: string;
  out?: string;
  people: string;
  days: string;
  rho: string;
}

function num(text: string, label: string, integer = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new TypeError(`${label} must be a ${integer ? 'whole ' : ''}number`);
  }
  return n;
}

export function registerAnalyticsCommands(program: Command, ports: AnalyticsPorts): void {
  registerPartyCommands(program, ports);
  const analytics = program
    .command('analytics')
    .description('private aggregate statistics (DP releases over secure aggregation)');
  registerRun(analytics);
  registerDemo(analytics);
  registerBudget(analytics);
  registerOverlap(analytics);
}

/** `party --config FILE` (runs until stopped) and `party init`. */
function registerPartyCommands(program: Command, ports: AnalyticsPorts): void {
  const party = program
    .command('party')
    .description(
      'run one party of a private computation (input: a data holder; compute: adds shares)',
    )
    .option(
      '--config <file>',
      'party config (JSON): name, role, listen, key, cert, pinned peers, data, consent',
    )
    .action(
      action(async (opts: { config?: string }, cmd: Command): Promise<CommandOutcome> => {
        if (opts.config === undefined) {
          throw new UsageError('party needs --config FILE (or the subcommand "init")');
        }
        const env = await commandEnv(cmd);
        return (await impl()).partyCommand(opts.config, env, ports);
      }),
    );

  party
    .command('init')
    .description(
      "make a party's Ed25519 key pair and self-signed certificate; prints the fingerprint to pin",
    )
    .requiredOption('--name <name>', 'party name ([A-Za-z0-9._-], e.g. cmcc, compute-1)')
    .option('--out <dir>', 'directory for NAME.key.pem (mode 0600) and NAME.cert.pem', '.')
    .option('--days <n>', 'certificate validity in days', '825')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: InitOpts, cmd: Command): Promise<CommandOutcome> => {
        const env = await commandEnv(cmd);
        const days = num(opts.days, '--days', true);
        return (await impl()).partyInitCommand(opts.name, opts.out, days, env.clock.now());
      }),
    );
}

function registerRun(analytics: Command): void {
  analytics
    .command('run')
    .description('run a query across the parties and print the DP release (JSON or CSV)')
    .requiredOption('--query <kind>', 'crowd | od | job-residence | site')
    .option(
      '--feeds <dir>',
      'carrier feeds (<carrier>-events.ndjson, <carrier>-subscribers.csv): parties run locally',
    )
    .option(
      '--parties <file>',
      'job file: coordinator key/cert and the pinned parties with host and port',
    )
    .option('--prefecture <code>', 'GB/T 2260 prefecture of the public cell table', '320200')
    .option('--from <time>', 'window start, RFC 3339 (default: yesterday 00:00 local)')
    .option('--hours <n>', 'window length in hours', '24')
    .option('--site <h3>', 'site cell for --query site')
    .option('--resolution <r>', 'H3 resolution of job-residence cells (4–8)')
    .option('--bound <c>', 'contribution bound: cells one person counts in')
    .option('--rho <rho>', 'zCDP cost of this release (charged against the budget)', '0.5')
    .option('--k <k>', 'suppress noised cells below k', '5')
    .option('--no-dedup', 'do not de-duplicate persons across holders by PSI (use --holders)')
    .option(
      '--holders <n>',
      'with --no-dedup: holders one person may appear at (sensitivity multiplier)',
      '2',
    )
    .option('--dataset <name>', 'dataset the budget is kept for (default carriers:PREFECTURE)')
    .option('--analyst <name>', 'analyst the budget is kept for', 'analyst')
    .option('--format <fmt>', 'json | csv', 'json')
    .option('--heatmap <file>', 'also write the heat map (SVG)')
    .option('--deny-list <file>', 'phones without a statistics basis (one per line), for --feeds')
    .action(
      action(async (opts: RunOpts, cmd: Command): Promise<CommandOutcome> => {
        const env = await commandEnv(cmd);
        if ((opts.feeds === undefined) === (opts.parties === undefined)) {
          throw new UsageError('analytics run needs exactly one of --feeds DIR or --parties FILE');
        }
        if (opts.format !== 'json' && opts.format !== 'csv') {
          throw new UsageError('--format must be json or csv');
        }
        const prefecture = opts.prefecture ?? '320200';
        return (await impl()).runCommand(env, {
          query: opts.query,
          ...(opts.feeds !== undefined ? { feeds: opts.feeds } : {}),
          ...(opts.parties !== undefined ? { parties: opts.parties } : {}),
          prefecture,
          ...(opts.from !== undefined ? { from: opts.from } : {}),
          hours: num(opts.hours ?? '24', '--hours', true),
          ...(opts.site !== undefined ? { site: opts.site } : {}),
          ...(opts.resolution !== undefined
            ? { resolution: num(opts.resolution, '--resolution', true) }
            : {}),
          ...(opts.bound !== undefined ? { bound: num(opts.bound, '--bound', true) } : {}),
          rho: num(opts.rho, '--rho'),
          k: num(opts.k, '--k', true),
          holders: num(opts.holders, '--holders', true),
          dedup: opts.dedup !== false,
          dataset: opts.dataset ?? `carriers:${prefecture}`,
          analyst: opts.analyst,
          format: opts.format,
          ...(opts.heatmap !== undefined ? { heatmap: opts.heatmap } : {}),
          ...(opts.denyList !== undefined ? { denyList: opts.denyList } : {}),
        });
      }),
    );
}

function registerDemo(analytics: Command): void {
  analytics
    .command('demo')
    .description(
      'fresh synthetic city, 3 carriers + 2 compute parties as processes on loopback, one query; prints one JSON',
    )
    .requiredOption('--query <kind>', 'crowd | od | job-residence')
    .option('--out <dir>', 'write heatmap.svg here')
    .option('--people <n>', 'residents in the synthetic city', '3000')
    .option('--days <n>', 'days of movements', '2')
    .option('--rho <rho>', 'zCDP cost of the release', '2')
    .action(
      action(async (opts: DemoOpts, cmd: Command): Promise<CommandOutcome> => {
        const env = await commandEnv(cmd);
        if (!['crowd', 'od', 'job-residence'].includes(opts.query)) {
          throw new UsageError('--query must be crowd, od or job-residence');
        }
        return (await impl()).demoCommand(env, {
          query: opts.query as 'crowd' | 'od' | 'job-residence',
          ...(opts.out !== undefined ? { out: opts.out } : {}),
          people: num(opts.people, '--people', true),
          days: num(opts.days, '--days', true),
          rho: num(opts.rho, '--rho'),
        });
      }),
    );
}

function registerBudget(analytics: Command): void {
  analytics
    .command('budget')
    .description('show (or set) the zCDP budget of a dataset for an analyst')
    .requiredOption('--dataset <name>', 'dataset')
    .requiredOption('--analyst <name>', 'analyst')
    .option('--set <rho>', 'set the budget to this ρ')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          opts: { dataset: string; analyst: string; set?: string },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          const env = await commandEnv(cmd);
          const set = opts.set === undefined ? undefined : num(opts.set, '--set');
          return (await impl()).budgetCommand(env, opts.dataset, opts.analyst, set);
        },
      ),
    );
}

function registerOverlap(analytics: Command): void {
  analytics
    .command('overlap')
    .description(
      "PSI-cardinality of two carriers' real-name registers (ECDH over ristretto255); prints the count only",
    )
    .requiredOption('--feeds <dir>', 'directory with <carrier>-subscribers.csv')
    .requiredOption('--a <carrier>', 'sender holder (learns only the other set size)')
    .requiredOption('--b <carrier>', 'receiver holder (learns the intersection size)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { feeds: string; a: string; b: string }): Promise<CommandOutcome> => {
        return (await impl()).overlapCommand(opts.feeds, opts.a, opts.b);
      }),
    );
}
