// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keys commands' audit port, implemented over the audit log: the keyring sits below
 * the log, so the composition root joins them.
 */
import { createAuditLog, signCheckpointIfGrown } from '../../../foundation/audit/index.js';
import type { AuditEvent } from '../../../platform/runtime/audit-port.js';
import type { Store } from '../../../platform/runtime/index.js';

/** Appends one key event to the instance's audit log and signs a checkpoint when it grew. */
export async function recordKeyEvent(store: Store, event: AuditEvent): Promise<void> {
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const log = createAuditLog(store, deps);
  await log.init();
  await log.append(store.db.kysely, [event]);
  await signCheckpointIfGrown(store, deps);
}
