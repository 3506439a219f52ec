// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode jobs`: run due periodic jobs once (for cron) or list them. */
import type { Command } from 'commander';
import { action, commandEnv, printJson, withStore } from '../../platform/runtime/cli-kit.js';

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
      action(async (opts: { force?: boolean; json?: boolean }, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { runDueJobs } = await import('../../platform/runtime/index.js');
        const { allJobs } = await import('./instance.js');
        const jobs = await allJobs();
        return withStore(env, async (store) => {
          const outcomes = await runDueJobs(store, jobs, opts.force === true);
          if (opts.json) {
            printJson({ jobs: outcomes });
          } else {
            for (const o of outcomes) {
              process.stdout.write(
                `${o.ok ? 'ok  ' : 'FAIL'} ${o.name} ${JSON.stringify(o.error ?? o.summary)}\n`,
              );
            }
            if (outcomes.length === 0) {
              process.stdout.write('no job was due\n');
            }
          }
          return outcomes.every((o) => o.ok) ? 0 : 1;
        });
      }),
    );
  jobs
    .command('list')
    .description('list the registered jobs and their intervals')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { json?: boolean }) => {
        const { allJobs } = await import('./instance.js');
        const list = (await allJobs()).map((j) => ({
          name: j.name,
          everySeconds: j.everyMs / 1000,
        }));
        if (opts.json) {
          printJson({ jobs: list });
        } else {
          for (const j of list) {
            process.stdout.write(`${j.name}\tevery ${j.everySeconds}s\n`);
          }
        }
      }),
    );
}
