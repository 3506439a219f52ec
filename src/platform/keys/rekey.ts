// SPDX-License-Identifier: Apache-2.0
/**
 * @module Replacing the master secret (key-compromise runbook): every live KEK is unwrapped by
 * the current provider and re-wrapped by a new one in one key-store transaction, and the key
 * check value moves with them. Data keys and data are untouched. Order for crash safety: the new
 * key is written (`DIR/master.key.new`) before the key store commits, and only then replaces
 * `DIR/master.key` — so no crash leaves a key store whose master key exists nowhere.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zeroize } from '../../kernel/crypto/index.js';
import type { Keyring } from './keyring.js';
import { masterKeyPaths } from './master.js';
import { formatMasterKey, SECRET_LENGTH } from './model.js';
import { LocalKeyProvider, masterCheckValue } from './provider.js';
import * as repo from './repository.js';

/**
 * Re-wraps every live KEK under `newMaster`. When `writeKeyFile` is set the new key replaces
 * `DIR/master.key`; otherwise the caller keeps it (e.g. in `HEALTHCODE_MASTER_KEY`).
 */
export async function rekeyMaster(
  keyring: Keyring,
  dataDir: string,
  newMaster: Uint8Array,
  options: { writeKeyFile: boolean },
): Promise<{ keks: number; kcv: string }> {
  if (newMaster.length !== SECRET_LENGTH) {
    throw new RangeError(`"newMaster" expected ${SECRET_LENGTH} bytes`);
  }
  const next = new LocalKeyProvider(newMaster, 'rekey');
  const kcv = masterCheckValue(newMaster);
  const paths = masterKeyPaths(dataDir);
  const staged = `${paths.keyFile}.new`;
  if (options.writeKeyFile) {
    writeFileSync(staged, formatMasterKey(newMaster), { mode: 0o600 });
  }
  try {
    const keks = await keyring.write(async (ks) => {
      let n = 0;
      for (const k of await repo.listKeks(ks)) {
        if (k.wrapped === null) {
          continue;
        }
        const kek = await keyring.provider.unwrapKek(k.wrapped, k.version);
        const wrapped = await next.wrapKek(kek, k.version);
        zeroize(kek);
        await ks
          .updateTable('kek')
          .set({ wrapped, provider: next.id })
          .where('version', '=', k.version)
          .execute();
        n++;
      }
      await repo.setMeta(ks, 'kcv', kcv);
      return n;
    });
    // The key store now answers to the new key: record its check value, then put the key in place.
    const checkTmp = join(paths.keysDir, `.master.check.${process.pid}.tmp`);
    writeFileSync(checkTmp, JSON.stringify({ version: 1, kcv }) + '\n', { mode: 0o600 });
    renameSync(checkTmp, paths.check);
    if (options.writeKeyFile) {
      renameSync(staged, paths.keyFile);
    }
    return { keks, kcv };
  } catch (err) {
    rmSync(staged, { force: true });
    throw err;
  } finally {
    next.dispose();
  }
}
