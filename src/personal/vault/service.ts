// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault's use cases (DESIGN.md §3, §5): repositories per access context, a visibly
 * separate system repository for maintenance, security and purge, the restricted state
 * (PIPL art. 47 para. 2), crypto-erasure, and the views other capabilities need (audit ids for
 * the consent guard, subject holdings and residue for disposal).
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/store.js';
import type { Database } from '../../platform/db/schema.js';
import {
  DATA_CATEGORIES,
  DATA_GROUPS,
  isDataCategory,
  isDataGroup,
} from '../../kernel/domain/index.js';
import { VaultCore, type VaultDeps } from './core.js';
import { VaultPurposeUnknownError } from './errors.js';
import {
  eraseSubjects,
  resumeErasures,
  vacuumVaultStorage,
  type EraseOptions,
  type EraseReport,
  type EraseRequest,
  type EraseTarget,
} from './erase.js';
import { VaultRepository } from './access.js';
import { subjectUnder14 } from './age.js';
import {
  isSystemPurpose,
  PURPOSES,
  SUBJECT_SCOPE,
  type AccessContext,
  type SystemPurpose,
} from './model.js';
import * as repo from './repository.js';

/** What a subject holds, by category (counts only). */
export interface SubjectHoldings {
  readonly subjectId: string;
  readonly kind: string;
  readonly records: ReadonlyArray<{ category: string; records: number }>;
}

/**
 * Opens the vault of an instance with its ports.
 *
 * @example
 * const vault = openVault(store, { audit });
 * const repo = vault.repository({ actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' });
 * const { subjectId } = await repo.ensureCitizen(idNumberFromStdin);
 * await repo.put(subjectId, 'temperature', { celsius: 36.6, at: '2026-11-28T08:00:00+08:00' });
 */
export function openVault(store: Store, deps: VaultDeps): Vault {
  return new Vault(new VaultCore(store, deps));
}

export class Vault {
  readonly #core: VaultCore;

  constructor(core: VaultCore) {
    this.#core = core;
  }

