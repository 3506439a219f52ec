// SPDX-License-Identifier: Apache-2.0
/**
 * @module The purpose-scoped, auditing vault repository (STYLE.md §10, after medplum's
 * `Repository`): built per call from an access context `{ actor, role, purpose }`. Every read
 * asks the Guard first and is refused on restricted data (PIPL art. 47 para. 2); every read,
 * write and refusal — failures too — is appended to the audit log under the subject's random
 * audit id. Values are AES-256-GCM ciphertexts under the subject's data key of the category's
 * GB/T 38962 group, bound to their place.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { normalisePhone, parseIdNumber, type DataCategory } from '../../kernel/domain/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { isAppError } from '../../kernel/shared/errors.js';
import { subjectUnder14 } from './age.js';
import { newAuditId, type VaultCore } from './core.js';
import {
  VaultRecordUnknownError,
  VaultRefusedError,
  VaultRestrictedError,
  VaultSubjectUnknownError,
  VaultValueError,
} from './errors.js';
import {
  assertCategory,
  assertEntryId,
  blindIndex,
  bucketToDay,
  dayToBucket,
  encodeValue,
  groupOf,
  SUBJECT_SCOPE,
  type AccessContext,
  type SubjectKind,
  type SubjectMeta,
  type VaultBundle,
  type VaultEntry,
  type VaultRecord,
} from './model.js';
import * as repo from './repository.js';
import type { VaultRecordTable, VaultSubjectTable } from './repository.js';

/** The subject facts one call works with. */
interface Loaded {
  readonly row: VaultSubjectTable;
  readonly meta: SubjectMeta;
  readonly restricted: ReadonlySet<string>;
}

export class VaultRepository {
  readonly #core: VaultCore;
  readonly #ctx: AccessContext;
  /** System purposes (maintenance, security, purge) skip the guard and the restricted state. */
  readonly #system: boolean;

  constructor(core: VaultCore, ctx: AccessContext, system: boolean) {
    this.#core = core;
    this.#ctx = ctx;
    this.#system = system;
  }

  /** The access context this repository was built for. */
  get context(): AccessContext {
    return this.#ctx;
  }

  // ---- subjects -------------------------------------------------------------------------

  /** The citizen subject of an ID number (GB 11643), if there is one. */
  async findCitizen(idNumberText: string): Promise<string | undefined> {
    const id = parseIdNumber(idNumberText, this.#core.now());
    return this.#find('citizen', id.normalised, 'identity');
  }

  /** The subscriber subject of a mobile number, if there is one. */
  async findSubscriber(phoneText: string): Promise<string | undefined> {
    return this.#find('subscriber', normalisePhone(phoneText), 'contact');
  }

  async #find(
    kind: SubjectKind,
    normalised: string,
    category: DataCategory,
  ): Promise<string | undefined> {
    const lookup = blindIndex(await this.#core.keyring.instanceKey('lookup'), kind, normalised);
    const row = await repo.subjectByLookup(this.#core.db, lookup);
    if (row === undefined) {
      return undefined;
    }
    const loaded = await this.#load(this.#core.db, row.id);
    const reason = await this.#checkRead(this.#core.db, loaded, category, 'find');
    await this.#core.emit(this.#core.db, [
      this.#ev(loaded, 'access', 'find', category, 'ok', { reason }),
    ]);
    return row.id;
  }

