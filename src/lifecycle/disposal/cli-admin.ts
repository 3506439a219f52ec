// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the operator, recipient and certificate commands (loaded lazily by
 * commands.ts through cli.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  EXIT_NEGATIVE,
  ok,
  readStdinValue,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import { addAccount, listAccounts } from '../../foundation/accounts/index.js';
import { UsageError } from '../../kernel/shared/index.js';
import { isDataCategory, type DataCategory } from '../../kernel/domain/index.js';
import { checkCertificateBundle } from './cert-check.js';
import { planBundle, requestForPlan, subjectBundle } from './cli-certs.js';
import { withContext, type DisposalCommandEnv } from './cli-kit.js';
import type { Opts } from './cli-types.js';
import { CertificateInvalidError } from './errors.js';
import { addRecipient, listRecipientRows } from './recipients.js';

export async function operatorAdd(
  env: DisposalCommandEnv,
  [name]: unknown[],
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const a = await addAccount(
      ctx.store,
      { name: String(name), role: 'operator' },
      { wrapper: ctx.wrapper },
    );
    return ok(
      { name: a.name, role: a.role, publicKey: a.publicKey, createdAt: a.createdAt.toISOString() },
      `operator ${a.name} registered; signing key ${a.publicKey ?? ''}`,
    );
  });
}

export async function operatorList(env: DisposalCommandEnv): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const ops = (await listAccounts(ctx.store)).filter((a) => a.role === 'operator');
    const list = ops.map((a) => ({
      name: a.name,
      publicKey: a.publicKey,
      active: a.disabledAt === null,
      createdAt: a.createdAt.toISOString(),
    }));
    return ok(
      { operators: list },
      list.length === 0
        ? 'no operators (healthcode operator add NAME)'
        : list.map((o) => `${o.name}\t${o.active ? 'active' : 'disabled'}\t${o.publicKey ?? ''}`),
    );
  });
}

export async function recipientAdd(
  env: DisposalCommandEnv,
  [id]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
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
    return ok({ id: r.id, name: r.name, kind: r.kind }, `recipient ${r.id} declared`);
  });
}

export async function recipientList(env: DisposalCommandEnv): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const list = await listRecipientRows(ctx.store.db.kysely);
    return ok(
      { recipients: list.map((r) => ({ ...r, publicKey: r.publicKey !== null })) },
      list.map((r) => `${r.id}\t${r.kind}\t${r.name}\t${r.categories.join(',') || 'all'}`),
    );
  });
}

export async function certRequest(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  if ((opts.idStdin === true) === (opts.phoneStdin === true)) {
    throw new UsageError('give exactly one of --id-stdin or --phone-stdin');
  }
  const kind = opts.idStdin === true ? 'citizen' : 'subscriber';
  const value = await readStdinValue(kind === 'citizen' ? 'an ID number' : 'a phone number');
  return withContext(env, async (ctx) => {
    const code = await requestForPlan(ctx, String(file), kind, value);
    return ok({ retrievalCode: code }, [
      `retrieval code: ${code}`,
      'keep it: the certificate is stored under this code alone',
    ]);
  });
}

export async function certGet(
  env: DisposalCommandEnv,
  _args: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  const code = await readStdinValue('the retrieval code');
  return withContext(env, async (ctx) => {
    const bundle = await subjectBundle(ctx, code);
    writeFileSync(String(opts.out), JSON.stringify(bundle, null, 2) + '\n', { mode: 0o644 });
    return ok(
      { certificateId: bundle.certificate.id, out: opts.out },
      `wrote ${String(opts.out)}; check it offline with: healthcode audit check-proof ${String(opts.out)}`,
    );
  });
}

export async function certPlan(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const bundle = await planBundle(ctx, String(file));
    writeFileSync(String(opts.out), JSON.stringify(bundle, null, 2) + '\n', { mode: 0o644 });
    return ok({ certificateId: bundle.certificate.id, out: opts.out }, `wrote ${String(opts.out)}`);
  });
}

export function certCheck(_env: DisposalCommandEnv, [file]: unknown[], opts: Opts): CommandOutcome {
  try {
    const v = checkCertificateBundle(readFileSync(String(file), 'utf8'), {
      ...(typeof opts.logKey === 'string' ? { logKey: opts.logKey } : {}),
      ...(typeof opts.key === 'string' ? { certificateKey: opts.key } : {}),
    });
    return ok(
      { valid: true, ...v },
      `valid: certificate ${v.certificateId} is leaf ${v.leafIndex} of ${v.origin} at size ${v.treeSize}${v.keyPinned ? '' : ' (log key not pinned)'}`,
    );
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (
      err instanceof CertificateInvalidError ||
      /^ERR_AUDIT_(PROOF|SIGNATURE|CHECKPOINT)/.test(code)
    ) {
      return {
        json: { valid: false, reason: (err as Error).message, code },
        text: `invalid: ${(err as Error).message}`,
        exitCode: EXIT_NEGATIVE,
      };
    }
    throw err;
  }
}
