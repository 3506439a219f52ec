// SPDX-License-Identifier: Apache-2.0
/**
 * @module Crypto-erasure (DESIGN.md §3; PIPL art. 47; DOMAIN.md §6 req. 15). Erasing a subject,
 * some of its groups, or some categories of a group:
 *
 * 1. destroys the data keys and records a tombstone (opaque subject id, scopes, time) in one
 *    key-store transaction — from that commit on the data is unreadable everywhere: database,
 *    WAL, old pages, backups, exports;
 * 2. deletes the rows, with one audit event per subject, in one data transaction;
 * 3. marks the tombstone done; then scrubs (SQLite: `secure_delete` is on, WAL checkpoint
 *    TRUNCATE, VACUUM; PostgreSQL: VACUUM).
 *
 * Erasing only some categories of a group that stays first adds a fresh data key and a pending
 * tombstone, re-encrypts the rest of the group under the fresh key while deleting the erased
 * categories, then destroys the old key — so no older backup can bring those categories back.
 *
 * Crash safety: a pending tombstone is the journal. Every step is idempotent and
 * {@link resumeErasures} finishes any erasure a crash interrupted; no subject is ever left
 * half-erased — from step 1 on its erased scopes are unreadable, and the rows go on resume.
 * Work is batched (one transaction per step per batch), so 10^5 subjects cost a few commits
 * per thousand subjects, not per subject.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import {
  DATA_GROUPS,
  categoriesOfGroup,
  type DataCategory,
  type DataGroup,
} from '../../kernel/domain/index.js';
import {
  KEYSTORE_SCHEMA,
  type DataKey,
  type KeyStoreDb,
  type KeyStoreDatabase,
} from '../../platform/keys/index.js';

type DekRow = KeyStoreDatabase['dek'];
import { toBase64Url, zeroize } from '../../kernel/crypto/index.js';
import { auditIdOf } from './meta.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import type { VaultCore } from './core.js';
import { groupOf, SUBJECT_SCOPE } from './model.js';
import * as repo from './repository.js';

/** What to erase of one subject: everything (default), some groups, or some categories. */
export interface EraseTarget {
  readonly groups?: readonly DataGroup[];
  readonly categories?: readonly DataCategory[];
}

export interface EraseRequest extends EraseTarget {
  readonly subjectId: string;
}

export interface EraseOptions {
  /** Who erases, for the audit log (e.g. `operator:alice`, `job:disposal`). */
  readonly actor: string;
  /** Subjects per transaction (default 1000). */
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Scrub freed pages at the end (default true). */
  readonly scrub?: boolean;
}

export interface EraseReport {
  readonly requested: number;
  readonly erased: number;
  /** Already erased earlier (a tombstone says so): an idempotent repeat. */
  readonly alreadyErased: number;
  /** Never known to this vault. */
  readonly unknown: number;
  /** Pending erasures of earlier runs finished first. */
  readonly resumed: number;
  readonly rowsDeleted: number;
  readonly keysDestroyed: number;
}

const ALL_SCOPES: readonly string[] = [...DATA_GROUPS, SUBJECT_SCOPE];

type Plan =
  | { kind: 'scopes'; subjectId: string; scopes: readonly string[] }
  | { kind: 'partial'; subjectId: string; group: DataGroup; categories: readonly DataCategory[] };

/** Turns a request into key scopes (whole groups) or a partial erasure inside one group. */
export function planErasure(req: EraseRequest): Plan[] {
  const groups = new Set<string>(req.groups ?? []);
  const partial = new Map<DataGroup, Set<DataCategory>>();
  for (const c of req.categories ?? []) {
    const g = groupOf(c);
    if (!groups.has(g)) {
      partial.set(g, (partial.get(g) ?? new Set()).add(c));
    }
  }
  for (const [g, cats] of partial) {
    if (categoriesOfGroup(g).every((c) => cats.has(c))) {
      groups.add(g);
      partial.delete(g);
    }
  }
  const whole = req.groups === undefined && req.categories === undefined;
  if (whole || DATA_GROUPS.every((g) => groups.has(g))) {
    return [{ kind: 'scopes', subjectId: req.subjectId, scopes: ALL_SCOPES }];
  }
  const plans: Plan[] = [];
  if (groups.size > 0) {
    plans.push({ kind: 'scopes', subjectId: req.subjectId, scopes: [...groups].sort() });
  }
  for (const [group, cats] of partial) {
    plans.push({ kind: 'partial', subjectId: req.subjectId, group, categories: [...cats].sort() });
  }
  return plans;
}

