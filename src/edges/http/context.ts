// SPDX-License-Identifier: Apache-2.0
/**
 * @module What route handlers share: the open store and the capabilities wired over it once per
 * server (STYLE.md §19) — the audit log, the stored health-code issuer with a short-lived cache of
 * its signed trust list (verification is offline: the list is all `POST /api/verify` reads), and
 * the consent ledger's dependencies.
 */
import { join } from 'node:path';
import type { Store } from '../../platform/runtime/index.js';
import { createAuditLog, type AuditLog } from '../../foundation/audit/index.js';
import {
  openCodesService,
  openSubjectCodes,
  vaultColourPorts,
  type Actor,
  type SubjectCodes,
  parseTrustList,
  type CodesService,
  type RevocationList,
  type TrustList,
} from '../../services/codes/index.js';
import {
  consentRuntime,
  type ConsentRuntime,
  type LedgerDeps,
} from '../../personal/consent/index.js';
import type { RightsRuntime } from '../../lifecycle/rights/index.js';
import { instanceVault, rightsRuntime } from '../app/wiring/index.js';
import { riskAreaReader } from './risk-areas.js';

export interface TrustState {
  /** The signed trust list as `code trust-list` writes it. */
  readonly text: string;
  readonly trustList: TrustList;
  readonly revocations: RevocationList;
}

export interface HttpContext {
  readonly store: Store;
  readonly demo: boolean;
  /** Where the API keeps disposal plan files (`DIR/reports/plans`: operator documents). */
  readonly plansDir: string;
  /** Disposal runs started by this server, by plan id. */
  readonly runs: Map<string, Promise<unknown>>;
  audit(): Promise<AuditLog>;
  codes(): CodesService;
  trust(): Promise<TrustState>;
  consentDeps(): LedgerDeps;
  /**
   * The consent ledger wired with its receipt key loaded and the vault's answer to a subject's
   * age (citizen consent acts).
   */
  consent(): Promise<ConsentRuntime>;
  /** The rights workflow: identity by one-time code, executors over the vault. */
  rights(): Promise<RightsRuntime>;
  /** The subject-facing side of health codes (vault ports, issuer keys, risk areas). */
  subjectCodes(): Promise<SubjectCodes>;
  /** Exports of completed portal requests (JSON text, in memory only), by request id. */
  readonly exports: Map<string, string>;
}

/** How long a signed trust list is served before it is rebuilt (revocations show within it). */
export const TRUST_CACHE_MS = 60_000;

export function createHttpContext(store: Store, options: { demo: boolean }): HttpContext {
  const wrapper = store.keyring.keyWrapper();
  let audit: Promise<AuditLog> | undefined;
  let codes: CodesService | undefined;
  let trust: { at: number; state: Promise<TrustState> } | undefined;
  let consent: LedgerDeps | undefined;
  let ledger: Promise<ConsentRuntime> | undefined;
  let rights: Promise<RightsRuntime> | undefined;
  let subjectCodes: Promise<SubjectCodes> | undefined;
  // Forgets a cached promise that failed, so the next request retries; callers still see the
  // rejection (this is cleanup, not handling).
  const retry = <T>(p: Promise<T>, reset: () => void): Promise<T> => {
    p.catch(reset);
    return p;
  };
  const ctx: HttpContext = {
    exports: new Map(),
    consent() {
      ledger ??= retry(
        (async () => {
          // The vault answers each subject's age (PIPL art. 31): grants never trust the caller.
          return consentRuntime(store, { subjects: (await instanceVault(store)).vault });
        })(),
        () => (ledger = undefined),
      );
      return ledger;
    },
    subjectCodes() {
      // The risk-area list is read at query time (re-parsed when the file changes), so a
      // `PUT /api/operator/risk-areas` reaches the next colour decision without a restart.
      subjectCodes ??= retry(
        openSubjectCodes(store, instanceVault, { riskAreas: [] }).then((sc) => {
          const riskAreas = riskAreaReader(store.paths.root);
          return {
            ...sc,
            ports: (a: Actor) => vaultColourPorts(sc.vault, { ...a, riskAreas: riskAreas() }),
          };
        }),
        () => (subjectCodes = undefined),
      );
      return subjectCodes;
    },
    rights() {
      rights ??= retry(
        (async () => {
          const rt = await rightsRuntime(store);
          // Open the vault now, outside any transaction: on SQLite a lazy open inside the
          // request's transaction would wait on the one connection that transaction holds.
          await rt.vaultPorts();
          return rt;
        })(),
        () => (rights = undefined),
      );
      return rights;
    },
    store,
    demo: options.demo,
    plansDir: join(store.paths.reports, 'plans'),
    runs: new Map(),
    audit() {
      audit ??= (async () => {
        const log = createAuditLog(store, { keyWrapper: wrapper });
        await log.init();
        return log;
      })();
      // Cleanup as in `retry`: the caller still gets the rejection.
      audit.catch(() => {
        audit = undefined;
      });
      return audit;
    },
    codes() {
      codes ??= openCodesService(store, wrapper);
      return codes;
    },
    trust() {
      const now = Date.now();
      if (trust === undefined || now - trust.at > TRUST_CACHE_MS) {
        const state = (async () => {
          const text = await ctx.codes().trustListText();
          return { text, ...parseTrustList(text) };
        })();
        trust = { at: now, state };
        // Cleanup as in `retry`: the caller still gets the rejection.
        state.catch(() => {
          trust = undefined;
        });
      }
      return trust.state;
    },
    consentDeps() {
      if (consent === undefined) {
        const log = createAuditLog(store, { keyWrapper: wrapper });
        consent = {
          db: store.db.kysely,
          clock: store.clock,
          random: store.random,
          audit: log,
          keys: wrapper,
          controller: store.config.responsibleParty,
          recordsYears: store.config.retention.recordsYears,
        };
      }
      return consent;
    },
  };
  return ctx;
}
