// SPDX-License-Identifier: Apache-2.0
/**
 * @module Wires the rights workflow to an open instance: the audit log, the holiday calendar of
 * the data dir, the instance's time zone and controller, and the executors available now (the
 * withdrawal executor on the consent ledger; the vault's export, erase, port and correct
 * executors and the identity port are wired by the composition root when they land).
 */
import type { Store } from '../app/index.js';
import { consentRuntime } from '../consent/wiring.js';
import { loadCalendar } from './calendar-file.js';
import { consentWithdrawalExecutor } from './executors.js';
import type { IdentityPort, RightsExecutor } from './ports.js';
import type { RightsDeps } from './service.js';
import type { RequestType } from './model.js';

export interface RightsRuntime {
  readonly deps: RightsDeps;
  /** Undefined until the vault (blind-index lookup) and the outbox (one-time codes) are wired. */
  readonly identity: IdentityPort | undefined;
  finish(): Promise<void>;
}

export async function rightsRuntime(
  store: Store,
  extra: { executors?: Partial<Record<RequestType, RightsExecutor>>; identity?: IdentityPort } = {},
): Promise<RightsRuntime> {
  const consent = await consentRuntime(store);
  return {
    deps: {
      db: store.db.kysely,
      clock: store.clock,
      random: store.random,
      audit: consent.deps.audit,
      calendar: loadCalendar(store.paths.root),
      timeZone: store.config.timeZone,
      controller: store.config.responsibleParty,
      executors: { withdrawal: consentWithdrawalExecutor(consent.deps), ...extra.executors },
    },
    identity: extra.identity,
    finish: () => consent.finish(),
  };
}
