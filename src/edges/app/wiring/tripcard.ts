// SPDX-License-Identifier: Apache-2.0
/**
 * @module The trip card of an open instance: its vault over the audit log and consent guard, and
 * the rights workflow's identity by one-time code (one code login for both), wired in here so the
 * trip card never imports the lifecycle layer above it.
 */
import type { Store } from '../../../platform/runtime/store.js';
import type { RiskArea } from '../../../kernel/domain/index.js';
import { otpIdentityPort } from '../../../lifecycle/rights/index.js';
import {
  openTripcard,
  type TripcardPorts,
  type TripcardService,
} from '../../../services/tripcard/index.js';
import { instanceVault } from './vault.js';

export const tripcardPorts: TripcardPorts = {
  openInstanceVault: (store) => instanceVault(store),
  codeIdentity: (otp, lookup) => Promise.resolve(otpIdentityPort(otp, lookup)),
};

/** Opens the trip card of an instance (what the server, tests and the root's ports use). */
export function instanceTripcard(
  store: Store,
  options: { riskAreas?: readonly RiskArea[] } = {},
): Promise<TripcardService> {
  return openTripcard(store, tripcardPorts, options);
}
