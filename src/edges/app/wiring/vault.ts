// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault of an open instance, wired to the instance's audit log (src/foundation/audit)
 * and to the consent capability's purpose guard (PIPL arts. 13–15, 29, 31, 47; DESIGN.md §5) —
 * what commands, jobs and the API open. The guard leaves logging to the vault: each read appends
 * ONE audit leaf that carries the guard's decision reason. `finish()` signs a checkpoint when the
 * log grew (what every command that appended does before it exits).
 */
import type { Store } from '../../../platform/runtime/store.js';
import { createAuditLog, signCheckpointIfGrown } from '../../../foundation/audit/index.js';
import {
  assembleInstanceVault,
  type Guard,
  type InstanceVault,
} from '../../../personal/vault/index.js';
import { vaultGuard } from '../../../personal/consent/index.js';

/**
 * Opens the instance's vault. `guard` defaults to the consent guard over this store's ledger
 * (no consent cache: withdrawals committed by any process refuse the next read).
 */
export async function instanceVault(store: Store, guard?: Guard): Promise<InstanceVault> {
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const audit = createAuditLog(store, deps);
  await audit.init();
  return assembleInstanceVault(store, {
    audit,
    guard: guard ?? vaultGuard(store, audit),
    finish: async () => {
      await signCheckpointIfGrown(store, deps);
    },
  });
}
