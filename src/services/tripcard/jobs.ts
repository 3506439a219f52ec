// SPDX-License-Identifier: Apache-2.0
/**
 * @module The scheduled rolling purge (issue 8 item 3): `serve` and `healthcode jobs run` run it
 * hourly, so an event is gone within an hour of leaving the window plus its day of lag.
 */
import type { Job } from '../../platform/runtime/jobs.js';
import type { TripcardPorts } from './ports.js';
import { openTripcard } from './service.js';

export const TRIPCARD_PURGE_JOB = 'tripcard.purge';

/** The purge job over the ports the root wires. */
export function tripcardPurgeJob(ports: TripcardPorts): Job {
  return {
    name: TRIPCARD_PURGE_JOB,
    everyMs: 3_600_000,
    async run(store) {
      const tc = await openTripcard(store, ports);
      try {
        const r = await tc.purge(`job:${TRIPCARD_PURGE_JOB}`);
        return { purged: r.purged, erased: r.erased, before: r.before };
      } finally {
        await tc.finish();
      }
    },
  };
}
