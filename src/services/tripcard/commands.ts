// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode tripcard …` (issue 8): declarations only; implementations are imported when
 * a command runs, so `healthcode --help` stays fast.
 */
import type { Command } from 'commander';
import { action, commandEnv } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/errors.js';
import type { TripcardPorts } from './ports.js';

/** The one loader of the implementations. */
const impl = () => import('./cli.js');

export function registerTripcardCommands(program: Command, ports: TripcardPorts): void {
  const tc = program
    .command('tripcard')
    .description('trip card (通信行程卡): carrier events, the 14-day city card, rolling purge');

  tc.command('ingest <file>')
    .description(
      'load carrier location events (.csv, .ndjson, .jsonl; streamed; idempotent by event id)',
    )
    .option('--carrier <name>', 'carrier name for the audit log', 'unknown')
    .option('--cells <file>', 'cell → region table (default DIR/cells.csv)')
    .option(
      '--rejects <file>',
      'reject file: line numbers and reasons (default <file>.rejects.ndjson)',
    )
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          file: string,
          opts: { carrier?: string; cells?: string; rejects?: string; json?: boolean },
          cmd: Command,
        ) => {
          return (await impl()).ingestCommand(ports, await commandEnv(cmd), file, opts);
        },
      ),
    );

  tc.command('query')
    .description('without --otp: send a one-time code; with --otp CODE: print the 14-day card')
    .option('--phone-stdin', 'read the phone number from stdin (required)')
    .option('--otp <code>', 'the one-time code received')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { phoneStdin?: boolean; otp?: string; json?: boolean }, cmd: Command) => {
        if (opts.phoneStdin !== true) {
          throw new UsageError('give the phone number on stdin with --phone-stdin');
        }
        return (await impl()).queryCommand(ports, await commandEnv(cmd), opts);
      }),
    );

  tc.command('purge')
    .description('physically delete events older than the 14-day window plus one day')
    .option('--json', 'print one JSON document')
    .action(
      action(async (_opts: { json?: boolean }, cmd: Command) =>
        (await impl()).purgeCommand(ports, await commandEnv(cmd)),
      ),
    );
}
