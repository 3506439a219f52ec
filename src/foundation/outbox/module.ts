// SPDX-License-Identifier: Apache-2.0
/** @module The outbox capability as one module object (one-time codes and notices), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';

export const outboxModule: CapabilityModule = {
  name: 'outbox',
  migrations: async () => (await import('./repository.js')).outboxMigrations,
  jobs: async () => [(await import('./jobs.js')).outboxPurgeJob],
};