function planKey(p: Plan): string {
  return p.kind === 'scopes'
    ? `${p.subjectId}|${[...p.scopes].sort().join(',')}`
    : `${p.subjectId}|${p.group}|${p.categories.join(',')}`;
}

/** Erases subjects in batches; finishes pending erasures first. */
export async function eraseSubjects(
  core: VaultCore,
  requests: readonly EraseRequest[],
  options: EraseOptions,
): Promise<EraseReport> {
  const batchSize = options.batchSize ?? 1000;
  const resumed = await resumeErasures(core, options.actor, { scrub: false });
  // One plan per subject and scope set (a subject listed twice is erased once).
  const plans = [...new Map(requests.flatMap(planErasure).map((p) => [planKey(p), p])).values()];
  let erased = 0;
  let alreadyErased = 0;
  let unknown = 0;
  let rowsDeleted = resumed.rowsDeleted;
  let keysDestroyed = 0;
  const counted = new Set<string>();
  // Tombstones of the previous batch are marked done in the next batch's key transaction (one
  // commit fewer per batch); a crash in between only leaves them pending, and resuming a pending
  // erasure whose rows are gone is a no-op.
  let toComplete: string[] = [];
  options.onProgress?.(0, plans.length);
  for (let i = 0; i < plans.length; i += batchSize) {
    const batch = plans.slice(i, i + batchSize);
    const ids = [...new Set(batch.map((p) => p.subjectId))];
    const rows = new Map<string, repo.VaultSubjectTable>();
    for (const r of await subjectsIn(core, core.db, ids)) {
      rows.set(r.id, r);
    }
    const missing = ids.filter((id) => !rows.has(id));
    const erasedBefore = await tombstonedSubjects(core, missing);
    for (const id of missing) {
      if (!counted.has(id)) {
        counted.add(id);
        if (erasedBefore.has(id)) {
          alreadyErased++;
        } else {
          unknown++;
        }
      }
    }
    const live = batch.filter((p) => rows.has(p.subjectId));
    const auditIds = await auditIdsOf(core, [...rows.values()]);
    const scoped = live.filter((p): p is Extract<Plan, { kind: 'scopes' }> => p.kind === 'scopes');
    if (scoped.length > 0) {
      const r = await eraseScoped(core, scoped, auditIds, options.actor, toComplete);
      toComplete = r.tombstones;
      rowsDeleted += r.rows;
      keysDestroyed += r.keys;
    }
    for (const p of live) {
      if (p.kind === 'partial') {
        const r = await erasePartial(core, p, auditIds.get(p.subjectId), options.actor);
        rowsDeleted += r.rows;
        keysDestroyed += r.keys;
      }
    }
    for (const id of new Set(live.map((p) => p.subjectId))) {
      if (!counted.has(id)) {
        counted.add(id);
        erased++;
      }
    }
    options.onProgress?.(Math.min(i + batchSize, plans.length), plans.length);
  }
  if (toComplete.length > 0) {
    const done = toComplete;
    await core.keyring.write((ks) => completeTombstones(core, ks, done));
  }
  if (options.scrub !== false) {
    await vacuumVaultStorage(core);
  }
  return {
    requested: new Set(requests.map((r) => r.subjectId)).size,
    erased,
    alreadyErased,
    unknown,
    resumed: resumed.resumed,
    rowsDeleted,
    keysDestroyed,
  };
}

/**
 * Whole-scope erasures of a batch: one key transaction (keys destroyed, tombstones recorded, the
 * previous batch's tombstones completed) and one data transaction (rows deleted, one audit event
 * per subject). Returns the tombstones to complete.
 */
