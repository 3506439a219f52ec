// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rights capability's periodic job: overdue reminders (DOMAIN.md §6 req. 19). Each
 * open request past its 15-working-day deadline gets an audit entry at most once a day, so the
 * operator console and the log show what is late.
 */
import type { Job } from '../../platform/runtime/jobs.js';
import type { RightsPorts } from './runtime.js';
import { remindOverdue } from './tracking.js';

/** The rights jobs over the runtime the root wires. */
export function rightsJobs(ports: RightsPorts): readonly Job[] {
  return [
    {
      name: 'rights.overdue-reminders',
      everyMs: 3_600_000,
      async run(store) {
        const rt = await ports.openRuntime(store);
        const out = await remindOverdue(rt.deps);
        await rt.finish();
        return out;
      },
    },
  ];
}
