// SPDX-License-Identifier: Apache-2.0
/**
 * @module Seeds the demo instance with a small synthetic city on first run, through the same
 * encrypted vault sink `healthcode seed` uses. Every person is invented; the config says so.
 */
import type { Logger, Store } from '../app/index.js';

/** Residents in the demo city (the cap is 2,000 so `npm start` listens within 10 s). */
export const DEMO_PEOPLE = 1000;
/** Days of history: the trip-card window. */
export const DEMO_DAYS = 14;

export async function seedDemoCity(store: Store, logger: Logger): Promise<void> {
  const { seedPopulation } = await import('../sim/index.js');
  const { createVaultSink } = await import('../vault/index.js');
  const summary = await seedPopulation(
    {
      dataDir: store.paths.root,
      timeZone: store.config.timeZone,
      now: store.clock.now(),
      sink: createVaultSink(store, { actor: 'system:seed' }),
    },
    { people: DEMO_PEOPLE, days: DEMO_DAYS, seed: 1 },
  );
  logger.info(
    { people: summary.people, records: summary.records, seconds: summary.seconds },
    'demo: seeded a synthetic city',
  );
}