async function eraseScoped(
  core: VaultCore,
  plans: ReadonlyArray<Extract<Plan, { kind: 'scopes' }>>,
  auditIds: ReadonlyMap<string, string>,
  actor: string,
  complete: readonly string[],
): Promise<{ rows: number; keys: number; tombstones: string[] }> {
  const at = core.now();
  const tombstones = plans.map((p) => ({
    id: toBase64Url(core.ids.bytes(12)),
    subject_id: p.subjectId,
    scopes: [...p.scopes].sort().join(','),
    categories: '',
    at: at.getTime(),
    state: 'pending' as const,
  }));
  // 1. Destroy the keys and record the tombstones: the erasure takes effect at this commit.
  const keys = await core.keyring.write(async (ks) => {
    const n = await destroyKeys(core, ks, plans, at.getTime());
    await insertTombstones(core, ks, tombstones);
    await completeTombstones(core, ks, complete);
    return n;
  });
  // 2. Delete the rows, logging one event per subject with its row count.
  const rows = await core.dataTx(async (trx) => {
    const counts = await deleteRows(core, trx, plans);
    await core.emit(
      trx,
      plans.map((p, i) =>
        erasureEvent(
          core,
          actor,
          auditIds.get(p.subjectId),
          tombstones[i].id,
          p.scopes,
          [],
          counts.get(p.subjectId) ?? 0,
        ),
      ),
    );
    return [...counts.values()].reduce((a, b) => a + b, 0);
  });
  return { rows, keys, tombstones: tombstones.map((t) => t.id) };
}

/** Erases some categories of a group that stays: re-key the rest, then destroy the old key. */
async function erasePartial(
  core: VaultCore,
  plan: Extract<Plan, { kind: 'partial' }>,
  auditId: string | undefined,
  actor: string,
): Promise<{ rows: number; keys: number }> {
  const fresh = await core.keyring.write(async (ks) => {
    const gens = await ks
      .selectFrom('dek')
      .select('gen')
      .where('subject_id', '=', plan.subjectId)
      .where('scope', '=', plan.group)
      .execute();
    const gen = gens.reduce((m, r) => Math.max(m, r.gen), 0) + 1;
    const key = {
      subjectId: plan.subjectId,
      scope: plan.group,
      gen,
      key: core.store.random.bytes(32),
    };
    const kek = await core.keyring.activeKek(ks);
    await ks
      .insertInto('dek')
      .values({
        subject_id: key.subjectId,
        scope: key.scope,
        gen,
        kek_version: kek.version,
        wrapped: core.keyring.wrapDek(kek, key),
        created_at: core.now().getTime(),
        destroyed_at: null,
      })
      .execute();
    const tombstone = {
      id: toBase64Url(core.ids.bytes(12)),
      subject_id: plan.subjectId,
      scopes: plan.group,
      categories: plan.categories.join(','),
      at: core.now().getTime(),
      state: 'pending' as const,
    };
    await ks.insertInto('tombstone').values(tombstone).execute();
    return { key, tombstone: tombstone.id };
  });
  const r = await finishPartial(
    core,
    plan.subjectId,
    plan.group,
    plan.categories,
    fresh.key,
    fresh.tombstone,
    auditId,
    actor,
  );
  zeroize(fresh.key.key);
  return r;
}

/** Steps 2 and 3 of a partial erasure (also how {@link resumeErasures} finishes one). */
async function finishPartial(
  core: VaultCore,
  subjectId: string,
  group: DataGroup,
  categories: readonly string[],
  fresh: DataKey,
  tombstoneId: string,
  auditId: string | undefined,
  actor: string,
): Promise<{ rows: number; keys: number }> {
  const { live } = await core.keyring.dataKeys(subjectId, [group]);
  const rows = await core.dataTx(async (trx) => {
    let n = await repo.deleteRecords(trx, subjectId, { groups: [group], categories });
    for (const c of categories) {
      n += Number(
        (
          await trx
            .deleteFrom('vault_restriction')
            .where('subject_id', '=', subjectId)
            .where('scope', '=', c)
            .executeTakeFirst()
        ).numDeletedRows,
      );
    }
    const rest = await repo.recordsOfSubject(trx, subjectId, { groups: [group] });
    for (const row of rest) {
      if (row.gen === fresh.gen) {
        continue;
      }
      const old = live.get(`${group}#${row.gen}`);
      if (old === undefined) {
        // Under a key already destroyed: unreadable for good, so it goes too.
        await trx.deleteFrom('vault_record').where('id', '=', row.id).execute();
        n++;
        continue;
      }
      const plaintext = core.openRecord(old, row);
      const ct = core.sealRecord(
        fresh,
        row.category as DataCategory,
        row.id,
        row.bucket,
        row.entries,
        plaintext,
      );
      zeroize(plaintext);
      await repo.updateRecordCiphertext(
        trx,
        {
          id: row.id,
          subject_id: subjectId,
          gen: fresh.gen,
          ct,
          entries: row.entries,
          updated_at: row.updated_at,
        },
        row.gen,
      );
    }
    await core.emit(trx, [erasureEvent(core, actor, auditId, tombstoneId, [group], categories, n)]);
    return n;
  });
  for (const k of live.values()) {
    zeroize(k.key);
  }
  const keys = await core.keyring.write(async (ks) => {
    const r = await ks
      .updateTable('dek')
      .set({ wrapped: null, kek_version: null, destroyed_at: core.now().getTime() })
      .where('subject_id', '=', subjectId)
      .where('scope', '=', group)
      .where('gen', '<', fresh.gen)
      .where('destroyed_at', 'is', null)
      .executeTakeFirst();
    await completeTombstones(core, ks, [tombstoneId]);
    return Number(r.numUpdatedRows);
  });
  return { rows, keys };
}

