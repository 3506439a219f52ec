// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault of an open instance, as the vault's commands and jobs receive it: a vault over
 * the instance's audit log and purpose guard, both handed in through the vault's own ports
 * ({@link AuditPort}, {@link Guard}). The composition root (src/edges/app) assembles them from the
 * audit and consent capabilities; the vault never imports either (DESIGN.md §2).
 */
import type { Store } from '../../platform/runtime/store.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import type { Guard } from './guard.js';
import { VaultCore } from './core.js';
import { Vault } from './service.js';

export interface InstanceVault {
  readonly vault: Vault;
  readonly core: VaultCore;
  readonly guard: Guard;
  /** Signs an audit checkpoint when the log grew (what every command that appended does). */
  finish(): Promise<void>;
}

/** What the root hands the vault of an instance: its audit log, guard and checkpoint signer. */
export interface InstanceVaultParts {
  readonly audit: AuditPort;
  readonly guard: Guard;
  finish(): Promise<void>;
}

/** Opens the vault of an instance (the root's implementation wires audit and consent in). */
export type OpenInstanceVault = (store: Store) => Promise<InstanceVault>;

/** The ports the vault module receives from the composition root. */
export interface VaultPorts {
  readonly openInstanceVault: OpenInstanceVault;
}

/** A vault over the parts the root assembled. */
export function assembleInstanceVault(store: Store, parts: InstanceVaultParts): InstanceVault {
  const core = new VaultCore(store, { audit: parts.audit, guard: parts.guard });
  return { vault: new Vault(core), core, guard: parts.guard, finish: () => parts.finish() };
}
