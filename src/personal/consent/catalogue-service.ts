// SPDX-License-Identifier: Apache-2.0
/**
 * @module The purpose and service catalogue in the database: seeded from the built-in data at
 * first use, extended and retired by operators (PIPL art. 13 bases with validity windows;
 * art. 55 PIA gate on sensitive processing and on provision to others). Reads go through a
 * per-process cache that is checked against the `consent_version` counter on every read, so a
 * change made by any process is seen at once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import { BUILTIN_PURPOSES } from './catalogue/purposes.js';
import { BUILTIN_SERVICES } from './catalogue/services.js';
import {
  CatalogueInvalidError,
  PurposeInactiveError,
  UnknownPurposeError,
  UnknownServiceError,
} from './errors.js';
import { audit, inTransaction, newId, type ConsentDeps } from './internal.js';
import { purposeToRow, rowToPurpose, rowToService, serviceToRow } from './catalogue-rows.js';
import type { Catalogue, LegalBasis, Localized, Purpose, Service } from './model.js';
import { anySensitive, derivedConsentRules, purposeProblems, serviceProblems } from './model.js';
import { publishFromCatalogue, rowToNotice, type Notice } from './notices.js';
import { piaKeepUntil, requirePia } from './pia.js';
import * as repo from './repository.js';

export type { Catalogue } from './model.js';

/** Seeds the built-in catalogue once (version 0 → 1); concurrent callers wait on the row lock. */
async function seedBuiltins(deps: Pick<ConsentDeps, 'db' | 'clock' | 'random' | 'recordsYears'>) {
  await inTransaction(deps.db, async (trx) => {
    const won = await trx
      .updateTable('consent_version')
      .set({ version: 1 })
      .where('id', '=', 1)
      .where('version', '=', 0)
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) === 0) {
      return;
    }
    const now = deps.clock.now().getTime();
    for (const seed of BUILTIN_PURPOSES) {
      const p: Purpose = {
        id: seed.id,
        name: seed.name,
        description: seed.description,
        legalBasis: seed.legalBasis,
        validFrom: new Date(seed.validFrom),
        validTo: null,
        categories: seed.categories,
        retention: seed.retention,
        recipients: seed.recipients,
        builtin: true,
        ...derivedConsentRules(seed.legalBasis, seed.categories),
      };
      await repo.insertPurpose(trx, purposeToRow(p, now));
      if (seed.pia !== undefined) {
        await repo.insertPia(trx, {
          id: newId(deps.random),
          kind: 'sensitive-processing',
          ref: seed.id,
          ...seed.pia,
          assessor: 'healthcode built-in catalogue (operator to review)',
          assessed_at: now,
          keep_until: piaKeepUntil(now, deps.recordsYears),
        });
      }
    }
    for (const seed of BUILTIN_SERVICES) {
      await repo.insertService(
        trx,
        serviceToRow(
          { ...seed, validFrom: new Date(seed.validFrom), validTo: null, builtin: true },
          now,
        ),
      );
    }
  });
}

const caches = new WeakMap<Kysely<Database>, Catalogue>();

function versionStep(deps: Pick<ConsentDeps, 'random'>): number {
  return 1 + deps.random.bytes(4).readUInt32BE(0);
}

const PURPOSE_ORDER = BUILTIN_PURPOSES.map((p) => p.id);
const SERVICE_ORDER = BUILTIN_SERVICES.map((s) => s.id);

