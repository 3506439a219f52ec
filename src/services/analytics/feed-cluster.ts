// SPDX-License-Identifier: Apache-2.0
/**
 * @module Input parties for holders' data sources, run as a local cluster (one process, real
 * pinned TLS on loopback): what `analytics run --feeds DIR` and the tests use. Deployments run
 * each party as its own process with `healthcode party --config FILE` instead.
 */
import { startLocalCluster, type LocalCluster } from '../../foundation/privacy/index.js';
import type { Random } from '../../kernel/shared/index.js';
import { buildLocalInput, type HolderData, type StatisticsConsentPort } from './local.js';

/** Starts one input party per holder plus `computeCount` compute parties. */
export function startFeedCluster(
  holders: readonly HolderData[],
  consent: StatisticsConsentPort,
  options: {
    computeCount?: number;
    allowNoiseOff?: boolean;
    random?: Random;
    log?: (m: string) => void;
    onProvide?: (holder: string) => void;
  } = {},
): Promise<LocalCluster> {
  return startLocalCluster({
    inputs: holders.map((h) => ({
      name: h.holder,
      provider: async (job) => {
        options.onProvide?.(h.holder);
        const local = await buildLocalInput(job, h, consent, options.random);
        options.log?.(
          `${h.holder}: ${local.stats.persons} persons contribute (${local.stats.refusedByConsent} subscribers refused by consent)`,
        );
        return local;
      },
    })),
    ...(options.computeCount !== undefined ? { computeCount: options.computeCount } : {}),
    ...(options.allowNoiseOff ? { allowNoiseOff: true } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
