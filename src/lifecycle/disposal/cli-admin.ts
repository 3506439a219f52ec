// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the operator, recipient and certificate commands (loaded lazily by
 * commands.ts through cli.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  printJson,
  readStdinValue,
  type CommandEnv,
} from '../../platform/runtime/cli-kit.js';
import { addAccount, listAccounts } from '../../foundation/accounts/index.js';
import { UsageError } from '../../kernel/shared/index.js';
import { isDataCategory, type DataCategory } from '../../kernel/domain/index.js';
import { json, say, withContext } from './cli-kit.js';
import type { Opts } from './cli-types.js';

export async function operatorAdd(env: CommandEnv, [name]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const a = await addAccount(
      ctx.store,
      { name: String(name), role: 'operator' },
      { wrapper: ctx.wrapper },
    );
    if (json(opts)) {
      printJson({
        name: a.name,
        role: a.role,
        publicKey: a.publicKey,
        createdAt: a.createdAt.toISOString(),
      });
    } else {
      say(`operator ${a.name} registered; signing key ${a.publicKey ?? ''}`);
    }
    return EXIT_OK;
  });
}

export async function operatorList(env: CommandEnv, _args: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const ops = (await listAccounts(ctx.store)).filter((a) => a.role === 'operator');
    const list = ops.map((a) => ({
      name: a.name,
      publicKey: a.publicKey,
      active: a.disabledAt === null,
      createdAt: a.createdAt.toISOString(),
    }));
    if (json(opts)) {
      printJson({ operators: list });
    } else {
      list.forEach((o) =>
        say(`${o.name}\t${o.active ? 'active' : 'disabled'}\t${o.publicKey ?? ''}`),
      );
      if (list.length === 0) {
        say('no operators (healthcode operator add NAME)');
      }
    }
    return EXIT_OK;
  });
}

export async function recipientAdd(env: CommandEnv, [id]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { addRecipient } = await import('./recipients.js');
    const categories =
      typeof opts.categories === 'string'
        ? opts.categories
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean)
        : [];
    const bad = categories.find((c) => !isDataCategory(c));
    if (bad !== undefined) {
      throw new UsageError(`unknown data category ${bad}`);
    }
    const r = await addRecipient(
      ctx.store.db.kysely,
      {
        id: String(id),
        name: String(opts.name),
        kind:
          opts.kind === 'processor'
            ? 'processor'
            : opts.kind === 'recipient'
              ? 'recipient'
              : (opts.kind as 'processor'),
        contact: String(opts.contact),
        categories: categories as DataCategory[],
        publicKey: typeof opts.publicKey === 'string' ? readFileSync(opts.publicKey, 'utf8') : null,
      },
      ctx.store.clock.now().getTime(),
    );
    if (json(opts)) {
      printJson({ id: r.id, name: r.name, kind: r.kind });
    } else {
      say(`recipient ${r.id} declared`);
    }
    return EXIT_OK;
  });
}

export async function recipientList(
  env: CommandEnv,
  _args: unknown[],
  opts: Opts,
): Promise<number> {
  return withContext(env, async (ctx) => {
    const { listRecipientRows } = await import('./recipients.js');
    const list = await listRecipientRows(ctx.store.db.kysely);
    if (json(opts)) {
      printJson({ recipients: list.map((r) => ({ ...r, publicKey: r.publicKey !== null })) });
    } else {
      list.forEach((r) => say(`${r.id}\t${r.kind}\t${r.name}\t${r.categories.join(',') || 'all'}`));
    }
    return EXIT_OK;
  });
}

export async function certRequest(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  if ((opts.idStdin === true) === (opts.phoneStdin === true)) {
    throw new UsageError('give exactly one of --id-stdin or --phone-stdin');
  }
  const kind = opts.idStdin === true ? 'citizen' : 'subscriber';
  const value = await readStdinValue(kind === 'citizen' ? 'an ID number' : 'a phone number');
  return withContext(env, async (ctx) => {
    const { requestForPlan } = await import('./cli-certs.js');
    const code = await requestForPlan(ctx, String(file), kind, value);
    if (json(opts)) {
      printJson({ retrievalCode: code });
    } else {
      say(`retrieval code: ${code}\nkeep it: the certificate is stored under this code alone`);
    }
    return EXIT_OK;
  });
}

export async function certGet(env: CommandEnv, _args: unknown[], opts: Opts): Promise<number> {
  const code = await readStdinValue('the retrieval code');
  return withContext(env, async (ctx) => {
    const { subjectBundle } = await import('./cli-certs.js');
    const bundle = await subjectBundle(ctx, code);
    writeFileSync(String(opts.out), JSON.stringify(bundle, null, 2) + '\n', { mode: 0o644 });
    if (json(opts)) {
      printJson({ certificateId: bundle.certificate.id, out: opts.out });
    } else {
      say(
        `wrote ${String(opts.out)}; check it offline with: healthcode audit check-proof ${String(opts.out)}`,
      );
    }
    return EXIT_OK;
  });
}

export async function certPlan(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { planBundle } = await import('./cli-certs.js');
    const bundle = await planBundle(ctx, String(file));
    writeFileSync(String(opts.out), JSON.stringify(bundle, null, 2) + '\n', { mode: 0o644 });
    if (json(opts)) {
      printJson({ certificateId: bundle.certificate.id, out: opts.out });
    } else {
      say(`wrote ${String(opts.out)}`);
    }
    return EXIT_OK;
  });
}

export async function certCheck(_env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  const { checkCertificateBundle } = await import('./cert-check.js');
  const { CertificateInvalidError } = await import('./errors.js');
  try {
    const v = checkCertificateBundle(readFileSync(String(file), 'utf8'), {
      ...(typeof opts.logKey === 'string' ? { logKey: opts.logKey } : {}),
      ...(typeof opts.key === 'string' ? { certificateKey: opts.key } : {}),
    });
    if (json(opts)) {
      printJson({ valid: true, ...v });
    } else {
      say(
        `valid: certificate ${v.certificateId} is leaf ${v.leafIndex} of ${v.origin} at size ${v.treeSize}${v.keyPinned ? '' : ' (log key not pinned)'}`,
      );
    }
    return EXIT_OK;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (
      err instanceof CertificateInvalidError ||
      /^ERR_AUDIT_(PROOF|SIGNATURE|CHECKPOINT)/.test(code)
    ) {
      if (json(opts)) {
        printJson({ valid: false, reason: (err as Error).message, code });
      } else {
        say(`invalid: ${(err as Error).message}`);
      }
      return EXIT_NEGATIVE;
    }
    throw err;
  }
}
