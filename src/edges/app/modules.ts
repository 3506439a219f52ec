// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every capability module, collected in the one place that knows them all: the
 * composition root. It wires the ports a capability declares (DESIGN.md §2) — the instance vault
 * over the audit log and consent guard, the vault's answer to a subject's age for the consent
 * commands — and nothing else imports a module object.
 */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import type { Store } from '../../platform/runtime/store.js';
import { keysModule } from '../../platform/keys-admin/module.js';
import { accountsModule } from '../../foundation/accounts/module.js';
import { auditModule } from '../../foundation/audit/module.js';
import { outboxModule } from '../../foundation/outbox/module.js';
import { analyticsModule } from '../../services/analytics/module.js';
import { scanModule } from '../../foundation/scan/module.js';
import { consentModule } from '../../personal/consent/module.js';
import { vaultModule } from '../../personal/vault/module.js';
import { codesModule } from '../../services/codes/module.js';
import { tripcardModule } from '../../services/tripcard/module.js';
import { disposalModule } from '../../lifecycle/disposal/module.js';
import { rightsModule } from '../../lifecycle/rights/module.js';
import { registerSeedCommand } from './seed/commands.js';

/** The root's assemblies, loaded when a command or job first needs one (`--help` needs none). */
const wiring = () => import('./wiring/index.js');

/** The instance vault over the audit log and the consent guard. */
const openInstanceVault = async (store: Store) => (await wiring()).instanceVault(store);

/**
 * The synthetic city's `seed` command: it assembles the sim, the vault, the consent ledger and
 * the codes, so the root declares it (the sim keeps the pure generator).
 */
const seedModule: CapabilityModule = { name: 'sim', commands: registerSeedCommand };

/**
 * The modules. Jobs run in this order (`jobs run`, the server's scheduler): the audit checkpoint
 * first, key rotation and resumed erasures after the lifecycle jobs that may start erasures.
 */
export const modules: readonly CapabilityModule[] = [
  auditModule,
  outboxModule,
  codesModule({ openInstanceVault }),
  disposalModule({
    openContext: async (store, actor) => (await wiring()).disposalContext(store, actor),
  }),
  rightsModule({
    openRuntime: async (store, extra) => (await wiring()).rightsRuntime(store, extra),
    openInstanceVault,
  }),
  keysModule({
    // The keyring sits below the audit log, so its commands record their events through this port.
    recordKeyEvent: async (store, event) => (await wiring()).recordKeyEvent(store, event),
  }),
  vaultModule({ openInstanceVault }),
  tripcardModule({
    openInstanceVault,
    // One code login for the card and for data-subject requests (the rights workflow's).
    codeIdentity: async (otp, lookup) => (await wiring()).tripcardPorts.codeIdentity(otp, lookup),
  }),
  accountsModule,
  analyticsModule({ openInstanceVault }),
  scanModule,
  seedModule,
  consentModule({
    // The vault knows each subject's age (PIPL art. 31); the consent ledger asks it, never argv.
    subjectFacts: async (store) => (await openInstanceVault(store)).vault,
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
