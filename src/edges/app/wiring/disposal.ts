// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's context over an open instance (src/lifecycle/disposal): the audit log as its
 * certificate log, the consent ledger as its consent view, the vault and outbox as its target,
 * the canary scanner — wired once per command, job or request (STYLE.md §19).
 */
import type { Store } from '../../../platform/runtime/index.js';
import { createAuditLog } from '../../../foundation/audit/index.js';
import {
  canaryScanner,
  certificateLog,
  consentView,
  vaultTarget,
  type DisposalContext,
} from '../../../lifecycle/disposal/index.js';

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
