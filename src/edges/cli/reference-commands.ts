// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for the domain capability (`id check`, `region`); implementations
 * load lazily. Neither command opens or creates a data dir.
 */
import type { Command } from 'commander';
import { action, commandEnv, printJson, readStdinValue } from '../../platform/runtime/cli-kit.js';

interface JsonOpt {
  json?: boolean;
}

export function registerDomainCommands(program: Command): void {
  const id = program.command('id').description('GB 11643-1999 citizen ID numbers');
  id.command('check')
    .description(
      'validate an ID number read from stdin (or given as ID; "-" reads stdin); prints only the masked number',
    )
    .argument('[id]', 'the ID number; omit or "-" to read it from stdin (keeps it off argv)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (idArg: string | undefined, opts: JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const text =
          idArg === undefined || idArg === '-' ? await readStdinValue('an ID number') : idArg;
        const { idCheck } = await import('./reference-cli.js');
        const out = idCheck(text, env.clock.now());
        if (opts.json === true) {
          printJson(out.json);
        } else {
          process.stdout.write(`${out.text}\n`);
        }
        return out.exitCode;
      }),
    );

  program
    .command('region')
    .description('look up a GB/T 2260 division code and its prefecture-level place')
    .argument('<code>', 'six-digit GB/T 2260 code')
    .option('--json', 'print one JSON document')
    .action(
      action(async (code: string, opts: JsonOpt) => {
        const { regionInfo } = await import('./reference-cli.js');
        const out = regionInfo(code.trim());
        if (opts.json === true) {
          printJson(out.json);
        } else {
          process.stdout.write(`${out.text}\n`);
        }
        return out.exitCode;
      }),
    );
}
