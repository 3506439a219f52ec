// SPDX-License-Identifier: Apache-2.0
/**
 * @module `healthcode seed`: seeds a deterministic synthetic city into the data dir through the
 * vault (issue 2 items 6 and 8). Seeding assembles the sim, the vault, the consent ledger, the
 * audit log and the codes' assessment, so it lives in the composition root; the implementation
 * loads through one loader so `healthcode --help` stays fast.
 */
import type { Command } from 'commander';
import { action, commandEnv } from '../../../platform/runtime/cli-kit.js';

/** The one loader of the implementation. */
const impl = () => import('./cli.js');

interface SeedFlags {
  people: string;
  days: string;
  seed: string;
  canaries?: string;
  canaryCount?: string;
  carrierFeeds?: string;
  prefecture?: string;
  consents?: boolean;
  json?: boolean;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('seed a deterministic synthetic city (labelled synthetic) into the data dir')
    .requiredOption('--people <n>', 'number of residents')
    .option('--days <d>', 'days of movements and health records, ending now', '14')
    .option('--seed <s>', 'seed: the same seed gives the same city', '1')
    .option('--canaries <file>', 'plant canary residents and write their values here (not in DIR)')
    .option('--canary-count <n>', 'how many canaries --canaries plants', '5')
    .option('--carrier-feeds <outdir>', "write the three carriers' feeds here (not in DIR)")
    .option('--prefecture <code>', 'GB/T 2260 code of the city (default 320200 Wuxi)')
    .option(
      '--consents',
      'also seed the residents’ consents (transit, hospital, statistics; some withdrawn; guardians for under-14s)',
    )
    .option('--json', 'print one JSON document')
    .action(
      action(async (flags: SeedFlags, cmd: Command) =>
        (await impl()).runSeed(await commandEnv(cmd), flags),
      ),
    );
}