  /** A repository for one business access context; the guard decides its reads. */
  repository(ctx: AccessContext): VaultRepository {
    assertActor(ctx.actor);
    if (!(PURPOSES as readonly string[]).includes(ctx.purpose)) {
      throw new VaultPurposeUnknownError(
        isSystemPurpose(ctx.purpose)
          ? 'system purposes go through systemRepository()'
          : 'unknown purpose; see the purpose catalogue',
      );
    }
    return new VaultRepository(this.#core, ctx, false);
  }

  /**
   * The system repository: storage maintenance, security and purge (PIPL art. 47 para. 2) —
   * the only access that reaches restricted data. Still audited; never for business reads.
   */
  systemRepository(ctx: { actor: string; purpose: SystemPurpose }): VaultRepository {
    assertActor(ctx.actor);
    if (!isSystemPurpose(ctx.purpose)) {
      throw new VaultPurposeUnknownError('systemRepository takes maintenance, security or purge');
    }
    return new VaultRepository(this.#core, { ...ctx, role: 'system' }, true);
  }

  /** Crypto-erases one subject: everything, or some groups / categories. */
  async erase(subjectId: string, target: EraseTarget, options: EraseOptions): Promise<EraseReport> {
    return eraseSubjects(this.#core, [{ subjectId, ...target }], options);
  }

  /** Crypto-erases many subjects in batches (resumable: re-run the same list after a crash). */
  async eraseMany(requests: readonly EraseRequest[], options: EraseOptions): Promise<EraseReport> {
    return eraseSubjects(this.#core, requests, options);
  }

  /** Finishes erasures a crash interrupted. */
  async resumeErasures(actor: string): Promise<{ resumed: number; rowsDeleted: number }> {
    return resumeErasures(this.#core, actor);
  }

  /** Scrubs freed pages (after bulk deletes done elsewhere). */
  async scrub(): Promise<void> {
    await vacuumVaultStorage(this.#core);
  }

  /**
   * Puts a subject, group or category into the restricted state: business reads and writes are
   * refused with ERR_VAULT_RESTRICTED until {@link unrestrict}. `scope` is `*`, a group or a
   * category; `reason` is a short non-personal code (e.g. `retention:csl-21`).
   */
  async restrict(
    subjectId: string,
    scope: string,
    options: { actor: string; reason: string },
  ): Promise<void> {
    assertRestrictionScope(scope);
    const core = this.#core;
    const row = await core.subjectRow(core.db, subjectId);
    const meta = await core.meta(core.db, row);
    await core.dataTx(async (trx) => {
      await repo.putRestriction(trx, {
        subject_id: subjectId,
        scope,
        since: core.now().getTime(),
        reason: options.reason.slice(0, 100),
      });
      await core.emit(trx, [
        {
          kind: 'system',
          actor: options.actor,
          action: 'restrict',
          outcome: 'ok',
          at: core.now(),
          subjectAuditId: meta.auditId,
          ...(scope === '*' ? {} : { category: scope }),
          details: { reason: options.reason.slice(0, 100) },
        },
      ]);
    });
  }

  /** Lifts a restriction. */
  async unrestrict(subjectId: string, scope: string, options: { actor: string }): Promise<boolean> {
    assertRestrictionScope(scope);
    const core = this.#core;
    const row = await core.subjectRow(core.db, subjectId);
    const meta = await core.meta(core.db, row);
    return core.dataTx(async (trx) => {
      const n = await repo.deleteRestriction(trx, subjectId, scope);
      await core.emit(trx, [
        {
          kind: 'system',
          actor: options.actor,
          action: 'unrestrict',
          outcome: n > 0 ? 'ok' : 'not-restricted',
          at: core.now(),
          subjectAuditId: meta.auditId,
          ...(scope === '*' ? {} : { category: scope }),
        },
      ]);
      return n > 0;
    });
  }

  /** The restriction scopes of a subject. */
  async restrictions(subjectId: string): Promise<string[]> {
    return (await repo.restrictionsOf(this.#core.db, subjectId)).map((r) => r.scope).sort();
  }

  /**
   * The random audit id of a subject (the consent guard's AuditIdPort), read through `db` so it
   * works inside the caller's transaction; undefined when the subject is unknown or erased.
   */
  async auditIdOf(db: Kysely<Database>, subjectId: string): Promise<string | undefined> {
    const row = await repo.subjectById(db, subjectId);
    if (row === undefined) {
      return undefined;
    }
    return (await this.#core.meta(db, row)).auditId;
  }

  /**
   * Whether the subject is under 14 at `at` (PIPL art. 31), from the birth date the vault keeps
   * (a SIM: its linked citizens'): the consent ledger's SubjectFactsPort. Read through `db` so it
   * works inside the caller's transaction; undefined when the subject is unknown or its age is.
   */
  async isUnder14(db: Kysely<Database>, subjectId: string, at: Date): Promise<boolean | undefined> {
    const row = await repo.subjectById(db, subjectId);
    if (row === undefined) {
      return undefined;
    }
    return subjectUnder14(this.#core, db, row, await this.#core.meta(db, row), at);
  }

  /** The kind of a subject, or undefined. */
  async kindOf(subjectId: string): Promise<string | undefined> {
    return (await repo.subjectById(this.#core.db, subjectId))?.kind;
  }

  /** Subjects in ascending id order after `after`, with record counts per category. */
  async subjects(after: string | null, limit: number): Promise<SubjectHoldings[]> {
    const page = await repo.subjectsPage(this.#core.db, after, limit);
    const counts = await repo.countsBySubject(
      this.#core.db,
      page.map((p) => p.id),
    );
    // Grouped once: filtering the page's counts per subject was quadratic in the page size.
    const bySubject = new Map<string, { category: string; records: number }[]>();
    for (const c of counts) {
      const list = bySubject.get(c.subject_id) ?? [];
      list.push({ category: c.category, records: c.n });
      bySubject.set(c.subject_id, list);
    }
    return page.map((p) => ({
      subjectId: p.id,
      kind: p.kind,
      records: bySubject.get(p.id) ?? [],
    }));
  }

  /** Live data keys and rows still present for subjects (disposal's verification step). */
  async residue(
    subjectIds: readonly string[],
    groups: readonly string[] = [...DATA_GROUPS, SUBJECT_SCOPE],
  ): Promise<{ keysPresent: number; rowsRemaining: number }> {
    let keysPresent = 0;
    let rowsRemaining = 0;
    for (let i = 0; i < subjectIds.length; i += 500) {
      const ids = subjectIds.slice(i, i + 500);
      const k = await this.#core.keyring.store
        .selectFrom('dek')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subject_id', 'in', ids)
        .where('scope', 'in', groups)
        .where('wrapped', 'is not', null)
        .executeTakeFirstOrThrow();
      keysPresent += Number(k.n);
      const r = await this.#core.db
        .selectFrom('vault_record')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subject_id', 'in', ids)
        .where('grp', 'in', groups)
        .executeTakeFirstOrThrow();
      rowsRemaining += Number(r.n);
      if (groups.includes(SUBJECT_SCOPE)) {
        const s = await this.#core.db
          .selectFrom('vault_subject')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', 'in', ids)
          .executeTakeFirstOrThrow();
        rowsRemaining += Number(s.n);
      }
    }
    return { keysPresent, rowsRemaining };
  }
}

function assertActor(actor: string): void {
  if (typeof actor !== 'string' || actor.length === 0 || actor.length > 200) {
    throw new RangeError('"actor" expected a non-empty string of at most 200 characters');
  }
}

function assertRestrictionScope(scope: string): void {
  if (scope !== '*' && !isDataGroup(scope) && !isDataCategory(scope)) {
    throw new RangeError(
      `"scope" expected "*", a data group or a data category (${DATA_CATEGORIES.join(', ')})`,
    );
  }
}
