// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for privacy computing and analytics: `party init`, `party --config`,
 * `analytics run|demo|budget|overlap`. Implementations load lazily inside each action, so
 * `healthcode --help` stays fast. This is the CLI edge, so it may wire analytics to privacy.
 */
import type { Command } from 'commander';
import { EXIT_OK, action, commandEnv, printJson } from '../../platform/runtime/cli-kit.js';

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

async function usage(message: string): Promise<never> {
  const { UsageError } = await import('../../kernel/shared/index.js');
  throw new UsageError(message);
}

export function registerPrivacyCommands(program: Command): void {
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
      action(async (opts: { config?: string }, cmd: Command) => {
        if (opts.config === undefined) {
          return usage('party needs --config FILE (or the subcommand "init")');
        }
        const env = await commandEnv(cmd);
        const { startPartyFromConfig } = await import('../../services/analytics/party-runtime.js');
        const log = (m: string) => process.stderr.write(`${m}\n`);
        // An input party with consent "instance" reads the instance named by --data / --db.
        const { node, config } = await startPartyFromConfig(opts.config, log, {
          dataDir: env.dataDir,
          dbUrl: env.dbUrl,
          clock: env.clock,
          migrations: env.migrations,
        });
        process.stdout.write(
          `${JSON.stringify({ ready: true, name: config.name, role: config.role, port: node.port })}\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
        });
        await node.close();
        return EXIT_OK;
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
      action(async (opts: InitOpts, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { initParty } = await import('./cli.js');
        const out = initParty(opts.name, opts.out, num(opts.days, '--days', true), env.clock.now());
        if (opts.json === true) {
          printJson(out);
        } else {
          process.stdout.write(
            `${out.name}: ${out.fingerprint}\n  key  ${out.key}\n  cert ${out.cert}\n`,
          );
        }
        return EXIT_OK;
      }),
    );

  const analytics = program
    .command('analytics')
    .description('private aggregate statistics (DP releases over secure aggregation)');

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
      action(async (opts: RunOpts, cmd: Command) => {
        const env = await commandEnv(cmd);
        if ((opts.feeds === undefined) === (opts.parties === undefined)) {
          return usage('analytics run needs exactly one of --feeds DIR or --parties FILE');
        }
        if (opts.format !== 'json' && opts.format !== 'csv') {
          return usage('--format must be json or csv');
        }
        const { analyticsRun } = await import('../../services/analytics/cli.js');
        return analyticsRun(env, {
          query: opts.query,
          ...(opts.feeds !== undefined ? { feeds: opts.feeds } : {}),
          ...(opts.parties !== undefined ? { parties: opts.parties } : {}),
          prefecture: opts.prefecture ?? '320200',
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
          dataset: opts.dataset ?? `carriers:${opts.prefecture ?? '320200'}`,
          analyst: opts.analyst,
          format: opts.format,
          ...(opts.heatmap !== undefined ? { heatmap: opts.heatmap } : {}),
          ...(opts.denyList !== undefined ? { denyList: opts.denyList } : {}),
        });
      }),
    );

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
      action(async (opts: DemoOpts, cmd: Command) => {
        const env = await commandEnv(cmd);
        if (!['crowd', 'od', 'job-residence'].includes(opts.query)) {
          return usage('--query must be crowd, od or job-residence');
        }
        const { analyticsDemo } = await import('../../services/analytics/cli.js');
        return analyticsDemo(env, {
          query: opts.query as 'crowd' | 'od' | 'job-residence',
          ...(opts.out !== undefined ? { out: opts.out } : {}),
          people: num(opts.people, '--people', true),
          days: num(opts.days, '--days', true),
          rho: num(opts.rho, '--rho'),
        });
      }),
    );

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
          opts: { dataset: string; analyst: string; set?: string; json?: boolean },
          cmd: Command,
        ) => {
          const env = await commandEnv(cmd);
          const { analyticsBudget } = await import('./cli.js');
          const out = await analyticsBudget(
            env,
            opts.dataset,
            opts.analyst,
            opts.set === undefined ? undefined : num(opts.set, '--set'),
          );
          if (opts.json === true) {
            printJson(out);
          } else {
            process.stdout.write(
              `ρ budget ${out.budget}, used ${out.used.toFixed(4)}, remaining ${out.remaining.toFixed(4)}\n`,
            );
          }
          return EXIT_OK;
        },
      ),
    );

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
      action(async (opts: { feeds: string; a: string; b: string; json?: boolean }) => {
        const { analyticsOverlap } = await import('../../services/analytics/cli.js');
        const out = await analyticsOverlap(opts.feeds, opts.a, opts.b);
        if (opts.json === true) {
          printJson(out);
        } else {
          process.stdout.write(
            `${opts.a} ∩ ${opts.b}: ${out.intersectionSize} people (of ${out.senderSize} and ${out.receiverSize})\n`,
          );
        }
        return EXIT_OK;
      }),
    );
}
