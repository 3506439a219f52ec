// SPDX-License-Identifier: Apache-2.0
/**
 * @module What every disposal use case receives: the open store and disposal's ports over the
 * real capabilities (STYLE.md §19). The composition root (src/edges/app/wiring/disposal.ts)
 * assembles it — the audit log, the consent ledger, the vault and the outbox — once per command,
 * job or request; disposal only declares it.
 */
import type { Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import type { CertificateLog, ConsentView, DisposalTarget, Scanner } from './ports.js';

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

/** Wires disposal's ports for one open store, acting as `actor` (loaded when first needed). */
export type OpenDisposalContext = (store: Store, actor: string) => Promise<DisposalContext>;

/** The ports the disposal module receives from the composition root. */
export interface DisposalPorts {
  readonly openContext: OpenDisposalContext;
}
