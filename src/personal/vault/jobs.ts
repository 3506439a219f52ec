// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault's periodic job: finish any erasure a crash interrupted (a pending tombstone),
 * so a half-done disposal never waits for an operator (PIPL art. 47).
 */
import type { Job } from '../../platform/runtime/jobs.js';
import type { VaultPorts } from './instance.js';

/** The resume job over the instance vault the root opens. */
export function vaultResumeJob(ports: VaultPorts): Job {
  return {
    name: 'vault.resume-erasures',
    everyMs: 3_600_000,
    async run(store) {
      const iv = await ports.openInstanceVault(store);
      const r = await iv.vault.resumeErasures('job:vault.resume-erasures');
      await iv.finish();
      return { resumed: r.resumed, rowsDeleted: r.rowsDeleted };
    },
  };
}
