// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode backup …` and `healthcode vault …`: data backups, lookups, erasure, restriction. */
import type { Command } from 'commander';
import { action, commandEnv } from '../../platform/runtime/cli-kit.js';
import type { VaultPorts } from './instance.js';

/** The one loader of the implementations (so `--help` loads none of them). */
const impl = () => import('./cli.js');

export function registerVaultCommands(program: Command, ports: VaultPorts): void {
  const backup = program
    .command('backup')
    .description('data backups: ciphertext only, never keys; a restore re-applies tombstones');
  backup
    .command('create')
    .description('online backup of the data (SQLite backup API, or pg_dump) to FILE')
    .argument('<file>', 'the backup file to create (outside the data dir)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
        return (await impl()).backupCreate(ports, await commandEnv(cmd), file);
      }),
    );
  backup
    .command('restore')
    .description('restore FILE, then re-apply the key store tombstones before serving')
    .argument('<file>', 'a backup of this instance')
    .option('--json', 'print one JSON document')
    .action(
      action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
        return (await impl()).backupRestore(ports, await commandEnv(cmd), file);
      }),
    );

  const vault = program
    .command('vault')
    .description('the encrypted personal-data vault: lookups, erasure, restriction');
  vault
    .command('find')
    .description('print the subject id of an ID number or phone read from stdin (exit 1 if none)')
    .option('--id-stdin', 'read an ID number from stdin')
    .option('--phone-stdin', 'read a mobile number from stdin')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (opts: { idStdin?: boolean; phoneStdin?: boolean; json?: boolean }, cmd: Command) => {
          return (await impl()).vaultFind(ports, await commandEnv(cmd), opts);
        },
      ),
    );
  vault
    .command('erase')
    .description('crypto-erase subjects (all, --groups or --categories) in resumable batches')
    .argument('[subject...]', 'opaque subject ids')
    .option(
      '--groups <list>',
      'comma-separated data groups (basic, health, itinerary, certification)',
    )
    .option('--categories <list>', 'comma-separated data categories')
    .option('--from-file <file>', 'one subject id per line')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          subjects: string[],
          opts: { groups?: string; categories?: string; fromFile?: string; json?: boolean },
          cmd: Command,
        ) => {
          return (await impl()).vaultErase(ports, await commandEnv(cmd), subjects, opts);
        },
      ),
    );
  vault
    .command('resume')
    .description('finish erasures a crash interrupted')
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) => {
        return (await impl()).vaultResume(ports, await commandEnv(cmd));
      }),
    );
  vault
    .command('restrict')
    .description(
      'restrict a subject (*), group or category: business access refused (PIPL art. 47)',
    )
    .argument('<subject>', 'opaque subject id')
    .requiredOption('--scope <scope>', '"*", a data group or a data category')
    .option('--reason <code>', 'why deletion is not yet allowed, e.g. retention:csl-21')
    .option('--lift', 'lift the restriction instead')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          subject: string,
          opts: { scope: string; reason?: string; lift?: boolean; json?: boolean },
          cmd: Command,
        ) => {
          return (await impl()).vaultRestrict(ports, await commandEnv(cmd), subject, opts);
        },
      ),
    );
}
