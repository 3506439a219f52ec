// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rights workflow of an open instance, as its commands and jobs receive it: the
 * workflow's dependencies, identity by one-time code, and the vault-backed ports of its
 * executors. The composition root (src/edges/app/wiring/rights.ts) assembles it from the vault,
 * the consent ledger, the audit log, the outbox, disposal and the codes; the rights capability
 * only declares what it needs (DESIGN.md §2).
 */
import type { Store } from '../../platform/runtime/index.js';
import type { OpenInstanceVault } from '../../personal/vault/index.js';
import type { IdentityPort, RightsExecutor } from './ports.js';
import type { RightsDeps } from './service.js';
import type { RequestType } from './model.js';
import type { ColourReevaluation, VaultRightsPorts } from './vault-executors.js';

export interface RightsRuntime {
  readonly deps: RightsDeps;
  readonly identity: IdentityPort | undefined;
  /** The vault-backed ports (opens the vault on first call). */
  vaultPorts(): Promise<VaultRightsPorts>;
  finish(): Promise<void>;
}

/** What a caller may put in place of the instance's own wiring (tests, the server). */
export interface RightsExtra {
  readonly executors?: Partial<Record<RequestType, RightsExecutor>>;
  readonly identity?: IdentityPort;
  /** The codes capability's colour re-evaluation after a correction, when wired. */
  readonly colour?: ColourReevaluation;
}

/** Opens the rights runtime of an instance. */
export type OpenRightsRuntime = (store: Store, extra?: RightsExtra) => Promise<RightsRuntime>;

/** The ports the rights module receives from the composition root. */
export interface RightsPorts {
  readonly openRuntime: OpenRightsRuntime;
  /** The instance vault `import` writes a portability package into. */
  readonly openInstanceVault: OpenInstanceVault;
}
