// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's periodic job: `disposal.exemptions` disposes of retained data whose
 * exemption has ended (PIPL art. 47 para. 2; DOMAIN.md req. 13), hourly.
 */
import type { Job, Store } from '../../platform/runtime/index.js';
import type { DisposalPorts } from './context.js';
import { disposeExpiredExemptions } from './retained.js';

export const EXEMPTIONS_JOB = 'disposal.exemptions';

/** Disposal's jobs over the context the root wires. */
export function disposalJobs(ports: DisposalPorts): Job[] {
  return [
    {
      name: EXEMPTIONS_JOB,
      everyMs: 3_600_000,
      async run(store: Store) {
        const ctx = await ports.openContext(store, `job:${EXEMPTIONS_JOB}`);
        await ctx.prepare();
        const out = await disposeExpiredExemptions(ctx);
        if (out.plans > 0) {
          await ctx.log.checkpoint();
        }
        return out;
      },
    },
  ];
}
