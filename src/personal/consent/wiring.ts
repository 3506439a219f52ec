// SPDX-License-Identifier: Apache-2.0
/**
 * @module Wires the consent capability to an open instance: the Merkle audit log as the
 * AuditPort, the keyring's KeyWrapper for the receipt key, the configured controller and record
 * retention, and — where the caller assembling the instance passes it — the vault's answer to a
 * subject's age. Commands and jobs use it; `finish` signs an audit checkpoint when the log grew.
 *
 * On SQLite the key store is attached to the one database connection, so keys must be loaded
 * before a transaction holds that connection: the runtime loads the audit log's month keys and
 * the receipt-signing key (which warms the keyring's wrapper key) up front.
 */
import type { Store } from '../../platform/runtime/index.js';
import { createAuditLog, signCheckpointIfGrown } from '../../foundation/audit/index.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import { ConsentGuard } from './guard-service.js';
import type { SubjectFactsPort } from './internal.js';
import type { LedgerDeps } from './ledger.js';
import { receiptSigningKey } from './receipts.js';

export interface ConsentRuntime {
  readonly deps: LedgerDeps;
  /** Signs and publishes a checkpoint if this run appended to the audit log. */
  finish(): Promise<void>;
}

/** What the place that assembles an instance hands the consent capability. */
export interface ConsentRuntimeOptions {
  /**
   * The vault's answer to a subject's age (PIPL art. 31), so grants and guard decisions do not
   * rest on the caller's word; the consent capability never imports the vault itself.
   */
  readonly subjects?: SubjectFactsPort;
}

/** Opens a subject-facts port for an instance (the composition root passes the vault's). */
export type SubjectFactsSource = (store: Store) => Promise<SubjectFactsPort>;

export async function consentRuntime(
  store: Store,
  options: ConsentRuntimeOptions = {},
): Promise<ConsentRuntime> {
  const keys = store.keyring.keyWrapper();
  const audit = createAuditLog(store, { keyWrapper: keys });
  let appended = false;
  const deps: LedgerDeps = {
    db: store.db.kysely,
    clock: store.clock,
    random: store.random,
    audit: {
      async append(db, events) {
        await audit.append(db, events);
        appended ||= events.length > 0;
      },
    },
    keys,
    controller: store.config.responsibleParty,
    recordsYears: store.config.retention.recordsYears,
    ...(options.subjects === undefined ? {} : { subjects: options.subjects }),
  };
  await audit.preparePeriodKeys();
  await receiptSigningKey(deps);
  return {
    deps,
    async finish() {
      if (appended) {
        await signCheckpointIfGrown(store, { keyWrapper: keys });
      }
    },
  };
}

/**
 * The purpose guard the vault of an instance uses (PIPL arts. 13–15, 29, 31; DESIGN.md §5):
 * the consent row and the catalogue version read from the database on every decision, logging
 * left to the vault, whose audit leaf for the read records `decision.reason` (one leaf per read).
 */
export function vaultGuard(store: Store, audit: AuditPort): ConsentGuard {
  return new ConsentGuard(
    {
      db: store.db.kysely,
      clock: store.clock,
      random: store.random,
      audit,
      controller: store.config.responsibleParty,
      recordsYears: store.config.retention.recordsYears,
    },
    { log: 'caller' },
  );
}
