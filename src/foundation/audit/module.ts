// SPDX-License-Identifier: Apache-2.0
/** @module The audit capability as one module object (the RFC 9162 Merkle log, checkpoints and proofs), collected by the composition root. */
import type { CapabilityModule } from '../../platform/runtime/module.js';
import { registerAuditCommands } from './commands.js';

export const auditModule: CapabilityModule = {
  name: 'audit',
  migrations: async () => (await import('./migrations.js')).auditMigrations,
  jobs: async () => (await import('./jobs.js')).auditJobs((store) => store.keyring.keyWrapper()),
  commands: registerAuditCommands,
};
