#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `healthcode` command. Declarations only: each capability's `commands.ts` declares
 * its commands and imports its implementation lazily, so `--help` answers fast.
 */
import { Command, CommanderError } from 'commander';
import { registerAll } from './registry.js';

const program = new Command('healthcode')
  .description('health codes, trip cards and the lifecycle of their personal data')
  // Long flag only: the root also reads its flags among a subcommand's arguments, and a short
  // `-V` matched every option value starting with it (`--guardian -Vab…`, subject ids are base64url).
  .version('0.1.0', '--version', 'output the version number (also -V, as the first argument)')
  .option('--data <dir>', 'data directory (SQLite file, keys, outbox, reports)', './data')
  .option(
    '--db <url>',
    'PostgreSQL URL replacing the SQLite file (prefer HEALTHCODE_DB_URL: keeps passwords off argv)',
  )
  .option(
    '--now <time>',
    'RFC 3339 time for this command (needs HEALTHCODE_ALLOW_CLOCK_OVERRIDE=1)',
  )
  .showHelpAfterError()
  .exitOverride();

registerAll(program);

// A reader that closes our stdout (`| head`) wants no more: stop quietly, keeping the exit code.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') {
    throw err;
  }
  process.exit();
});

// `healthcode -V` keeps working: as the first argument it cannot be a subcommand's option value.
const argv = process.argv[2] === '-V' ? [...process.argv.slice(0, 2), '--version'] : process.argv;

try {
  await program.parseAsync(argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write('healthcode: internal error\n');
    process.exitCode = 2;
  }
}