  /**
   * The citizen subject of an ID number, created (with a fresh random id, audit id and data
   * keys) when missing. `guardian` names an under-14's guardian subject.
   */
  async ensureCitizen(
    idNumberText: string,
    facts: { guardian?: string } = {},
  ): Promise<{ subjectId: string; created: boolean }> {
    const id = parseIdNumber(idNumberText, this.#core.now());
    return this.#ensure('citizen', id.normalised, {
      birthDate: id.birthDate,
      ...(facts.guardian === undefined ? {} : { guardian: facts.guardian }),
    });
  }

  /** The subscriber subject of a mobile number, created when missing. */
  async ensureSubscriber(phoneText: string): Promise<{ subjectId: string; created: boolean }> {
    return this.#ensure('subscriber', normalisePhone(phoneText), {});
  }

  async #ensure(
    kind: SubjectKind,
    normalised: string,
    facts: Omit<SubjectMeta, 'auditId'>,
  ): Promise<{ subjectId: string; created: boolean }> {
    const core = this.#core;
    const lookup = blindIndex(await core.keyring.instanceKey('lookup'), kind, normalised);
    const existing = await repo.subjectByLookup(core.db, lookup);
    if (existing !== undefined) {
      return { subjectId: existing.id, created: false };
    }
    const subjectId = core.newId();
    const [key] = await core.keyring.createFreshDataKeys([{ subjectId, scope: SUBJECT_SCOPE }]);
    const meta: SubjectMeta = { auditId: newAuditId(core.ids), ...facts };
    try {
      await core.dataTx(async (trx) => {
        await repo.insertSubjects(trx, [
          {
            id: subjectId,
            kind,
            lookup,
            gen: key.gen,
            meta: core.sealMeta(key, kind, meta),
            created_at: core.now().getTime(),
          },
        ]);
        await core.emit(trx, [
          core.event(this.#ctx, {
            kind: 'write',
            subjectAuditId: meta.auditId,
            action: 'create-subject',
            outcome: 'ok',
            details: { subjectKind: kind },
          }),
        ]);
      });
    } catch (err) {
      // Another writer created the same person first: drop our unused key, use theirs.
      await core.keyring.destroyDataKeys(subjectId, [SUBJECT_SCOPE], { tombstone: false });
      const winner = await repo.subjectByLookup(core.db, lookup);
      if (winner !== undefined) {
        return { subjectId: winner.id, created: false };
      }
      throw err;
    }
    key.key.fill(0);
    return { subjectId, created: true };
  }

  /**
   * Links a citizen and a subscriber subject. Only call it once the person has proved both —
   * the ID number (real-name check) and the phone (a one-time code sent to it).
   */
  async link(citizenId: string, subscriberId: string): Promise<void> {
    const core = this.#core;
    const c = await this.#load(core.db, citizenId);
    const s = await this.#load(core.db, subscriberId);
    if (c.row.kind !== 'citizen' || s.row.kind !== 'subscriber') {
      throw new RangeError('link expects a citizen subject and a subscriber subject');
    }
    await this.#checkWrite(core.db, c, 'contact', 'link');
    await core.dataTx(async (trx) => {
      await repo.insertLink(trx, {
        citizen_id: citizenId,
        subscriber_id: subscriberId,
        linked_at: core.now().getTime(),
      });
      await core.emit(trx, [
        this.#ev(c, 'write', 'link', 'contact', 'ok'),
        this.#ev(s, 'write', 'link', 'contact', 'ok'),
      ]);
    });
  }

  /** The subjects linked to this one (subscribers of a citizen, or the citizen of a subscriber). */
  async links(subjectId: string): Promise<string[]> {
    const core = this.#core;
    const loaded = await this.#load(core.db, subjectId);
    const reason = await this.#checkRead(core.db, loaded, 'contact', 'links');
    const rows = await repo.linksOf(core.db, subjectId);
    await core.emit(core.db, [this.#ev(loaded, 'access', 'links', 'contact', 'ok', { reason })]);
    return rows.map((r) => (r.citizen_id === subjectId ? r.subscriber_id : r.citizen_id));
  }

  // ---- records --------------------------------------------------------------------------

  /** Stores a value of a category for a subject; returns the new record id. */
  async put(subjectId: string, category: DataCategory, value: unknown): Promise<string> {
    assertCategory(category);
    const core = this.#core;
    const plaintext = encodeValue(value);
    const loaded = await this.#load(core.db, subjectId);
    await this.#checkWrite(core.db, loaded, category, 'put');
    return this.#insertSealed(subjectId, category, null, null, plaintext, (recordId) =>
      this.#ev(loaded, 'write', 'put', category, 'ok', { recordId }),
    );
  }

  /** One record (a bundle's value is its entries). */
  async get<T = unknown>(subjectId: string, recordId: string): Promise<VaultRecord<T>> {
    const core = this.#core;
    const loaded = await this.#load(core.db, subjectId);
    const row = await repo.recordById(core.db, subjectId, recordId);
    if (row === undefined) {
      throw new VaultRecordUnknownError('no such record for this subject');
    }
    const category = row.category as DataCategory;
    const reason = await this.#checkRead(core.db, loaded, category, 'get');
    const value = await this.#audited(loaded, 'get', category, () => this.#decrypt<T>(row));
    await core.emit(core.db, [
      this.#ev(loaded, 'access', 'get', category, 'ok', { recordId, reason }),
    ]);
    return toRecord(row, value);
  }

  /**
   * The single records of a subject (bundles: {@link listEntries}), for the given categories or
   * groups (default: every category). Each category is decided by the guard; one refusal
   * refuses the call.
   */
  async list(
    subjectId: string,
    filter: { categories?: readonly DataCategory[]; groups?: readonly string[] } = {},
  ): Promise<VaultRecord[]> {
    const core = this.#core;
    const loaded = await this.#load(core.db, subjectId);
    const rows = await repo.recordsOfSubject(core.db, subjectId, {
      ...(filter.categories === undefined ? {} : { categories: filter.categories }),
      ...(filter.groups === undefined ? {} : { groups: filter.groups }),
      bundles: false,
    });
    const categories = [...new Set(rows.map((r) => r.category as DataCategory))].sort();
    const reasons = new Map<string, string>();
    for (const category of categories) {
      reasons.set(category, await this.#checkRead(core.db, loaded, category, 'list'));
    }
    const out: VaultRecord[] = [];
    for (const category of categories) {
      const mine = rows.filter((r) => r.category === category);
      const values = await this.#audited(loaded, 'list', category, async () => {
        const v: unknown[] = [];
        for (const r of mine) {
          v.push(await this.#decrypt(r));
        }
        return v;
      });
      mine.forEach((r, i) => out.push(toRecord(r, values[i])));
    }
    await core.emit(
      core.db,
      categories.map((c) =>
        this.#ev(loaded, 'access', 'list', c, 'ok', {
          records: rows.filter((r) => r.category === c).length,
          reason: reasons.get(c) ?? null,
        }),
      ),
    );
    return out;
  }

  /**
   * Everything a subject holds — single records and day bundles of every category — decrypted
   * in one SELECT with one audit append (one event per category): what a data-subject request
   * reads for access, copy or portability (PIPL art. 45). Each category is decided by the guard
   * first (system repositories skip it); one refusal refuses the call.
   */
  async readAll(subjectId: string): Promise<{ records: VaultRecord[]; bundles: VaultBundle[] }> {
    const core = this.#core;
    const loaded = await this.#load(core.db, subjectId);
    const rows = await repo.recordsOfSubject(core.db, subjectId);
    const categories = [...new Set(rows.map((r) => r.category as DataCategory))].sort();
    const reasons = new Map<string, string>();
    for (const category of categories) {
      reasons.set(category, await this.#checkRead(core.db, loaded, category, 'read-all'));
    }
    const records: VaultRecord[] = [];
    const byDay = new Map<
      string,
      { recordId: string; category: DataCategory; day: string; entries: VaultEntry[] }
    >();
    for (const category of categories) {
      await this.#audited(loaded, 'read-all', category, async () => {
        for (const r of rows) {
          if (r.category !== category) {
            continue;
          }
          if (r.bucket === null) {
            records.push(toRecord(r, await this.#decrypt(r)));
            continue;
          }
          const k = `${category}\u0000${r.bucket}`;
          const day = byDay.get(k) ?? {
            recordId: r.id,
            category,
            day: bucketToDay(r.bucket),
            entries: [],
          };
          day.entries.push(...(await this.#decrypt<VaultEntry[]>(r)));
          byDay.set(k, day);
        }
      });
    }
    await core.emit(
      core.db,
      categories.map((c) =>
        this.#ev(loaded, 'access', 'read-all', c, 'ok', {
          records: rows.filter((r) => r.category === c).length,
          reason: reasons.get(c) ?? null,
        }),
      ),
    );
    const when = (e: VaultEntry) => {
      const t = e.time ?? e.at;
      return typeof t === 'string' ? t : '';
    };
    const bundles = [...byDay.values()]
      .sort((a, b) => a.category.localeCompare(b.category) || a.day.localeCompare(b.day))
      .map((d) => ({
        ...d,
        subjectId,
        entries: d.entries.sort(
          (a, b) => when(a).localeCompare(when(b)) || a.id.localeCompare(b.id),
        ),
      }));
    return { records, bundles };
  }

  /** Replaces a record's value (纠错, PIPL art. 46): fresh ciphertext under the current key. */
  async correct(subjectId: string, recordId: string, value: unknown): Promise<void> {
    const core = this.#core;
    const plaintext = encodeValue(value);
    const loaded = await this.#load(core.db, subjectId);
    const row = await repo.recordById(core.db, subjectId, recordId);
    if (row === undefined) {
      throw new VaultRecordUnknownError('no such record for this subject');
    }
    if (row.bucket !== null) {
      throw new VaultValueError('a bundle is corrected entry by entry (correctEntry)');
    }
    const category = row.category as DataCategory;
    await this.#checkWrite(core.db, loaded, category, 'correct');
    await this.#reseal(
      subjectId,
      row,
      plaintext,
      'the record changed or was erased meanwhile; try again',
      this.#ev(loaded, 'write', 'correct', category, 'ok', { recordId }),
    );
  }

  /**
   * Adds entries (e.g. location events) of one day to a subject's category. Entries whose id
   * the subject already has for that category and day are skipped (de-duplication through the
   * plaintext-free index); the new ones share one ciphertext.
   */
  async putEntries(
    subjectId: string,
    category: DataCategory,
    day: string,
    entries: readonly VaultEntry[],
  ): Promise<{ recordId: string | undefined; added: number; duplicates: number }> {
    assertCategory(category);
    const core = this.#core;
    const bucket = dayToBucket(day);
    entries.forEach((e) => assertEntryId(e?.id));
    const loaded = await this.#load(core.db, subjectId);
    await this.#checkWrite(core.db, loaded, category, 'put-entries');
    const seen = new Set<string>();
    for (const b of await repo.bundlesOf(core.db, subjectId, category, bucket, bucket)) {
      for (const id of b.entries?.split('\n') ?? []) {
        seen.add(id);
      }
    }
    const fresh = entries.filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
    const duplicates = entries.length - fresh.length;
    if (fresh.length === 0) {
      return { recordId: undefined, added: 0, duplicates };
    }
    const index = fresh.map((e) => e.id).join('\n');
    const recordId = await this.#insertSealed(
      subjectId,
      category,
      bucket,
      index,
      encodeValue(fresh),
      (id) =>
        this.#ev(loaded, 'write', 'put-entries', category, 'ok', {
          recordId: id,
          entries: fresh.length,
          duplicates,
        }),
    );
    return { recordId, added: fresh.length, duplicates };
  }

  /** A subject's entries of a category per day, for days in [from, to] (YYYY-MM-DD). */
  async listEntries(
    subjectId: string,
    category: DataCategory,
    range: { from?: string; to?: string } = {},
  ): Promise<VaultBundle[]> {
    assertCategory(category);
    const core = this.#core;
    const loaded = await this.#load(core.db, subjectId);
    const reason = await this.#checkRead(core.db, loaded, category, 'list-entries');
    const rows = await repo.bundlesOf(
      core.db,
      subjectId,
      category,
      range.from === undefined ? undefined : dayToBucket(range.from),
      range.to === undefined ? undefined : dayToBucket(range.to),
    );
    const byDay = new Map<number, { recordId: string; entries: VaultEntry[] }>();
    await this.#audited(loaded, 'list-entries', category, async () => {
      for (const r of rows) {
        const entries = await this.#decrypt<VaultEntry[]>(r);
        const day = byDay.get(r.bucket!) ?? { recordId: r.id, entries: [] };
        day.entries.push(...entries);
        byDay.set(r.bucket!, day);
      }
    });
    await core.emit(core.db, [
      this.#ev(loaded, 'access', 'list-entries', category, 'ok', { bundles: rows.length, reason }),
    ]);
    // Several bundles of one day (later ingests) merge; entries in time order, then by id.
    const when = (e: VaultEntry) => {
      const t = e.time ?? e.at;
      return typeof t === 'string' ? t : '';
    };
    return [...byDay.entries()].map(([bucket, d]) => ({
      recordId: d.recordId,
      subjectId,
      category,
      day: bucketToDay(bucket),
      entries: d.entries.sort((a, b) => when(a).localeCompare(when(b)) || a.id.localeCompare(b.id)),
    }));
  }

  /** Replaces one entry (by id) of a subject's category on a day. */
  async correctEntry(
    subjectId: string,
    category: DataCategory,
    day: string,
    entry: VaultEntry,
  ): Promise<void> {
    assertCategory(category);
    assertEntryId(entry?.id);
    const core = this.#core;
    const bucket = dayToBucket(day);
    const loaded = await this.#load(core.db, subjectId);
    await this.#checkWrite(core.db, loaded, category, 'correct-entry');
    const row = (await repo.bundlesOf(core.db, subjectId, category, bucket, bucket)).find((b) =>
      b.entries?.split('\n').includes(entry.id),
    );
    if (row === undefined) {
      throw new VaultRecordUnknownError('no such entry for this subject, category and day');
    }
    const entries = (await this.#decrypt<VaultEntry[]>(row)).map((e) =>
      e.id === entry.id ? entry : e,
    );
    await this.#reseal(
      subjectId,
      row,
      encodeValue(entries),
      'the entry changed or was erased meanwhile; try again',
      this.#ev(loaded, 'write', 'correct-entry', category, 'ok', { recordId: row.id }),
    );
  }

  // ---- internals ------------------------------------------------------------------------

  /**
   * Seals a new record (a single value, or a bundle with its day bucket and entry index) under the
   * subject's group key and inserts it with its audit entry, in one data transaction.
   */
  async #insertSealed(
    subjectId: string,
    category: DataCategory,
    bucket: number | null,
    index: string | null,
    plaintext: Uint8Array,
    event: (recordId: string) => AuditEvent,
  ): Promise<string> {
    const core = this.#core;
    const group = groupOf(category);
    const [key] = await core.keyring.ensureDataKeys([{ subjectId, scope: group }]);
    const recordId = core.newId();
    const now = core.now().getTime();
    const ct = core.sealRecord(key, category, recordId, bucket, index, plaintext);
    key.key.fill(0);
    await core.dataTx(async (trx) => {
      await core.subjectRow(trx, subjectId);
      await repo.insertRecords(trx, [
        {
          id: recordId,
          subject_id: subjectId,
          grp: group,
          category,
          bucket,
          gen: key.gen,
          entries: index,
          ct,
          created_at: now,
          updated_at: now,
        },
      ]);
      await core.emit(trx, [event(recordId)]);
    });
    return recordId;
  }

  /**
   * Replaces a record's ciphertext with `plaintext` sealed under the current key (same record id,
   * bucket and entry index), unless the row changed meanwhile (its key generation moved).
   */
  async #reseal(
    subjectId: string,
    row: VaultRecordTable,
    plaintext: Uint8Array,
    changed: string,
    event: AuditEvent,
  ): Promise<void> {
    const core = this.#core;
    const category = row.category as DataCategory;
    const [key] = await core.keyring.ensureDataKeys([{ subjectId, scope: row.grp }]);
    const ct = core.sealRecord(key, category, row.id, row.bucket, row.entries, plaintext);
    key.key.fill(0);
    await core.dataTx(async (trx) => {
      const n = await repo.updateRecordCiphertext(
        trx,
        {
          id: row.id,
          subject_id: subjectId,
          gen: key.gen,
          ct,
          entries: row.entries,
          updated_at: core.now().getTime(),
        },
        row.gen,
      );
      if (n !== 1) {
        throw new VaultRecordUnknownError(changed);
      }
      await core.emit(trx, [event]);
    });
  }

  async #load(db: Kysely<Database>, subjectId: string): Promise<Loaded> {
    if (typeof subjectId !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(subjectId)) {
      throw new VaultSubjectUnknownError('no such subject (malformed id)');
    }
    const row = await this.#core.subjectRow(db, subjectId);
    const meta = await this.#core.meta(db, row);
    const restricted = new Set((await repo.restrictionsOf(db, subjectId)).map((r) => r.scope));
    return { row, meta, restricted };
  }

  #isRestricted(loaded: Loaded, category: DataCategory): boolean {
    const r = loaded.restricted;
    return r.has('*') || r.has(groupOf(category)) || r.has(category);
  }

  /** Business reads: refused on restricted data, then asked of the guard. */
  async #checkRead(
    db: Kysely<Database>,
    loaded: Loaded,
    category: DataCategory,
    action: string,
  ): Promise<string> {
    if (this.#system) {
      return 'system-purpose';
    }
    if (this.#isRestricted(loaded, category)) {
      await this.#refuse(
        loaded,
        action,
        category,
        new VaultRestrictedError(
          'this data is restricted: only storage maintenance, security and purge may touch it',
        ),
      );
    }
    const now = this.#core.now();
    const decision = await this.#core.guard.decide(
      {
        subjectId: loaded.row.id,
        purpose: this.#ctx.purpose,
        category,
        at: now,
        // Age from the stored birth date (a SIM: its holder's); unknown counts as no child.
        under14: (await subjectUnder14(this.#core, db, loaded.row, loaded.meta, now)) === true,
        restricted: false,
        actor: this.#ctx.actor,
        subjectAuditId: loaded.meta.auditId,
      },
      db,
    );
    if (!decision.allowed) {
      await this.#refuse(
        loaded,
        action,
        category,
        new VaultRefusedError(`the purpose may not read this category (${decision.reason})`, {
          details: { reason: decision.reason },
        }),
        { reason: decision.reason },
      );
    }
    // The read's own audit leaf carries the decision's reason: one leaf per read (issue 6).
    return decision.reason;
  }

  /** Business writes: refused on restricted data. */
  async #checkWrite(
    db: Kysely<Database>,
    loaded: Loaded,
    category: DataCategory,
    action: string,
  ): Promise<void> {
    void db;
    if (!this.#system && this.#isRestricted(loaded, category)) {
      await this.#refuse(
        loaded,
        action,
        category,
        new VaultRestrictedError(
          'this data is restricted: only storage maintenance, security and purge may touch it',
        ),
      );
    }
  }

  async #refuse(
    loaded: Loaded,
    action: string,
    category: DataCategory,
    err: Error & { code: string },
    details?: AuditEvent['details'],
  ): Promise<never> {
    await this.#core.emit(this.#core.db, [
      this.#ev(loaded, 'refusal', action, category, err.code, details),
    ]);
    throw err;
  }

  /** Runs a decrypting step; a typed failure is audited as a failed access, then rethrown. */
  async #audited<T>(
    loaded: Loaded,
    action: string,
    category: DataCategory,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isAppError(err)) {
        await this.#core.emit(this.#core.db, [
          this.#ev(loaded, 'access', action, category, err.code),
        ]);
      }
      throw err;
    }
  }

  async #decrypt<T>(row: VaultRecordTable): Promise<T> {
    const key = await this.#core.key(this.#core.db, row.subject_id, row.grp, row.gen);
    const bytes = this.#core.openRecord(key, row);
    key.key.fill(0);
    return JSON.parse(bytes.toString('utf8')) as T;
  }

  #ev(
    loaded: Loaded,
    kind: AuditEvent['kind'],
    action: string,
    category: string,
    outcome: string,
    details?: AuditEvent['details'],
  ): AuditEvent {
    return this.#core.event(this.#ctx, {
      kind,
      subjectAuditId: loaded.meta.auditId,
      category,
      action,
      outcome,
      ...(details === undefined ? {} : { details }),
    });
  }
}

function toRecord<T>(row: VaultRecordTable, value: T): VaultRecord<T> {
  return {
    recordId: row.id,
    subjectId: row.subject_id,
    group: row.grp as VaultRecord['group'],
    category: row.category as DataCategory,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    value,
  };
}
