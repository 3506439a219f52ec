// SPDX-License-Identifier: Apache-2.0
/**
 * @module The seeding sink of an instance: the vault's bulk {@link PopulationSink} wired to the
 * instance's audit log and — for `seed --consents` and the demo — to the consent ledger, so the
 * residents' synthetic consents land in the same transaction as their subjects. Finishing signs
 * an audit checkpoint when the seed appended (what every command that appended does).
 */
import type { Store } from '../../../platform/runtime/store.js';
import { createAuditLog, signCheckpointIfGrown } from '../../../foundation/audit/index.js';
import type { PopulationSink } from '../../../foundation/sim/index.js';
import { consentSeeder } from '../../../personal/consent/index.js';
import { createVaultSink, type ConsentSeedingPort } from '../../../personal/vault/index.js';

export interface SeedingSinkOptions {
  /** Who writes (usually `system:seed`). */
  readonly actor: string;
  /** Also seed the residents' synthetic consents into the consent ledger. */
  readonly consents?: boolean;
}

/** The consent ledger as the vault sink's consent port. */
function consentSeeding(store: Store): ConsentSeedingPort {
  return { prepare: (newId) => consentSeeder(store, newId) };
}

/** Opens the instance's audit log and returns the vault sink writing to it. */
export async function seedingSink(
  store: Store,
  options: SeedingSinkOptions,
): Promise<PopulationSink> {
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const audit = createAuditLog(store, deps);
  await audit.init();
  const sink = createVaultSink(store, {
    actor: options.actor,
    audit,
    ...(options.consents === true ? { consents: consentSeeding(store) } : {}),
  });
  return {
    write: (batch) => sink.write(batch),
    async finish() {
      const counts = await sink.finish();
      await signCheckpointIfGrown(store, deps);
      return counts;
    },
  };
}
