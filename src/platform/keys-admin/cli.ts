// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations behind `healthcode keys …` (loaded only when such a command runs):
 * status, rotation with a progress bar on stderr, Shamir export and import of the master secret,
 * and key backups. Output never contains key bytes, except `keys import --print`, which writes
 * the rebuilt master key to stdout on purpose (for a secret store).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import {
  ok,
  readStdinValue,
  withStore,
  type CommandEnv,
  type CommandOutcome,
} from '../runtime/cli-kit.js';
import type { Store } from '../runtime/index.js';
import { UsageError } from '../../kernel/shared/index.js';
import { zeroize } from '../../kernel/crypto/index.js';
import { createKeyBackup, restoreKeyBackup } from '../keys/backup.js';
import {
  combineShares,
  exportShares,
  isInside,
  parseSharesSpec,
  readShareFiles,
} from '../keys/custody.js';
import { SharesError } from '../keys/errors.js';
import { masterKeyPaths, readCheckValue } from '../keys/master.js';
import { formatMasterKey, MASTER_KEY_FILE, parseMasterKeyText } from '../keys/model.js';
import type { KeysPorts } from './ports.js';
import { LocalKeyProvider } from '../keys/provider.js';
import { rekeyMaster } from '../keys/rekey.js';
import { rotateKeys } from '../keys/rotation.js';

/** Records what an operator did to the keys, through the port the composition root wired. */
async function recordKeyEvent(
  ports: KeysPorts,
  store: Store,
  action: string,
  details: Record<string, string | number | boolean>,
): Promise<void> {
  await ports.recordKeyEvent(store, {
    kind: 'key',
    actor: 'operator:cli',
    action,
    outcome: 'ok',
    at: store.clock.now(),
    details,
  });
}

export async function keysStatus(env: CommandEnv): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const s = await store.keyring.status();
    return ok(
      s,
      `provider ${s.provider}; active KEK v${s.activeKek}; ${s.dataKeys.live} data keys live, ${s.dataKeys.destroyed} destroyed; ${s.tombstones} tombstones\n` +
        `rotation ${s.rotationInProgress ? 'IN PROGRESS (run "healthcode keys rotate")' : 'idle'}; period ${s.rotationPeriodDays} days; next due ${s.nextRotationDue}\n` +
        s.keks
          .map(
            (k) =>
              `  KEK v${k.version}\t${k.state}\tcreated ${k.createdAt}${k.destroyedAt ? `\tdestroyed ${k.destroyedAt}` : ''}\n`,
          )
          .join('')
          .replace(/\n$/, ''),
    );
  });
}

export async function keysRotate(
  env: CommandEnv,
  ports: KeysPorts,
  opts: { batch?: string; periodDays?: string },
): Promise<CommandOutcome> {
  const batchSize = opts.batch === undefined ? 5000 : Number(opts.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new UsageError('--batch takes an integer from 1 to 100000');
  }
  return withStore(env, async (store) => {
    if (opts.periodDays !== undefined) {
      const days = Number(opts.periodDays);
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        throw new UsageError('--period-days takes an integer from 1 to 3650');
      }
      await store.keyring.setRotationPeriodDays(days);
    }
    const bar = new SingleBar(
      {
        format: 'keys rotate [{bar}] {percentage}% | {value}/{total} data keys re-wrapped',
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    const r = await rotateKeys(store.keyring, store.db, {
      batchSize,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else {
          bar.update(done);
        }
      },
    }).finally(() => bar.stop());
    await recordKeyEvent(ports, store, 'rotate', {
      from: r.from.join(','),
      to: r.to,
      rewrapped: r.rewrapped,
      resumed: r.resumed,
    });
    return ok(
      r,
      `rotated KEK v${r.from.join(',')} → v${r.to}: ${r.rewrapped} data keys and ${r.instanceKeys} instance keys re-wrapped; v${r.destroyed.join(',')} destroyed${r.resumed ? ' (resumed)' : ''}`,
    );
  });
}