/**
 * Finishes every erasure a crash left pending (idempotent). Run before each erase batch, by
 * `backup restore`, and by `healthcode vault resume`.
 */
export async function resumeErasures(
  core: VaultCore,
  actor: string,
  options: { scrub?: boolean } = {},
): Promise<{ resumed: number; rowsDeleted: number }> {
  const pending = await core.keyring.tombstones('pending');
  let rowsDeleted = 0;
  for (const t of pending) {
    if (t.categories.length > 0) {
      const group = t.scopes[0] as DataGroup;
      const { live } = await core.keyring.dataKeys(t.subjectId, [group]);
      const newest = [...live.values()].sort((a, b) => b.gen - a.gen)[0];
      if (newest !== undefined) {
        const r = await finishPartial(
          core,
          t.subjectId,
          group,
          t.categories,
          newest,
          t.id,
          undefined,
          actor,
        );
        rowsDeleted += r.rows;
        continue;
      }
    }
    const plan = [{ kind: 'scopes' as const, subjectId: t.subjectId, scopes: t.scopes }];
    await core.keyring.write(async (ks) => {
      await destroyKeys(core, ks, plan, core.now().getTime());
    });
    rowsDeleted += await core.dataTx(async (trx) => {
      const n = [...(await deleteRows(core, trx, plan)).values()].reduce((a, b) => a + b, 0);
      await core.emit(trx, [
        erasureEvent(core, actor, undefined, t.id, t.scopes, t.categories, n, 'resume'),
      ]);
      return n;
    });
    await core.keyring.write((ks) => completeTombstones(core, ks, [t.id]));
  }
  if (options.scrub !== false && pending.length > 0) {
    await vacuumVaultStorage(core);
  }
  return { resumed: pending.length, rowsDeleted };
}

type ScopePlan = { readonly subjectId: string; readonly scopes: readonly string[] };

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
/** Slices of 500: IN lists and multi-row VALUES stay far below both engines' parameter caps. */
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 500) {
    out.push(items.slice(i, i + 500));
  }
  return out;
}

/**
 * Destroys the keys of the plans' scopes. SQLite: prepared statements inside the key-store
 * transaction (Kysely's per-statement cost would dominate); PostgreSQL: set-based, 500 subjects
 * per statement.
 */
async function destroyKeys(
  core: VaultCore,
  ks: KeyStoreDb,
  plans: readonly ScopePlan[],
  at: number,
): Promise<number> {
  let n = 0;
  if (core.dialect === 'sqlite') {
    for (const p of plans) {
      const whole = p.scopes.includes(SUBJECT_SCOPE);
      n += core
        .stmt(
          `update ${KEYSTORE_SCHEMA}.dek set wrapped = null, kek_version = null, destroyed_at = ? where subject_id = ? and destroyed_at is null${whole ? '' : ` and scope in (${marks(p.scopes.length)})`}`,
        )
        .run(at, p.subjectId, ...(whole ? [] : p.scopes)).changes;
    }
    return n;
  }
  for (const [scopes, ids] of groupByScopes(plans)) {
    for (let i = 0; i < ids.length; i += 500) {
      const r = await ks
        .updateTable('dek')
        .set({ wrapped: null, kek_version: null, destroyed_at: at })
        .where('subject_id', 'in', ids.slice(i, i + 500))
        .where('scope', 'in', scopes)
        .where('destroyed_at', 'is', null)
        .executeTakeFirst();
      n += Number(r.numUpdatedRows);
    }
  }
  return n;
}

