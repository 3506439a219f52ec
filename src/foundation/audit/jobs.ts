// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's periodic jobs: `audit.checkpoint` signs and publishes a checkpoint when
 * the log has grown (C2SP tlog-checkpoint; the server also signs at start) and prepares the month
 * keys; `audit.period-keys` destroys month keys whose security-log period has passed
 * (DOMAIN.md §6 req. 25: details kept at least `retention.securityLogMonths`, then gone).
 */
import type { Job, Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { createAuditLog } from './service.js';

/** The registered job names. */
export const AUDIT_JOB_NAMES = {
  checkpoint: 'audit.checkpoint',
  periodKeys: 'audit.period-keys',
} as const;

const MINUTE = 60_000;

/** The audit jobs, given how to reach the instance's KeyWrapper (the keyring). */
export function auditJobs(keyWrapperOf: (store: Store) => KeyWrapper): Job[] {
  return [
    {
      name: AUDIT_JOB_NAMES.checkpoint,
      everyMs: 10 * MINUTE,
      async run(store) {
        const log = createAuditLog(store, { keyWrapper: keyWrapperOf(store) });
        const prepared = await log.preparePeriodKeys();
        const { checkpoint, signed } = await log.checkpoint();
        return { size: checkpoint.size, signed, periodsReady: prepared.join(' ') };
      },
    },
    {
      name: AUDIT_JOB_NAMES.periodKeys,
      // Six-hourly: a month key goes within hours of its retention end, not days.
      everyMs: 360 * MINUTE,
      async run(store) {
        const log = createAuditLog(store, { keyWrapper: keyWrapperOf(store) });
        const { destroyed } = await log.expirePeriodKeys();
        return { destroyed: destroyed.length, periods: destroyed.join(' ') };
      },
    },
  ];
}