/** Built-ins in catalogue order first, then operator additions by creation time. */
function byCatalogueOrder(order: readonly string[]) {
  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  return (a: { id: string; created_at: number }, b: { id: string; created_at: number }) =>
    rank(a.id) - rank(b.id) ||
    a.created_at - b.created_at ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The catalogue as of now. Outside a transaction, a cached copy is reused while the version
 * counter is unchanged; `knownVersion` saves the counter read when the caller already has it.
 */
export async function loadCatalogue(
  deps: Pick<ConsentDeps, 'db' | 'clock' | 'random' | 'recordsYears'>,
  knownVersion?: number,
): Promise<Catalogue> {
  const db = deps.db;
  let version = knownVersion ?? (await repo.selectCatalogueVersion(db));
  if (version === 0) {
    await seedBuiltins(deps);
    version = await repo.selectCatalogueVersion(db);
  }
  const cached = db.isTransaction ? undefined : caches.get(db);
  if (cached !== undefined && cached.version === version) {
    return cached;
  }
  const [purposes, services] = await Promise.all([
    repo.selectPurposes(db),
    repo.selectServices(db),
  ]);
  const fresh: Catalogue = {
    version,
    purposes: new Map(
      purposes.sort(byCatalogueOrder(PURPOSE_ORDER)).map((r) => [r.id, rowToPurpose(r)]),
    ),
    services: new Map(
      services.sort(byCatalogueOrder(SERVICE_ORDER)).map((r) => [r.id, rowToService(r)]),
    ),
  };
  if (!db.isTransaction) {
    caches.set(db, fresh);
  }
  return fresh;
}

/** A purpose by id, or a typed error. */
export function purposeOf(catalogue: Catalogue, id: string): Purpose {
  const p = catalogue.purposes.get(id);
  if (p === undefined) {
    throw new UnknownPurposeError(`no purpose ${JSON.stringify(id.slice(0, 60))} in the catalogue`);
  }
  return p;
}

/** An operator's new purpose; consent rules are derived from basis and categories. */
export interface PurposeInput {
  readonly id: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly legalBasis: LegalBasis;
  readonly categories: readonly DataCategory[];
  readonly retention: string;
  readonly recipients?: readonly string[];
  readonly validFrom?: Date;
  readonly validTo?: Date | null;
}

/**
 * Adds a purpose. Sensitive categories need a stored PIA (`sensitive-processing`, ref = id) and
 * recipients one of kind `provision-to-others` (PIPL art. 55(1), (3)).
 */
export async function addPurpose(
  deps: ConsentDeps,
  input: PurposeInput,
  actor: string,
): Promise<Purpose> {
  const now = deps.clock.now();
  const purpose: Purpose = {
    id: input.id,
    name: input.name,
    description: input.description,
    legalBasis: input.legalBasis,
    validFrom: input.validFrom ?? now,
    validTo: input.validTo ?? null,
    categories: [...input.categories],
    retention: input.retention,
    recipients: [...(input.recipients ?? [])],
    builtin: false,
    ...derivedConsentRules(input.legalBasis, input.categories),
  };
  const problems = purposeProblems(purpose);
  if (problems.length > 0) {
    throw new CatalogueInvalidError(`purpose definition: ${problems.join('; ')}`);
  }
  return inTransaction(deps.db, async (trx) => {
    const d = { ...deps, db: trx };
    await loadCatalogue(d);
    if ((await repo.selectPurpose(trx, purpose.id)) !== undefined) {
      throw new CatalogueInvalidError(`purpose ${purpose.id} already exists`);
    }
    if (anySensitive(purpose.categories)) {
      await requirePia(trx, 'sensitive-processing', purpose.id, now);
    }
    if (purpose.recipients.length > 0) {
      await requirePia(trx, 'provision-to-others', purpose.id, now);
    }
    await repo.insertPurpose(trx, purposeToRow(purpose, now.getTime()));
    await repo.bumpCatalogueVersion(trx, versionStep(deps));
    await republish(d, now);
    await audit(deps, trx, undefined, [
      {
        kind: 'system',
        actor,
        purpose: purpose.id,
        action: 'purpose.add',
        outcome: 'ok',
        at: now,
        details: { legalBasis: purpose.legalBasis, categories: purpose.categories.join(',') },
      },
    ]);
    return purpose;
  });
}

/** Retires a purpose: closes its basis's validity window at `at` (default now). */
export async function retirePurpose(
  deps: ConsentDeps,
  id: string,
  actor: string,
  at?: Date,
): Promise<Purpose> {
  const when = at ?? deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const d = { ...deps, db: trx };
    purposeOf(await loadCatalogue(d), id);
    if (!(await repo.closePurpose(trx, id, when.getTime()))) {
      throw new PurposeInactiveError(`purpose ${id} is already retired`);
    }
    await repo.bumpCatalogueVersion(trx, versionStep(deps));
    await republish(d, when);
    await audit(deps, trx, undefined, [
      {
        kind: 'system',
        actor,
        purpose: id,
        action: 'purpose.retire',
        outcome: 'ok',
        at: deps.clock.now(),
      },
    ]);
    return purposeOf(await loadCatalogue(d), id);
  });
}

