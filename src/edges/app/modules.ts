// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every capability module, collected in the one place that knows them all: the
 * composition root. It wires the ports a capability declares (DESIGN.md §2) — here the vault's
 * answer to a subject's age for the consent commands — and nothing else imports a module object.
 */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { keysModule } from '../../platform/keys/module.js';
import { accountsModule } from '../../foundation/accounts/module.js';
import { auditModule } from '../../foundation/audit/module.js';
import { outboxModule } from '../../foundation/outbox/module.js';
import { analyticsModule } from '../../services/analytics/module.js';
import { scanModule } from '../../foundation/scan/module.js';
import { simModule } from '../../foundation/sim/module.js';
import { consentModule } from '../../personal/consent/module.js';
import { vaultModule } from '../../personal/vault/module.js';
import { codesModule } from '../../services/codes/module.js';
import { tripcardModule } from '../../services/tripcard/module.js';
import { disposalModule } from '../../lifecycle/disposal/module.js';
import { rightsModule } from '../../lifecycle/rights/module.js';

/**
 * The modules. Jobs run in this order (`jobs run`, the server's scheduler): the audit checkpoint
 * first, key rotation and resumed erasures after the lifecycle jobs that may start erasures.
 */
export const modules: readonly CapabilityModule[] = [
  auditModule,
  outboxModule,
  codesModule,
  disposalModule,
  rightsModule,
  keysModule({
    // The keyring sits below the audit log, so its commands record their events through this port.
    recordKeyEvent: async (store, event) =>
      (await import('./wiring/key-events.js')).recordKeyEvent(store, event),
  }),
  vaultModule,
  tripcardModule,
  accountsModule,
  analyticsModule,
  scanModule,
  simModule,
  consentModule({
    // The vault knows each subject's age (PIPL art. 31); the consent ledger asks it, never argv.
    subjectFacts: async (store) =>
      (await (await import('../../personal/vault/index.js')).instanceVault(store)).vault,
  }),
];

/** A module by name (the CLI lists commands in its own order). */
export function moduleNamed(name: string): CapabilityModule {
  const m = modules.find((x) => x.name === name);
  if (m === undefined) {
    throw new RangeError(`no module named ${name}`);
  }
  return m;
}
