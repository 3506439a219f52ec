// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rights capability's periodic job: overdue reminders (DOMAIN.md §6 req. 19). Each
 * open request past its 15-working-day deadline gets an audit entry at most once a day, so the
 * operator console and the log show what is late.
 */
import type { Job } from '../../platform/runtime/jobs.js';

export const rightsJobs: readonly Job[] = [
  {
    name: 'rights.overdue-reminders',
    everyMs: 3_600_000,
    async run(store) {
      const { rightsRuntime } = await import('./wiring.js');
      const { remindOverdue } = await import('./tracking.js');
      const rt = await rightsRuntime(store);
      const out = await remindOverdue(rt.deps);
      await rt.finish();
      return out;
    },
  },
];
