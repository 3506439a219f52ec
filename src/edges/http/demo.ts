// SPDX-License-Identifier: Apache-2.0
/**
 * @module Seeds the demo instance with a small synthetic city on first run, through the same
 * encrypted vault sink `healthcode seed` uses, with the residents' synthetic consents and the
 * carriers' feeds beside the data dir. Every person is invented; the config says so.
 */
import type { Logger, Store } from '../../platform/runtime/index.js';

/** Residents in the demo city (the cap is 2,000 so `npm start` listens within 10 s). */
export const DEMO_PEOPLE = 1000;
/** Days of history: the trip-card window. */
export const DEMO_DAYS = 14;
/** The demo city's seed: `/api/demo/residents` regenerates its first residents from it. */
export const DEMO_SEED = 1;

export async function seedDemoCity(store: Store, logger: Logger): Promise<void> {
  const { seedPopulation } = await import('../../foundation/sim/index.js');
  const { seedingSink } = await import('../app/seed/sink.js');
  const { carrierFeedsDir } = await import('./routes-analytics.js');
  const summary = await seedPopulation(
    {
      dataDir: store.paths.root,
      timeZone: store.config.timeZone,
      now: store.clock.now(),
      // With the residents' synthetic consents, so the portal shows them and analytics filters.
      sink: await seedingSink(store, { actor: 'system:seed', consents: true }),
    },
    {
      people: DEMO_PEOPLE,
      days: DEMO_DAYS,
      seed: DEMO_SEED,
      // The carriers' side of the same city, beside DIR: what `POST /api/analyst/queries` reads.
      carrierFeeds: carrierFeedsDir(store),
    },
  );
  const linked = await linkDemoResidents(store);
  logger.info(
    { people: summary.people, records: summary.records, seconds: summary.seconds, linked },
    'demo: seeded a synthetic city',
  );
}

/** A synthetic resident the demo login offers (their real-name record and primary phone). */
export interface DemoPerson {
  readonly phone: string;
  readonly name: string;
  readonly idNumber: string;
}

/** How many synthetic residents the demo login offers. */
export const DEMO_RESIDENTS = 5;

/**
 * The first adult residents of the demo city, regenerated from the demo's seed by the sim's
 * deterministic generator (same options, same people as the vault holds; the vault keeps phones
 * encrypted and is not read for this). Only the first batch is generated.
 */
export async function demoPeople(store: Store): Promise<DemoPerson[]> {
  const { generatePopulation } = await import('../../foundation/sim/index.js');
  const batches = generatePopulation({
    people: DEMO_PEOPLE,
    days: DEMO_DAYS,
    seed: DEMO_SEED,
    end: store.clock.now(),
    timeZone: store.config.timeZone,
    batchSize: 20,
  });
  const first = batches.next();
  const out: DemoPerson[] = [];
  for (const r of first.done === true ? [] : first.value) {
    if (r.type === 'resident' && r.resident.guardianSeq === undefined && !r.resident.canary) {
      const { phone, name, idNumber } = r.resident;
      out.push({ phone, name, idNumber });
    }
    if (out.length === DEMO_RESIDENTS) {
      break;
    }
  }
  return out;
}

/**
 * The seed keeps SIMs unlinked from people (only the person can prove both). The residents the
 * demo login offers are linked as if they had completed the app's real-name registration, so a
 * visitor who logs in with their phone sees that person's code, data and consents.
 */
async function linkDemoResidents(store: Store): Promise<number> {
  const { instanceVault } = await import('../app/wiring/vault.js');
  const iv = await instanceVault(store);
  try {
    const sys = iv.vault.systemRepository({ actor: 'system:seed', purpose: 'maintenance' });
    let linked = 0;
    for (const person of await demoPeople(store)) {
      const citizen = await sys.findCitizen(person.idNumber);
      const subscriber = await sys.findSubscriber(person.phone);
      if (citizen !== undefined && subscriber !== undefined) {
        await sys.link(citizen, subscriber);
        linked += 1;
      }
    }
    return linked;
  } finally {
    await iv.finish();
  }
}
