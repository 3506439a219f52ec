// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's periodic job: `disposal.exemptions` disposes of retained data whose
 * exemption has ended (PIPL art. 47 para. 2; DOMAIN.md req. 13), hourly.
 */
import type { Job, Store } from '../../platform/runtime/index.js';

export const EXEMPTIONS_JOB = 'disposal.exemptions';

export function disposalJobs(): Job[] {
  return [
    {
      name: EXEMPTIONS_JOB,
      everyMs: 3_600_000,
      async run(store: Store) {
        const { disposalContext } = await import('./context.js');
        const { disposeExpiredExemptions } = await import('./retained.js');
        const ctx = disposalContext(store, `job:${EXEMPTIONS_JOB}`);
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
