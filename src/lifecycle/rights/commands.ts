// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for `healthcode request` (data-subject requests, PIPL arts. 44–50);
 * implementations load lazily. A phone number is read from stdin, never from argv.
 */
import type { Command } from 'commander';
import type { Store } from '../../platform/runtime/index.js';
import {
  action,
  commandEnv,
  readStdinValue,
  withStore,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import type { OpenOptions } from './cli.js';
import type { RightsPorts } from './runtime.js';

/** The one loader of the implementations. */
const impl = () => import('./cli.js');

/** Runs an implementation against the instance named by the global options. */
function run<A extends unknown[]>(fn: (store: Store, ...args: A) => Promise<CommandOutcome>) {
  return action(async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    return withStore(await commandEnv(cmd), (store) => fn(store, ...(args.slice(0, -1) as A)));
  });
}

export function registerRightsCommands(program: Command, ports: RightsPorts): void {
  const request = program
    .command('request')
    .description(
      'data-subject requests: access, copy, portability, correction, deletion, withdrawal, explanation',
    );
  request
    .command('open')
    .description('open a request; due in 15 working days, answered within 30 days')
    .requiredOption(
      '--type <type>',
      'access | copy | portability | correction | deletion | withdrawal | explanation',
    )
    .option(
      '--phone-stdin',
      'read the requester’s phone from stdin and verify it by a one-time code',
    )
    .option('--otp <code>', 'the one-time code received')
    .option('--subject <id>', 'operator intake: the opaque subject id')
    .option(
      '--verified-by <method>',
      'operator intake: one-time-code | in-person | guardian-documents',
    )
    .option('--purpose <id>', 'for a withdrawal: only this purpose')
    .option('--record <id>', 'for a correction: the record to correct')
    .option('--category <category>', 'for a correction of an entry: its category')
    .option('--day <YYYY-MM-DD>', 'for a correction of an entry: its day')
    .option('--value-file <file>', 'for a correction: a JSON file with the corrected value')
    .option('--human-review', 'for a correction: also ask a person to review the new colour')
    .option('--out <file>', 'where an export or package is written (never the data dir)')
    .option('--actor <name>', 'who acts', 'citizen:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, o: OpenOptions & { phoneStdin?: boolean }) => {
        const phone = o.phoneStdin === true ? await readStdinValue('a phone number') : undefined;
        return (await impl()).requestOpen(ports, store, {
          ...o,
          ...(phone === undefined ? {} : { phone }),
        });
      }),
    );
  request
    .command('list')
    .description('list requests, soonest due first (exit 0 even when empty)')
    .option('--overdue', 'only open requests past their due date')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, o: { overdue?: boolean }) =>
        (await impl()).requestList(store, o.overdue === true),
      ),
    );
  request
    .command('show')
    .description('one request with its history')
    .argument('<id>', 'request id')
    .option('--json', 'print one JSON document')
    .action(run(async (store, id: string) => (await impl()).requestShow(store, id)));
  request
    .command('verify')
    .description("record that the requester's identity was verified (operator)")
    .argument('<id>', 'request id')
    .requiredOption('--subject <id>', 'the opaque subject id proven')
    .requiredOption('--method <method>', 'one-time-code | in-person | guardian-documents')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, id: string, o: { subject: string; method: string; actor: string }) =>
        (await impl()).requestVerify(ports, store, id, o),
      ),
    );
  request
    .command('complete')
    .description(
      'carry out a verified request through its executor (or --attest a manual completion)',
    )
    .argument('<id>', 'request id')
    .option('--out <file>', 'where an export or package is written')
    .option('--value-file <file>', 'for a correction: a JSON file with the corrected value')
    .option('--attest', 'the operator attests it was done by hand')
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(
        async (
          store,
          id: string,
          o: { out?: string; attest?: boolean; valueFile?: string; actor: string },
        ) => (await impl()).requestComplete(ports, store, id, o),
      ),
    );
  request
    .command('package-key')
    .description('the trust file another instance needs to import our portability packages')
    .option('--out <file>', 'write the trust file there')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, o: { out?: string }) =>
        (await impl()).requestPackageKey(ports, store, o.out),
      ),
    );
  request
    .command('refuse')
    .description('refuse with a reason; the complaint route is stated (PIPL art. 50)')
    .argument('<id>', 'request id')
    .requiredOption(
      '--reason <reason>',
      'identity-not-verified | not-held | statutory-retention | manifestly-unfounded | excessive | conditions-not-met',
    )
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, id: string, o: { reason: string; actor: string }) =>
        (await impl()).requestRefuse(ports, store, id, o),
      ),
    );
}

/** `healthcode import FILE --trust KEYFILE` (PIPL art. 45 para. 3). */
export function registerImportCommands(program: Command, ports: RightsPorts): void {
  program
    .command('import')
    .description('import a portability package signed by another instance')
    .argument('<file>', 'the package (request open --type portability --out FILE)')
    .requiredOption(
      '--trust <keyfile>',
      "the exporting instance's trust file (request package-key)",
    )
    .option('--actor <name>', 'who acts', 'operator:cli')
    .option('--json', 'print one JSON document')
    .action(
      run(async (store, file: string, o: { trust: string; actor: string }) =>
        (await impl()).importCommand(ports, store, file, o),
      ),
    );
}
