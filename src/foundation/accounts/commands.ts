// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode user …` and `healthcode token …`: accounts, roles and scoped API tokens. */
import type { Command } from 'commander';
import { action, commandEnv, printJson, withStore } from '../../platform/runtime/cli-kit.js';

export function registerAccountsCommands(program: Command): void {
  const user = program
    .command('user')
    .description('accounts: citizen, verifier, operator, analyst, auditor');
  user
    .command('add')
    .argument('<name>', 'account handle (lower case)')
    .requiredOption('--role <role>', 'citizen | verifier | operator | analyst | auditor')
    .option('--json', 'print one JSON document')
    .description('register an account (operators get their own signing key)')
    .action(
      action(async (name: string, opts: { role: string; json?: boolean }, cmd: Command) =>
        withStore(await commandEnv(cmd), async (store) => {
          const { addAccount } = await import('./service.js');
          const account = await addAccount(
            store,
            { name, role: opts.role },
            { wrapper: store.keyring.keyWrapper() },
          );
          if (opts.json) {
            printJson({ account });
          } else {
            process.stdout.write(`added ${account.role} ${account.name}\n`);
          }
        }),
      ),
    );
  user
    .command('list')
    .option('--json', 'print one JSON document')
    .description('list accounts')
    .action(
      action(async (opts: { json?: boolean }, cmd: Command) =>
        withStore(await commandEnv(cmd), async (store) => {
          const { listAccounts } = await import('./service.js');
          const accounts = await listAccounts(store);
          if (opts.json) {
            printJson({ accounts });
          } else {
            for (const a of accounts) {
              process.stdout.write(`${a.name}\t${a.role}${a.disabledAt ? '\tdisabled' : ''}\n`);
            }
          }
        }),
      ),
    );
  user
    .command('disable')
    .argument('<name>')
    .description('disable an account and every token it holds')
    .action(
      action(async (name: string, _opts: unknown, cmd: Command) =>
        withStore(await commandEnv(cmd), async (store) => {
          const { disableAccount } = await import('./service.js');
          await disableAccount(store, name);
          process.stdout.write(`disabled ${name}\n`);
        }),
      ),
    );

  const token = program
    .command('token')
    .description('scoped API tokens (shown once, stored hashed)');
  token
    .command('create')
    .requiredOption('--user <name>', 'the account the token acts as')
    .option('--expires <duration>', 'lifetime such as 90m, 12h, 30d', '30d')
    .option('--json', 'print one JSON document')
    .description('issue a token; its secret is printed once')
    .action(
      action(async (opts: { user: string; expires: string; json?: boolean }, cmd: Command) =>
        withStore(await commandEnv(cmd), async (store) => {
          const { createToken, parseDuration } = await import('./service.js');
          const t = await createToken(store, {
            name: opts.user,
            expiresInMs: parseDuration(opts.expires),
          });
          if (opts.json) {
            printJson({ id: t.id, token: t.token, expiresAt: t.expiresAt.toISOString() });
          } else {
            process.stdout.write(`${t.token}\n`);
            process.stderr.write(
              `token ${t.id} expires ${t.expiresAt.toISOString()}; it is not shown again\n`,
            );
          }
        }),
      ),
    );
  token
    .command('revoke')
    .argument('<id>', 'the token id (the part after hct_)')
    .description('revoke a token at once')
    .action(
      action(async (id: string, _opts: unknown, cmd: Command) =>
        withStore(await commandEnv(cmd), async (store) => {
          const { revokeToken } = await import('./service.js');
          await revokeToken(store, id);
          process.stdout.write(`revoked ${id}\n`);
        }),
      ),
    );
}
