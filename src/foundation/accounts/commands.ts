// SPDX-License-Identifier: Apache-2.0
/** @module `healthcode user …` and `healthcode token …`: accounts, roles and scoped API tokens. */
import type { Command } from 'commander';
import {
  action,
  commandEnv,
  ok,
  withStore,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./service.js');

export function registerAccountsCommands(program: Command): void {
  registerUserCommands(program);
  registerTokenCommands(program);
}

function registerUserCommands(program: Command): void {
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
      action(async (name: string, opts: { role: string }, cmd: Command): Promise<CommandOutcome> =>
        withStore(await commandEnv(cmd), async (store) => {
          const account = await (
            await impl()
          ).addAccount(store, { name, role: opts.role }, { wrapper: store.keyring.keyWrapper() });
          return ok({ account }, `added ${account.role} ${account.name}`);
        }),
      ),
    );
  user
    .command('list')
    .option('--json', 'print one JSON document')
    .description('list accounts')
    .action(
      action(async (_opts: unknown, cmd: Command): Promise<CommandOutcome> =>
        withStore(await commandEnv(cmd), async (store) => {
          const accounts = await (await impl()).listAccounts(store);
          return ok(
            { accounts },
            accounts.map((a) => `${a.name}\t${a.role}${a.disabledAt ? '\tdisabled' : ''}`),
          );
        }),
      ),
    );
  user
    .command('disable')
    .argument('<name>')
    .description('disable an account and every token it holds')
    .action(
      action(async (name: string, _opts: unknown, cmd: Command): Promise<CommandOutcome> =>
        withStore(await commandEnv(cmd), async (store) => {
          await (await impl()).disableAccount(store, name);
          return ok({ disabled: name }, `disabled ${name}`);
        }),
      ),
    );
}

function registerTokenCommands(program: Command): void {
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
      action(
        async (
          opts: { user: string; expires: string; json?: boolean },
          cmd: Command,
        ): Promise<CommandOutcome> =>
          withStore(await commandEnv(cmd), async (store) => {
            const { createToken, parseDuration } = await impl();
            const t = await createToken(store, {
              name: opts.user,
              expiresInMs: parseDuration(opts.expires),
            });
            const expiresAt = t.expiresAt.toISOString();
            return {
              ...ok({ id: t.id, token: t.token, expiresAt }, t.token),
              // The JSON document carries these facts; people read them beside the secret.
              warnings:
                opts.json === true
                  ? []
                  : [`token ${t.id} expires ${expiresAt}; it is not shown again`],
            };
          }),
      ),
    );
  token
    .command('revoke')
    .argument('<id>', 'the token id (the part after hct_)')
    .description('revoke a token at once')
    .action(
      action(async (id: string, _opts: unknown, cmd: Command): Promise<CommandOutcome> =>
        withStore(await commandEnv(cmd), async (store) => {
          await (await impl()).revokeToken(store, id);
          return ok({ revoked: id }, `revoked ${id}`);
        }),
      ),
    );
}