export async function keysExport(
  env: CommandEnv,
  ports: KeysPorts,
  opts: { shares: string; out: string },
): Promise<CommandOutcome> {
  const spec = parseSharesSpec(opts.shares);
  return withStore(env, async (store) => {
    if (isInside(opts.out, store.paths.root)) {
      throw new UsageError('--out must be outside the data dir (shares go to custodians)');
    }
    const provider = store.keyring.provider;
    if (!(provider instanceof LocalKeyProvider)) {
      throw new UsageError('the master key is held by an external key provider; export it there');
    }
    const master = provider.exportMasterSecret();
    let files: string[];
    try {
      files = await exportShares(master, spec, opts.out);
    } finally {
      zeroize(master);
    }
    await recordKeyEvent(ports, store, 'export-shares', {
      threshold: spec.threshold,
      shares: spec.shares,
    });
    return ok({ threshold: spec.threshold, shares: spec.shares, files }, [
      `${spec.shares} shares written (any ${spec.threshold} rebuild the master key):`,
      ...files.map((f) => `  ${f}`),
    ]);
  });
}

/** Rebuilds the master key from shares; does not open the store (its key may be the thing lost). */
export async function keysImport(
  env: CommandEnv,
  files: readonly string[],
  opts: { print?: boolean },
): Promise<CommandOutcome> {
  if (files.length === 0) {
    throw new UsageError('name the share files: healthcode keys import SHARE1 SHARE2 …');
  }
  const recorded = readCheckValue(env.dataDir);
  if (recorded === undefined && opts.print !== true) {
    throw new SharesError(
      'this data dir has no recorded key check value; use --print to rebuild the key elsewhere',
    );
  }
  const master = await combineShares(readShareFiles(files), recorded);
  try {
    if (opts.print === true) {
      // On purpose, for a secret store: the one output that carries key bytes.
      const key = formatMasterKey(master).trimEnd();
      return ok({ masterKey: key }, key);
    }
    const { keyFile } = masterKeyPaths(env.dataDir);
    if (existsSync(keyFile)) {
      throw new UsageError(
        `${MASTER_KEY_FILE} exists already; move it away first (nothing was changed)`,
      );
    }
    writeFileSync(keyFile, formatMasterKey(master), { mode: 0o600, flag: 'wx' });
    return ok(
      { restored: keyFile },
      `master key rebuilt from ${files.length} shares and written to ${keyFile} (0600)`,
    );
  } finally {
    zeroize(master);
  }
}

export async function keysBackup(
  env: CommandEnv,
  ports: KeysPorts,
  file: string,
): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    if (isInside(file, store.paths.root)) {
      throw new UsageError('write key backups outside the data dir');
    }
    const r = await createKeyBackup(store.keyring, file);
    await recordKeyEvent(ports, store, 'key-backup', {
      kekVersion: r.kekVersion,
      dataKeys: r.dataKeys,
    });
    const days = await store.keyring.rotationPeriodDays();
    return ok(
      r,
      `key backup under KEK v${r.kekVersion}: ${r.dataKeys} data keys, ${r.tombstones} tombstones; restorable until the next rotation (period ${days} days)`,
    );
  });
}

export async function keysRestore(
  env: CommandEnv,
  ports: KeysPorts,
  file: string,
): Promise<CommandOutcome> {
  return withStore(env, async (store) => {
    const r = await restoreKeyBackup(store.keyring, file);
    await recordKeyEvent(ports, store, 'key-restore', r);
    return ok(
      r,
      `restored ${r.restored} data keys (${r.present} present, ${r.tombstoned} erased since)`,
    );
  });
}

/**
 * Replaces the master key: `--generate` writes a fresh one to DIR/master.key; `--stdin` reads the
 * new key (base64 or hex) from stdin, for a key kept in HEALTHCODE_MASTER_KEY.
 */
export async function keysRekeyMaster(
  env: CommandEnv,
  ports: KeysPorts,
  opts: { generate?: boolean; stdin?: boolean },
): Promise<CommandOutcome> {
  if (opts.generate === opts.stdin) {
    throw new UsageError('give exactly one of --generate or --stdin');
  }
  const fresh =
    opts.generate === true
      ? randomBytes(32)
      : parseMasterKeyText(await readStdinValue('the new master key'), 'stdin');
  try {
    return await withStore(env, async (store) => {
      const r = await rekeyMaster(store.keyring, store.paths.root, fresh, {
        writeKeyFile: opts.generate === true,
      });
      await recordKeyEvent(ports, store, 'rekey-master', { keks: r.keks });
      return ok(
        r,
        `${r.keks} KEKs re-wrapped under the new master key${opts.generate ? ` (written to ${store.paths.root}/master.key)` : '; set HEALTHCODE_MASTER_KEY to it now'}; issue new shares with "keys export"`,
      );
    });
  } finally {
    zeroize(fresh);
  }
}