export interface ServiceInput {
  readonly id: string;
  readonly name: Localized;
  readonly purposes: readonly string[];
  readonly categories: readonly DataCategory[];
  readonly core?: boolean;
  readonly validFrom?: Date;
}

/** Adds a service over existing purposes. */
export async function addService(
  deps: ConsentDeps,
  input: ServiceInput,
  actor: string,
): Promise<Service> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    const service: Service = {
      id: input.id,
      name: input.name,
      purposes: [...input.purposes],
      categories: [...input.categories],
      core: input.core ?? false,
      validFrom: input.validFrom ?? now,
      validTo: null,
      builtin: false,
    };
    const problems = serviceProblems(service, catalogue.purposes);
    if (catalogue.services.has(service.id)) {
      problems.push(`service ${service.id} already exists`);
    }
    if (problems.length > 0) {
      throw new CatalogueInvalidError(`service definition: ${problems.join('; ')}`);
    }
    await repo.insertService(trx, serviceToRow(service, now.getTime()));
    await repo.bumpCatalogueVersion(trx, versionStep(deps));
    await republish({ ...deps, db: trx }, now);
    await audit(deps, trx, undefined, [
      {
        kind: 'system',
        actor,
        action: 'service.add',
        outcome: 'ok',
        at: now,
        details: { service: service.id },
      },
    ]);
    return service;
  });
}

/** Retires a service (closes its window); its purposes stay. */
export async function retireService(deps: ConsentDeps, id: string, actor: string): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    if (!catalogue.services.has(id)) {
      throw new UnknownServiceError(
        `no service ${JSON.stringify(id.slice(0, 60))} in the catalogue`,
      );
    }
    if (!(await repo.closeService(trx, id, now.getTime()))) {
      throw new PurposeInactiveError(`service ${id} is already retired`);
    }
    await repo.bumpCatalogueVersion(trx, versionStep(deps));
    await republish({ ...deps, db: trx }, now);
    await audit(deps, trx, undefined, [
      {
        kind: 'system',
        actor,
        action: 'service.retire',
        outcome: 'ok',
        at: now,
        details: { service: id },
      },
    ]);
  });
}

/** Re-renders the notices after a catalogue change, once notices exist (art. 17: keep them true). */
async function republish(deps: ConsentDeps, at: Date): Promise<void> {
  if ((await repo.selectCurrentNotices(deps.db)).length > 0) {
    await publishFromCatalogue(deps.db, deps.controller, await loadCatalogue(deps), at);
  }
}

/** Publishes the notices for the current catalogue (idempotent when nothing changed). */
export async function publishNotices(deps: ConsentDeps): Promise<Notice[]> {
  return inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    return publishFromCatalogue(trx, deps.controller, catalogue, deps.clock.now());
  });
}

/** The current notices, publishing them first when none exist yet. */
export async function currentNotices(deps: ConsentDeps): Promise<Notice[]> {
  const rows = await repo.selectCurrentNotices(deps.db);
  if (rows.length === 0) {
    return publishNotices(deps);
  }
  return rows.map(rowToNotice);
}
