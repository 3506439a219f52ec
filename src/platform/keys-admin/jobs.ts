// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keyring's periodic job: rotate the KEK once its rotation period has passed (NIST
 * SP 800-57 Pt 1 §5.3 cryptoperiods). The period bounds how long an erased subject's key can
 * survive in a key backup (docs/key-compromise-runbook.md), so it is enforced, not advised.
 */
import type { Job } from '../runtime/jobs.js';
import { rotateKeys } from '../keys/rotation.js';

/** Checks daily; rotates when the active KEK is older than the period (or a rotation is pending). */
export const keysRotateJob: Job = {
  name: 'keys.rotate',
  everyMs: 86_400_000,
  async run(store): Promise<Record<string, string | number | boolean>> {
    const status = await store.keyring.status();
    const due = Date.parse(status.nextRotationDue) <= store.clock.now().getTime();
    if (!due && !status.rotationInProgress) {
      return { rotated: false, nextDue: status.nextRotationDue };
    }
    const r = await rotateKeys(store.keyring, store.db);
    return { rotated: true, from: r.from.join(','), to: r.to, rewrapped: r.rewrapped };
  },
};
