// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations behind `healthcode backup …` and `healthcode vault …` (loaded only
 * when such a command runs). Identifiers come from stdin (`--id-stdin`, `--phone-stdin`), never
 * from the command line; subjects are otherwise named by their opaque subject id.
 */
import { readFileSync } from 'node:fs';
import type { CommandEnv, CommandOutcome } from '../../platform/runtime/cli-kit.js';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  ok,
  readStdinValue,
  withStore,
} from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import {
  isDataCategory,
  isDataGroup,
  type DataCategory,
  type DataGroup,
} from '../../kernel/domain/index.js';
import { createBackup, restoreBackup } from './backup.js';
import type { VaultPorts } from './instance.js';
import type { EraseRequest } from './erase.js';

/** The actor CLI commands act as (an operator at the console). */
const CLI_ACTOR = 'operator:cli';

export async function backupCreate(
  ports: VaultPorts,
  env: CommandEnv,
  file: string,
): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const info = await createBackup(store, file, { dbUrl: env.dbUrl });
    const iv = await ports.openInstanceVault(store);
    await iv.core.emit(store.db.kysely, [
      {
        kind: 'system',
        actor: CLI_ACTOR,
        action: 'backup.create',
        outcome: 'ok',
        at: store.clock.now(),
        details: { dialect: info.dialect },
      },
    ]);
    await iv.finish();
    return ok({ file, ...info }, `backup written to ${file} (data only: ciphertext, no keys)`);
  });
}

export async function backupRestore(
  ports: VaultPorts,
  env: CommandEnv,
  file: string,
): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const iv = await ports.openInstanceVault(store);
    const r = await restoreBackup(iv.core, file, { actor: CLI_ACTOR, dbUrl: env.dbUrl });
    await iv.finish();
    return ok(
      r,
      `restored; ${r.tombstones} tombstones re-applied: ${r.subjectsDropped} erased subjects and ${r.recordsDropped} erased records dropped`,
    );
  });
}

export async function vaultFind(
  ports: VaultPorts,
  env: CommandEnv,
  opts: { idStdin?: boolean; phoneStdin?: boolean },
): Promise<CommandOutcome> {
  if (opts.idStdin === opts.phoneStdin) {
    throw new UsageError('give exactly one of --id-stdin or --phone-stdin');
  }
  const value = await readStdinValue(opts.idStdin ? 'an ID number' : 'a phone number');
  return withStore(env, async (store) => {
    const iv = await ports.openInstanceVault(store);
    const repo = iv.vault.repository({
      actor: CLI_ACTOR,
      role: 'operator',
      purpose: 'epidemic-control',
    });
    const subjectId = opts.idStdin
      ? await repo.findCitizen(value)
      : await repo.findSubscriber(value);
    await iv.finish();
    return {
      json: { subjectId: subjectId ?? null },
      text: subjectId ?? 'no such subject',
      exitCode: subjectId === undefined ? EXIT_NEGATIVE : EXIT_OK,
    };
  });
}

function parseList<T extends string>(
  text: string | undefined,
  ok: (v: string) => v is T,
  label: string,
): T[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const i of items) {
    if (!ok(i)) {
      throw new UsageError(`${label}: unknown value "${i}"`);
    }
  }
  return items as T[];
}

export async function vaultErase(
  ports: VaultPorts,
  env: CommandEnv,
  subjects: readonly string[],
  opts: { groups?: string; categories?: string; fromFile?: string },
): Promise<CommandOutcome> {
  const groups = parseList<DataGroup>(opts.groups, isDataGroup, '--groups');
  const categories = parseList<DataCategory>(opts.categories, isDataCategory, '--categories');
  const ids = [...subjects];
  if (opts.fromFile !== undefined) {
    ids.push(
      ...readFileSync(opts.fromFile, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    );
  }
  if (ids.length === 0) {
    throw new UsageError('name subject ids, or --from-file FILE with one subject id per line');
  }
  for (const id of ids) {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      throw new UsageError('subjects are named by their opaque subject id');
    }
  }
  const requests: EraseRequest[] = ids.map((subjectId) => ({
    subjectId,
    ...(groups === undefined ? {} : { groups }),
    ...(categories === undefined ? {} : { categories }),
  }));
  return withStore(env, async (store) => {
    const iv = await ports.openInstanceVault(store);
    // cli-progress loads only when the erase command runs (a bar on stderr).
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      {
        format: 'erase [{bar}] {percentage}% | {value}/{total}',
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(requests.length, 0);
    const r = await iv.vault
      .eraseMany(requests, { actor: CLI_ACTOR, onProgress: (done) => bar.update(done) })
      .finally(() => bar.stop());
    await iv.finish();
    return {
      json: r,
      text: `erased ${r.erased} subjects (${r.alreadyErased} already erased, ${r.unknown} unknown, ${r.resumed} interrupted erasures finished); ${r.rowsDeleted} rows deleted, ${r.keysDestroyed} keys destroyed`,
      exitCode: r.unknown > 0 ? EXIT_NEGATIVE : EXIT_OK,
    };
  });
}

export async function vaultResume(ports: VaultPorts, env: CommandEnv): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const iv = await ports.openInstanceVault(store);
    const r = await iv.vault.resumeErasures(CLI_ACTOR);
    await iv.finish();
    return ok(r, `${r.resumed} interrupted erasures finished (${r.rowsDeleted} rows deleted)`);
  });
}

export async function vaultRestrict(
  ports: VaultPorts,
  env: CommandEnv,
  subjectId: string,
  opts: { scope: string; reason?: string; lift?: boolean },
): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const iv = await ports.openInstanceVault(store);
    let changed = true;
    if (opts.lift) {
      changed = await iv.vault.unrestrict(subjectId, opts.scope, { actor: CLI_ACTOR });
    } else {
      if (opts.reason === undefined) {
        throw new UsageError('--reason is required (a short code, e.g. retention:csl-21)');
      }
      await iv.vault.restrict(subjectId, opts.scope, { actor: CLI_ACTOR, reason: opts.reason });
    }
    await iv.finish();
    const restrictions = await iv.vault.restrictions(subjectId);
    return ok(
      { subjectId, restrictions, changed },
      `restricted scopes: ${restrictions.join(', ') || '(none)'}`,
    );
  });
}