function groupByScopes(plans: readonly ScopePlan[]): Map<string[], string[]> {
  const byKey = new Map<string, { scopes: string[]; ids: string[] }>();
  for (const p of plans) {
    const k = [...p.scopes].sort().join(',');
    const e = byKey.get(k) ?? { scopes: [...p.scopes], ids: [] };
    e.ids.push(p.subjectId);
    byKey.set(k, e);
  }
  return new Map([...byKey.values()].map((e) => [e.scopes, e.ids]));
}

async function insertTombstones(
  core: VaultCore,
  ks: KeyStoreDb,
  rows: ReadonlyArray<{
    id: string;
    subject_id: string;
    scopes: string;
    categories: string;
    at: number;
    state: 'pending';
  }>,
): Promise<void> {
  if (core.dialect === 'sqlite') {
    const insert = core.stmt(
      `insert into ${KEYSTORE_SCHEMA}.tombstone (id, subject_id, scopes, categories, at, state) values (?, ?, ?, ?, ?, ?)`,
    );
    for (const t of rows) {
      insert.run(t.id, t.subject_id, t.scopes, t.categories, t.at, t.state);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += 500) {
    await ks
      .insertInto('tombstone')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * Deletes subjects' rows in the erased scopes — the subjects themselves, with their links and
 * restrictions, when `subject` is among them. Returns the record rows deleted per subject.
 */
async function deleteRows(
  core: VaultCore,
  trx: Kysely<Database>,
  plans: readonly ScopePlan[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const restrictionScopes = (groups: readonly string[]) => [
    ...groups,
    ...groups.flatMap((g) => categoriesOfGroup(g as DataGroup)),
  ];
  if (core.dialect === 'sqlite') {
    for (const p of plans) {
      if (p.scopes.includes(SUBJECT_SCOPE)) {
        counts.set(
          p.subjectId,
          core.stmt('delete from vault_record where subject_id = ?').run(p.subjectId).changes,
        );
        core.stmt('delete from vault_restriction where subject_id = ?').run(p.subjectId);
        core.stmt('delete from vault_link where citizen_id = ?').run(p.subjectId);
        core.stmt('delete from vault_link where subscriber_id = ?').run(p.subjectId);
        core.stmt('delete from vault_subject where id = ?').run(p.subjectId);
      } else {
        const groups = p.scopes.filter((x) => x !== SUBJECT_SCOPE);
        const rs = restrictionScopes(groups);
        counts.set(
          p.subjectId,
          core
            .stmt(
              `delete from vault_record where subject_id = ? and grp in (${marks(groups.length)})`,
            )
            .run(p.subjectId, ...groups).changes,
        );
        core
          .stmt(
            `delete from vault_restriction where subject_id = ? and scope in (${marks(rs.length)})`,
          )
          .run(p.subjectId, ...rs);
      }
    }
    return counts;
  }
  for (const [scopes, all] of groupByScopes(plans)) {
    const whole = scopes.includes(SUBJECT_SCOPE);
    const groups = scopes.filter((x) => x !== SUBJECT_SCOPE);
    for (let i = 0; i < all.length; i += 500) {
      const ids = all.slice(i, i + 500);
      let del = trx.deleteFrom('vault_record').where('subject_id', 'in', ids);
      if (!whole) {
        del = del.where('grp', 'in', groups);
      }
      for (const r of await del.returning('subject_id').execute()) {
        counts.set(r.subject_id, (counts.get(r.subject_id) ?? 0) + 1);
      }
      if (whole) {
        await trx.deleteFrom('vault_restriction').where('subject_id', 'in', ids).execute();
        await trx
          .deleteFrom('vault_link')
          .where((eb) => eb.or([eb('citizen_id', 'in', ids), eb('subscriber_id', 'in', ids)]))
          .execute();
        await trx.deleteFrom('vault_subject').where('id', 'in', ids).execute();
      } else {
        await trx
          .deleteFrom('vault_restriction')
          .where('subject_id', 'in', ids)
          .where('scope', 'in', restrictionScopes(groups))
          .execute();
      }
    }
  }
  return counts;
}

async function completeTombstones(
  core: VaultCore,
  ks: KeyStoreDb,
  ids: readonly string[],
): Promise<void> {
  if (core.dialect === 'sqlite') {
    const done = core.stmt(`update ${KEYSTORE_SCHEMA}.tombstone set state = 'done' where id = ?`);
    for (const id of ids) {
      done.run(id);
    }
    return;
  }
  for (let i = 0; i < ids.length; i += 500) {
    await ks
      .updateTable('tombstone')
      .set({ state: 'done' })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
  }
}

function erasureEvent(
  core: VaultCore,
  actor: string,
  auditId: string | undefined,
  tombstone: string,
  scopes: readonly string[],
  categories: readonly string[],
  rows: number,
  action = 'erase',
): AuditEvent {
  return {
    kind: 'erasure',
    actor,
    action,
    outcome: 'ok',
    at: core.now(),
    ...(auditId === undefined ? {} : { subjectAuditId: auditId }),
    details: {
      tombstone,
      scopes: scopes.join(','),
      categories: categories.join(','),
      rows,
      method: 'crypto-shred+delete',
    },
  };
}

/**
 * Reads subjects' audit ids from their metas: one key-store read per 500 subjects, then two
 * AES-GCM opens per subject (its `subject` key, then its meta). A worker thread doing this while
 * the previous batch's SQL runs was measured and did not pay on a shared 2-core machine (the
 * copies and the contention ate the overlap), so it runs inline.
 */
async function auditIdsOf(
  core: VaultCore,
  rows: readonly repo.VaultSubjectTable[],
): Promise<Map<string, string>> {
  const keyRows: DekRow[] = [];
  for (const chunk of chunks(rows.map((r) => r.id))) {
    keyRows.push(
      ...(core.dialect === 'sqlite'
        ? (core
            .stmt(
              `select * from ${KEYSTORE_SCHEMA}.dek where scope = 'subject' and subject_id in (${marks(chunk.length)})`,
            )
            .all(...chunk) as DekRow[])
        : await core.keyring.store
            .selectFrom('dek')
            .selectAll()
            .where('subject_id', 'in', chunk)
            .where('scope', '=', SUBJECT_SCOPE)
            .execute()),
    );
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const keks = new Map<number, Uint8Array>();
  const out = new Map<string, string>();
  for (const k of keyRows) {
    const row = byId.get(k.subject_id);
    if (row === undefined || k.gen !== row.gen || k.wrapped === null || k.kek_version === null) {
      continue;
    }
    if (!keks.has(k.kek_version)) {
      keks.set(k.kek_version, await core.keyring.kek(k.kek_version));
    }
    const name = auditIdOf(keks, [row.id, row.gen, k.kek_version, k.wrapped, row.kind, row.meta]);
    if (name !== null) {
      out.set(row.id, name);
    }
  }
  return out;
}

async function tombstonedSubjects(core: VaultCore, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await core.keyring.store
      .selectFrom('tombstone')
      .select('subject_id')
      .where('subject_id', 'in', ids.slice(i, i + 500))
      .execute();
    rows.forEach((r) => out.add(r.subject_id));
  }
  return out;
}

async function subjectsIn(
  core: VaultCore,
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<repo.VaultSubjectTable[]> {
  const out: repo.VaultSubjectTable[] = [];
  for (const chunk of chunks(ids)) {
    out.push(
      ...(core.dialect === 'sqlite'
        ? (core
            .stmt(`select * from vault_subject where id in (${marks(chunk.length)})`)
            .all(...chunk) as repo.VaultSubjectTable[])
        : await db.selectFrom('vault_subject').selectAll().where('id', 'in', chunk).execute()),
    );
  }
  return out;
}

/**
 * Leaves nothing readable behind: SQLite zeroes freed cells (`secure_delete`, set at open), the
 * WAL is checkpointed and truncated (old page images gone), and VACUUM rebuilds the file; the
 * key store's WAL likewise. PostgreSQL: VACUUM the vault and key tables.
 */
export async function vacuumVaultStorage(core: VaultCore): Promise<void> {
  if (core.dialect === 'sqlite') {
    const db = core.store.db.sqlite!;
    db.pragma('main.wal_checkpoint(TRUNCATE)');
    db.exec('vacuum main');
    db.pragma('main.wal_checkpoint(TRUNCATE)');
    db.pragma(`${KEYSTORE_SCHEMA}.wal_checkpoint(TRUNCATE)`);
  } else {
    await repo.vacuumVault(core.db, 'postgres');
    await sql`vacuum ${sql.table(`${KEYSTORE_SCHEMA}.dek`)}, ${sql.table(`${KEYSTORE_SCHEMA}.tombstone`)}`.execute(
      core.db,
    );
  }
}
