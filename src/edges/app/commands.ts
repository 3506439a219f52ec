// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode jobs`: run due periodic jobs once (for cron) or list them. */
import type { Command } from 'commander';
import {
  action,
  commandEnv,
  withStore,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import { EXIT_NEGATIVE, EXIT_OK } from '../../platform/runtime/cli-kit.js';

export function registerJobCommands(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('periodic jobs (purges, expiries, checkpoints, rotations)');
  jobs
    .command('run')
    .description('run every job that is due, once (for cron)')
    .option('--force', 'run every job regardless of its interval')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { force?: boolean }, cmd: Command): Promise<CommandOutcome> => {
        const env = await commandEnv(cmd);
        const { runDueJobs } = await import('../../platform/runtime/jobs.js');
        const { allJobs } = await import('./instance.js');
        const jobs = await allJobs();
        const outcomes = await withStore(env, (store) =>
          runDueJobs(store, jobs, opts.force === true),
        );
        const lines = outcomes.map(
          (o) => `${o.ok ? 'ok  ' : 'FAIL'} ${o.name} ${JSON.stringify(o.error ?? o.summary)}`,
        );
        return {
          json: { jobs: outcomes },
          text: (lines.length > 0 ? lines : ['no job was due']).join('\n'),
          exitCode: outcomes.every((o) => o.ok) ? EXIT_OK : EXIT_NEGATIVE,
        };
      }),
    );
  jobs
    .command('list')
    .description('list the registered jobs and their intervals')
    .option('--json', 'print one JSON document')
    .action(
      action(async (): Promise<CommandOutcome> => {
        const { allJobs } = await import('./instance.js');
        const list = (await allJobs()).map((j) => ({
          name: j.name,
          everySeconds: j.everyMs / 1000,
        }));
        return {
          json: { jobs: list },
          text: list.map((j) => `${j.name}\tevery ${j.everySeconds}s`).join('\n'),
          exitCode: EXIT_OK,
        };
      }),
    );
}
