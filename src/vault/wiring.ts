// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault of an open instance, wired to the instance's audit log (src/audit) — what
 * commands and jobs use. `finish()` signs a checkpoint when the log grew (what every command
 * that appended does before it exits).
 */
import type { Store } from '../app/store.js';
import type { Guard } from './guard.js';
import { VaultCore } from './core.js';
import { Vault } from './service.js';

export interface InstanceVault {
  readonly vault: Vault;
  readonly core: VaultCore;
  finish(): Promise<void>;
}

export async function instanceVault(store: Store, guard?: Guard): Promise<InstanceVault> {
  const { createAuditLog, signCheckpointIfGrown } = await import('../audit/index.js');
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const audit = createAuditLog(store, deps);
  await audit.init();
  const core = new VaultCore(store, { audit, ...(guard === undefined ? {} : { guard }) });
  return {
    vault: new Vault(core),
    core,
    finish: async () => {
      await signCheckpointIfGrown(store, deps);
    },
  };
}
