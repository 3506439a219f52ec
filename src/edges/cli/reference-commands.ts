// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for the domain capability (`id check`, `region`); implementations
 * load lazily. Neither command opens or creates a data dir.
 */
import type { Command } from 'commander';
import {
  action,
  commandEnv,
  readStdinValue,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./reference-cli.js');

export function registerDomainCommands(program: Command): void {
  const id = program.command('id').description('GB 11643-1999 citizen ID numbers');
  id.command('check')
    .description(
      'validate an ID number read from stdin (or given as ID; "-" reads stdin); prints only the masked number',
    )
    .argument('[id]', 'the ID number; omit or "-" to read it from stdin (keeps it off argv)')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          idArg: string | undefined,
          _opts: unknown,
          cmd: Command,
        ): Promise<CommandOutcome> => {
          const env = await commandEnv(cmd);
          const text =
            idArg === undefined || idArg === '-' ? await readStdinValue('an ID number') : idArg;
          return (await impl()).idCheck(text, env.clock.now());
        },
      ),
    );

  program
    .command('region')
    .description('look up a GB/T 2260 division code and its prefecture-level place')
    .argument('<code>', 'six-digit GB/T 2260 code')
    .option('--json', 'print one JSON document')
    .action(
      action(async (code: string): Promise<CommandOutcome> => {
        return (await impl()).regionInfo(code.trim());
      }),
    );
}
