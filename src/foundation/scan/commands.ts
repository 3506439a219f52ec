// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for the residual scan (`healthcode scan`); the implementation loads
 * lazily.
 */
import type { Command } from 'commander';
import { action, commandEnv, type CommandOutcome } from '../../platform/runtime/cli-kit.js';

/** The implementation, loaded when the command runs. */
const impl = () => import('./cli.js');

interface ScanOpts {
  canaries: string;
}

export function registerScanCommands(program: Command): void {
  program
    .command('scan')
    .description(
      'search files for canary values (UTF-8, UTF-16LE/BE, hex, base64); exit 1 on any hit',
    )
    .requiredOption('--canaries <file>', 'UTF-8 file, one canary value per line')
    .argument('[paths...]', 'files or directories to scan (default: the data dir)')
    .option('--json', 'print one JSON document')
    .action(
      action(async (paths: string[], opts: ScanOpts, cmd: Command): Promise<CommandOutcome> => {
        const env = await commandEnv(cmd);
        return (await impl()).runScanCommand({
          canaryFile: opts.canaries,
          paths: paths.length > 0 ? paths : [env.dataDir],
          progress: process.stderr.isTTY === true,
        });
      }),
    );
}
