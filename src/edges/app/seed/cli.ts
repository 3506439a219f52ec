// SPDX-License-Identifier: Apache-2.0
/**
 * @module The `healthcode seed` command body (loaded when the command runs): validates flags,
 * refuses canary and feed outputs inside the data dir before anything is created, opens
 * (creating) the instance with a synthetic responsible party, seeds through the vault's
 * encrypted sink wired by the root, and records the codes' stand-in assessment.
 */
import { SingleBar } from 'cli-progress';
import {
  ok,
  openCommandStore,
  type CommandEnv,
  type CommandOutcome,
} from '../../../platform/runtime/cli-kit.js';
import { dataPaths, openDataDir } from '../../../platform/runtime/data-dir.js';
import {
  buildCityMap,
  checkSeedOutputs,
  seedPopulation,
  supportedPrefectures,
  SYNTHETIC_OPERATOR,
  type SeedRequest,
  simErrors,
} from '../../../foundation/sim/index.js';
import { recordSyntheticAssessments } from '../../../services/codes/index.js';
import { UsageError } from '../../../kernel/shared/index.js';
import { normaliseRegion } from '../../../kernel/domain/index.js';
import { seedingSink } from './sink.js';

function positiveInt(text: string, flag: string, max: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${flag} takes an integer from 1 to ${max}`);
  }
  return Number(text);
}

export function parseSeedFlags(flags: {
  people: string;
  days: string;
  seed: string;
  canaries?: string;
  canaryCount?: string;
  carrierFeeds?: string;
  prefecture?: string;
  consents?: boolean;
}): SeedRequest {
  if (!/^\d+$/.test(flags.seed.trim()) || !Number.isSafeInteger(Number(flags.seed))) {
    throw new UsageError('--seed takes a non-negative integer');
  }
  let prefecture: string | undefined;
  if (flags.prefecture !== undefined) {
    prefecture = normaliseRegion(flags.prefecture.trim());
    if (!supportedPrefectures().includes(prefecture)) {
      throw new UsageError(
        `--prefecture: the sim has maps for ${supportedPrefectures().join(', ')}`,
      );
    }
  }
  return {
    people: positiveInt(flags.people, '--people', 10_000_000),
    days: positiveInt(flags.days, '--days', 366),
    seed: Number(flags.seed),
    ...(prefecture === undefined ? {} : { prefecture }),
    ...(flags.canaries === undefined
      ? {}
      : {
          canaryFile: flags.canaries,
          canaryCount: positiveInt(flags.canaryCount ?? '5', '--canary-count', 1000),
        }),
    ...(flags.carrierFeeds === undefined ? {} : { carrierFeeds: flags.carrierFeeds }),
    ...(flags.consents === true ? { consents: true } : {}),
  };
}

export async function runSeed(
  env: CommandEnv,
  flags: Parameters<typeof parseSeedFlags>[0],
): Promise<CommandOutcome> {
  const request = parseSeedFlags(flags);
  // Refuse before the data dir is created or anything is written.
  checkSeedOutputs(request, dataPaths(env.dataDir).root);
  buildCityMap(request.prefecture);
  const initialConfig = { synthetic: true, responsibleParty: { ...SYNTHETIC_OPERATOR } };
  // Fake people must never mix with real ones (PIPL art. 8: accurate, complete data): an
  // existing instance must be marked synthetic, checked before its database is touched.
  if (!openDataDir(env.dataDir, { create: true, initialConfig }).config.synthetic) {
    throw new simErrors.NotSyntheticInstanceError(
      'refusing to seed synthetic residents into an instance whose config.json is not "synthetic": true',
    );
  }
  const store = await openCommandStore(env, { create: true, initialConfig });
  const bar = new SingleBar({
    format: 'seed [{bar}] {percentage}% | {value}/{total} residents | ETA {eta}s',
    stream: process.stderr,
    hideCursor: true,
  });
  try {
    const sink = await seedingSink(store, {
      actor: 'system:seed',
      consents: request.consents === true,
    });
    bar.start(request.people, 0);
    const summary = await seedPopulation(
      {
        dataDir: store.paths.root,
        timeZone: store.config.timeZone,
        now: store.clock.now(),
        sink,
        onProgress: (done) => bar.update(done),
      },
      request,
    );
    // Colour decisions about the synthetic residents need an assessment of the rules (PIPL
    // art. 55): a stand-in that says it covers invented people only.
    await recordSyntheticAssessments(store);
    return ok(
      summary,
      `seeded ${summary.subjects} synthetic residents × ${summary.days} days ` +
        `(${summary.records} records, ${summary.events} cell events) in ${summary.seconds} s`,
    );
  } finally {
    bar.stop();
    await store.close();
  }
}
