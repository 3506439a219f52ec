// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault of an open instance, wired to the instance's audit log (src/foundation/audit) and to
 * the consent capability's purpose guard (PIPL arts. 13–15, 29, 31, 47; DESIGN.md §5) — what
 * commands and jobs use. The guard leaves logging to the vault: each read appends ONE audit leaf
 * that carries the guard's decision reason. `finish()` signs a checkpoint when the log grew (what
 * every command that appended does before it exits).
 */
import type { Store } from '../../platform/runtime/store.js';
import type { Guard } from './guard.js';
import { VaultCore } from './core.js';
import { Vault } from './service.js';

export interface InstanceVault {
  readonly vault: Vault;
  readonly core: VaultCore;
  readonly guard: Guard;
  finish(): Promise<void>;
}

/**
 * Opens the instance's vault. `guard` defaults to the consent guard over this store's ledger
 * (no consent cache: withdrawals committed by any process refuse the next read).
 */
export async function instanceVault(store: Store, guard?: Guard): Promise<InstanceVault> {
  const { createAuditLog, signCheckpointIfGrown } = await import('../../foundation/audit/index.js');
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const audit = createAuditLog(store, deps);
  await audit.init();
  const g = guard ?? (await import('../consent/wiring.js')).vaultGuard(store, audit);
  const core = new VaultCore(store, { audit, guard: g });
  return {
    vault: new Vault(core),
    core,
    guard: g,
    finish: async () => {
      await signCheckpointIfGrown(store, deps);
    },
  };
}
