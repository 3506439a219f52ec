// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode keys …`: keyring status, rotation, custody shares, key backups. */
import type { Command } from 'commander';
import { action, commandEnv, type CommandOutcome } from '../runtime/cli-kit.js';
import type { KeysPorts } from './ports.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./cli.js');

/** Declares the keys commands; `ports` records their events in the audit log. */
export function registerKeysCommands(program: Command, ports: KeysPorts): void {
  const keys = program
    .command('keys')
    .description('key-encryption keys, data keys, rotation and custody of the master key');
  keys
    .command('status')
    .description('KEK versions, data-key counts, tombstones and the rotation period')
    .option('--json', 'print one JSON document')
    .action(
      action(async (_opts: unknown, cmd: Command): Promise<CommandOutcome> => {
        return (await impl()).keysStatus(await commandEnv(cmd));
      }),
    );
  keys
    .command('rotate')
    .description(
      'new KEK; re-wrap every data key under it (data untouched); destroy the old KEK; resumable',
    )
    .option('--batch <n>', 'data keys per transaction', '5000')
    .option('--period-days <n>', 'also set the rotation period (key backups age out within it)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          opts: { batch?: string; periodDays?: string },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          return (await impl()).keysRotate(await commandEnv(cmd), ports, opts);
        },
      ),
    );
  keys
    .command('export')
    .description('split the master key into Shamir shares for custodians (K of N rebuild it)')
    .requiredOption('--shares <K/N>', 'threshold and count, e.g. 3/5')
    .requiredOption('--out <dir>', 'where to write the share files (outside the data dir)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (opts: { shares: string; out: string }, cmd: Command): Promise<CommandOutcome> => {
          return (await impl()).keysExport(await commandEnv(cmd), ports, opts);
        },
      ),
    );
  keys
    .command('import')
    .description('rebuild the master key from share files into DIR/master.key (or --print it)')
    .argument('<share...>', 'share files')
    .option('--print', 'write the key to stdout (for a secret store) instead of the key file')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          files: string[],
          opts: { print?: boolean },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          return (await impl()).keysImport(await commandEnv(cmd), files, opts);
        },
      ),
    );
  keys
    .command('rekey-master')
    .description(
      'replace the master key: re-wrap every KEK under a new one (key-compromise runbook)',
    )
    .option('--generate', 'generate the new key into DIR/master.key')
    .option('--stdin', 'read the new key (base64 or hex) from stdin')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          opts: { generate?: boolean; stdin?: boolean },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          return (await impl()).keysRekeyMaster(await commandEnv(cmd), ports, opts);
        },
      ),
    );
  keys
    .command('backup')
    .description(
      'write a key backup (wrapped data keys, no KEK): restorable until the next rotation',
    )
    .argument('<file>', 'the key backup file to create (outside the data dir)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (file: string, _opts: unknown, cmd: Command): Promise<CommandOutcome> => {
        return (await impl()).keysBackup(await commandEnv(cmd), ports, file);
      }),
    );
  keys
    .command('restore')
    .description('restore lost data keys from a key backup (never an erased one)')
    .argument('<file>', 'a key backup file')
    .option('--json', 'print one JSON document')
    .action(
      action(async (file: string, _opts: unknown, cmd: Command): Promise<CommandOutcome> => {
        return (await impl()).keysRestore(await commandEnv(cmd), ports, file);
      }),
    );
}
