// SPDX-License-Identifier: Apache-2.0
/**
 * @module Wires the rights workflow to an open instance: the audit log, the holiday calendar of
 * the data dir, the instance's time zone and controller, identity by one-time code (the outbox's
 * codes, recipients keyed by the vault's blind index, codes sent only to phones the vault
 * knows), and an executor for every request type — access, copy, portability, correction and
 * explanation over the vault, deletion through disposal's executor (crypto-erasure with a
 * certificate), withdrawal on the consent ledger. The vault is opened up front (outside any
 * transaction); disposal on first use.
 */
import type { Store } from '../app/index.js';
import { consentRuntime } from '../consent/wiring.js';
import { receiptSigningKey } from '../consent/receipts.js';
import { hmacSha256 } from '../crypto/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { InstanceVault } from '../vault/index.js';
import { loadCalendar } from './calendar-file.js';
import { consentWithdrawalExecutor } from './executors.js';
import { otpIdentityPort } from './identity.js';
import type { IdentityPort, RightsExecutor } from './ports.js';
import type { RightsDeps } from './service.js';
import type { RequestType } from './model.js';
import type { ColourReevaluation, VaultRightsPorts } from './vault-executors.js';

export interface RightsRuntime {
  readonly deps: RightsDeps;
  readonly identity: IdentityPort | undefined;
  /** The vault-backed ports (opens the vault on first call). */
  vaultPorts(): Promise<VaultRightsPorts>;
  finish(): Promise<void>;
}

export interface RightsExtra {
  readonly executors?: Partial<Record<RequestType, RightsExecutor>>;
  readonly identity?: IdentityPort;
  /** The codes capability's colour re-evaluation after a correction, when wired. */
  readonly colour?: ColourReevaluation;
}

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
  const opened: Promise<InstanceVault> = import('../vault/index.js').then((m) =>
    m.instanceVault(store),
  );
  // The vault answers each subject's age for the ledger (PIPL art. 31).
  const consent = await consentRuntime(store, { subjects: (await opened).vault });
  const vault = () => opened;
  let ports: Promise<VaultRightsPorts> | undefined;
  const vaultPorts = () =>
    (ports ??= (async () => {
      const iv = await vault();
      const { createAuditLog } = await import('../audit/index.js');
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
  const ve = () => import('./vault-executors.js');
  const executors: Partial<Record<RequestType, RightsExecutor>> = {
    access: withPorts(async (p) => (await ve()).exportExecutor(p)),
    copy: withPorts(async (p) => (await ve()).exportExecutor(p)),
    portability: withPorts(async (p) => (await ve()).portabilityExecutor(p)),
    correction: withPorts(async (p) => (await ve()).correctionExecutor(p)),
    explanation: withPorts(async (p) => (await ve()).explanationExecutor(p)),
    deletion: lazy(async () => {
      const { disposalContext, deletionExecutor } = await import('../disposal/index.js');
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
      const { openSubjectCodes, correctAndReevaluate } = await import('../codes/index.js');
      const sc = await openSubjectCodes(store);
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
  const { FileOutbox } = await import('../outbox/index.js');
  const { blindIndex } = await import('../vault/index.js');
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
