// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the subject-facing side of health codes needs from capabilities it does not own,
 * handed in by the composition root: the instance vault (audit log and consent guard wired in),
 * from which a subject's colour inputs are read.
 */
import type { OpenInstanceVault } from '../../personal/vault/index.js';

export interface CodesPorts {
  readonly openInstanceVault: OpenInstanceVault;
}
