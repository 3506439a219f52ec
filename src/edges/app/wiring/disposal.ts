// SPDX-License-Identifier: Apache-2.0
/**
 * @module What every disposal use case receives: the open store and disposal's ports over the
 * real capabilities, wired once per command (STYLE.md §19).
 */
import type { Store } from '../../platform/runtime/index.js';
import { createAuditLog } from '../../foundation/audit/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { canaryScanner, certificateLog, consentView } from './adapters.js';
import type { CertificateLog, ConsentView, DisposalTarget, Scanner } from './ports.js';
import { vaultTarget } from './vault-target.js';

export interface DisposalContext {
  readonly store: Store;
  readonly wrapper: KeyWrapper;
  readonly consent: ConsentView;
  readonly log: CertificateLog & { checkpoint(): Promise<void> };
  readonly scanner: Scanner;
  readonly target: DisposalTarget;
  /** `operator:<name>`, `system:disposal`, `job:disposal.exemptions`. */
  readonly actor: string;
  /**
   * Readies the audit log outside any transaction — its checkpoint key and this and next month's
   * sealing keys — so appends inside the vault's transactions never have to create a key
   * (which, on SQLite's single connection, would wait on itself).
   */
  prepare(): Promise<void>;
}

/** Wires disposal's ports for one open store. */
export function disposalContext(
  store: Store,
  actor: string,
  overrides: Partial<DisposalContext> = {},
): DisposalContext {
  const wrapper = overrides.wrapper ?? store.keyring.keyWrapper();
  const log = overrides.log ?? certificateLog(store, wrapper);
  const audit = createAuditLog(store, { keyWrapper: wrapper });
  return {
    store,
    wrapper,
    log,
    consent: overrides.consent ?? consentView(store, audit),
    scanner: overrides.scanner ?? canaryScanner(),
    target: overrides.target ?? vaultTarget(store, audit, actor),
    actor,
    async prepare() {
      await audit.init();
      await audit.preparePeriodKeys();
    },
  };
}
