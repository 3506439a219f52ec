// SPDX-License-Identifier: Apache-2.0
/**
 * @module Wires the rights workflow (src/lifecycle/rights) to an open instance: the audit log, the holiday calendar of
 * the data dir, the instance's time zone and controller, identity by one-time code (the outbox's
 * codes, recipients keyed by the vault's blind index, codes sent only to phones the vault
 * knows), and an executor for every request type — access, copy, portability, correction and
 * explanation over the vault, deletion through disposal's executor (crypto-erasure with a
 * certificate), withdrawal on the consent ledger. The vault is opened up front (outside any
 * transaction); disposal on first use.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../../platform/runtime/index.js';
import type { Database } from '../../../platform/db/schema.js';
import { hmacSha256 } from '../../../kernel/crypto/index.js';
import { createAuditLog } from '../../../foundation/audit/index.js';
import { FileOutbox } from '../../../foundation/outbox/index.js';
import { consentRuntime, receiptSigningKey } from '../../../personal/consent/index.js';
import { blindIndex, type InstanceVault } from '../../../personal/vault/index.js';
import { correctAndReevaluate, openSubjectCodes } from '../../../services/codes/index.js';
import { deletionExecutor } from '../../../lifecycle/disposal/index.js';
import { disposalContext } from './disposal.js';
import {
  consentWithdrawalExecutor,
  correctionExecutor,
  explanationExecutor,
  exportExecutor,
  loadCalendar,
  otpIdentityPort,
  portabilityExecutor,
  type ColourReevaluation,
  type IdentityPort,
  type RequestType,
  type RightsExecutor,
  type RightsExtra,
  type RightsRuntime,
  type VaultRightsPorts,
} from '../../../lifecycle/rights/index.js';
import { instanceVault } from './vault.js';

/** An executor built on first use (opening the vault costs an audit-log init). */
function lazy(make: () => Promise<RightsExecutor>): RightsExecutor {
  let made: Promise<RightsExecutor> | undefined;
  return {
    async execute(db, request, options) {
      made ??= make();
      return (await made).execute(db, request, options);
    },
  };
}

export async function rightsRuntime(store: Store, extra: RightsExtra = {}): Promise<RightsRuntime> {
  // Opened now, before any request transaction: on SQLite the vault's audit-log init inside one
  // (e.g. resolving an audit id while a request row is being written) would wait on itself.
  const opened: Promise<InstanceVault> = instanceVault(store);
  // The vault answers each subject's age for the ledger (PIPL art. 31).
  const consent = await consentRuntime(store, { subjects: (await opened).vault });
  const vault = () => opened;
  let ports: Promise<VaultRightsPorts> | undefined;
  const vaultPorts = () =>
    (ports ??= (async () => {
      const iv = await vault();
      const log = createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() });
      return {
        vault: iv.vault,
        trail: (auditId: string) => log.trail(auditId),
        controller: store.config.responsibleParty,
        dataDir: store.paths.root,
        now: () => store.clock.now(),
        random: store.random,
        packageKey: () => receiptSigningKey(consent.deps),
        colour: extra.colour ?? codesColourReevaluation(store),
      } satisfies VaultRightsPorts;
    })());
  const withPorts = (
    make: (p: VaultRightsPorts) => RightsExecutor | Promise<RightsExecutor>,
  ): RightsExecutor => lazy(async () => make(await vaultPorts()));
  const executors: Partial<Record<RequestType, RightsExecutor>> = {
    access: withPorts(exportExecutor),
    copy: withPorts(exportExecutor),
    portability: withPorts(portabilityExecutor),
    correction: withPorts(correctionExecutor),
    explanation: withPorts(explanationExecutor),
    deletion: lazy(async () => {
      const ctx = disposalContext(store, 'system:rights');
      await ctx.prepare();
      return deletionExecutor(ctx);
    }),
    withdrawal: consentWithdrawalExecutor(consent.deps),
    ...extra.executors,
  };
  return {
    deps: {
      db: store.db.kysely,
      clock: store.clock,
      random: store.random,
      audit: consent.deps.audit,
      auditIds: {
        async auditIdOf(db: Kysely<Database>, subjectId: string) {
          return (await vault()).vault.auditIdOf(db, subjectId);
        },
      },
      calendar: loadCalendar(store.paths.root),
      timeZone: store.config.timeZone,
      controller: store.config.responsibleParty,
      executors,
    },
    identity: extra.identity ?? (await instanceIdentity(store, vault)),
    vaultPorts,
    async finish() {
      await consent.finish();
      await (await opened).finish();
    },
  };
}

/**
 * The codes capability re-evaluates the colour after a correction (PIPL art. 46; req. 08's human
 * review when the requester asks). Runs after the correction committed, outside any transaction.
 */
function codesColourReevaluation(store: Store): ColourReevaluation {
  return {
    async reevaluate(subjectId, request) {
      const sc = await openSubjectCodes(store, instanceVault);
      try {
        const outcome = await correctAndReevaluate(
          sc,
          subjectId,
          { actor: `request:${request.id}`, role: 'system' },
          { humanReview: request.humanReview, requestId: request.id },
        );
        return { changed: outcome.changed, reviewId: outcome.reviewId };
      } finally {
        await sc.finish();
      }
    },
  };
}

/**
 * Identity by one-time code for an instance: codes go through the file outbox (`DIR/outbox`),
 * keyed by the vault's blind index of the phone; the code-hash key is derived from the
 * instance's lookup key (kept in the key store, never in the database). The phone proves its
 * subscriber subject, and through a proven link the citizen, who is then the request's subject.
 */
export async function instanceIdentity(
  store: Store,
  vault: () => Promise<InstanceVault>,
): Promise<IdentityPort> {
  const lookupKey = await store.keyring.instanceKey('lookup');
  return otpIdentityPort(
    {
      db: store.db,
      clock: store.clock,
      random: store.random,
      outbox: new FileOutbox(store.paths.outbox),
      recipientKey: (to) => blindIndex(lookupKey, 'subscriber', to),
      codeKey: hmacSha256(lookupKey, 'healthcode/otp-code-key/v1'),
    },
    {
      async subjectByPhone(_db, phone) {
        const sys = (await vault()).vault.systemRepository({
          actor: 'system:rights-identity',
          purpose: 'security',
        });
        const subscriber = await sys.findSubscriber(phone);
        if (subscriber === undefined) {
          return undefined;
        }
        const citizens = await sys.links(subscriber);
        return citizens.length === 1 ? citizens[0] : subscriber;
      },
    },
  );
}
