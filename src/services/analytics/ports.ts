// SPDX-License-Identifier: Apache-2.0
/**
 * @module What analytics needs from capabilities it does not own, handed in by the composition
 * root: the instance vault (audit log and consent guard wired in), through which an input party
 * maps a carrier's phone numbers to subjects and asks their statistics consent.
 */
import type { OpenInstanceVault } from '../../personal/vault/index.js';

export interface AnalyticsPorts {
  readonly openInstanceVault: OpenInstanceVault;
}
