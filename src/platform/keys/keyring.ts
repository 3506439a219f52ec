// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keyring (DESIGN.md §3): versioned key-encryption keys wrapped by the
 * {@link KeyProvider}, per-subject per-scope data keys (DEKs) wrapped by the active KEK, the
 * instance's lookup key (blind indexes) and wrapper key (the {@link KeyWrapper} port), and the
 * tombstones erasure leaves. Everything lives in the key store, apart from the data.
 *
 * Concurrency: every write that wraps under the active KEK re-reads which KEK is active inside
 * its own transaction, so a rotation running in another process can never leave a key wrapped
 * by a KEK it is about to destroy.
 */
import type { Kysely } from 'kysely';
import type { Db, DialectName } from '../db/index.js';
import type { Clock } from '../../kernel/shared/clock.js';
import type { KeyWrapper } from '../../kernel/shared/key-wrapper.js';
import type { Random } from '../../kernel/shared/random.js';
import {
  associatedData,
  NoncePool,
  open,
  seal,
  toBase64Url,
  zeroize,
  cryptoErrors,
} from '../../kernel/crypto/index.js';
import {
  DataKeyDestroyedError,
  DataKeyMissingError,
  KekUnavailableError,
  KeyUnwrapError,
  MasterKeyWrongError,
} from './errors.js';
import {
  assertScope,
  assertSubjectId,
  dekAad,
  INSTANCE_KEYS,
  instanceKeyAad,
  KEYSTORE_SCHEMA,
  SECRET_LENGTH,
  type DataKey,
  type InstanceKeyName,
  type Tombstone,
} from './model.js';
import type { KeyProvider } from './provider.js';
import { sameCheckValue } from './provider.js';
import * as repo from './repository.js';
import type { DekTable, KeyStoreDb, TombstoneTable } from './repository.js';
import { writeTransaction } from './tx.js';

export interface KeyringOptions {
  readonly db: Db;
  /** `DIR/keys`: where the SQLite key store file lives. */
  readonly keysDir: string;
  readonly provider: KeyProvider;
  readonly clock: Clock;
  readonly random: Random;
}

/** What `keys status` shows: versions, counts and dates only. */
export interface KeyStatus {
  readonly provider: string;
  readonly activeKek: number;
  readonly keks: ReadonlyArray<{
    version: number;
    state: string;
    createdAt: string;
    retiredAt: string | null;
    destroyedAt: string | null;
  }>;
  readonly dataKeys: { live: number; destroyed: number; byKek: Record<string, number> };
  readonly tombstones: number;
  readonly rotationInProgress: boolean;
  readonly rotationPeriodDays: number;
  readonly nextRotationDue: string;
}

/** The default key rotation period; key backups age out within one period (docs). */
export const DEFAULT_ROTATION_DAYS = 30;

/** A request for a subject's current data key in one scope. */
export interface DataKeyRequest {
  readonly subjectId: string;
  readonly scope: string;
}

/** The key store row every SQLite key-store transaction locks first (see tx.ts). */
const KEYSTORE_LOCK = { table: 'healthcode_keys.keystore_meta', column: 'name' };

const slot = (subjectId: string, scope: string) => `${subjectId}\u0000${scope}`;

/**
 * Opens the keyring of an instance: attaches (SQLite) or finds (PostgreSQL) the key store, sets it
 * up on first use, and checks the provider against the key check value recorded there.
 */
export async function openKeyring(options: KeyringOptions): Promise<Keyring> {
  const ks = repo.attachKeyStore(options.db, options.keysDir);
  const keyring = new Keyring(ks, options);
  await keyring.setUp();
  return keyring;
}

export class Keyring {
  readonly dialect: DialectName;
  readonly provider: KeyProvider;
  readonly #ks: KeyStoreDb;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #nonces: NoncePool;
  readonly #keks = new Map<number, Buffer>();
  readonly #instance = new Map<InstanceKeyName, Buffer>();
  #closed = false;

  constructor(ks: KeyStoreDb, options: KeyringOptions) {
    this.#ks = ks;
    this.#db = options.db;
    this.dialect = options.db.dialect;
    this.provider = options.provider;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#nonces = new NoncePool(options.random);
  }

  /** The key store handle, for the keyring's own services (rotation, backups, vault erasure). */
  get store(): KeyStoreDb {
    return this.#ks;
  }

  /** The random source keys are drawn from. */
  get random(): Random {
    return this.#random;
  }

  /** The clock the keyring stamps rows with. */
  get clock(): Clock {
    return this.#clock;
  }

  /** Nonce source shared by this keyring's wraps. */
  get nonces(): NoncePool {
    return this.#nonces;
  }

  /** Runs `fn` in one write transaction on the key store. */
  async write<T>(fn: (ks: KeyStoreDb) => Promise<T>): Promise<T> {
    return writeTransaction(this.#ks, this.dialect, KEYSTORE_LOCK, fn);
  }

  /** First-use set-up and key check; idempotent and safe for concurrent starts. */
  async setUp(): Promise<void> {
    const kcv = await this.provider.checkValue();
    if (this.dialect === 'postgres') {
      await this.#ks.transaction().execute(async (ks) => {
        await repo.lockKeyStoreSetup(ks, this.dialect);
        await repo.createKeyStoreTables(ks, this.dialect);
      });
    } else {
      // Each DDL statement commits on its own; SQLite serialises them across processes.
      await repo.createKeyStoreTables(this.#ks, this.dialect);
    }
    await this.write(async (ks) => {
      await repo.lockKeyStoreSetup(ks, this.dialect);
      const recorded = await repo.getMeta(ks, 'kcv');
      if (recorded === undefined) {
        await repo.setMeta(ks, 'kcv', kcv);
        await repo.setMeta(ks, 'created_at', this.#clock.now().toISOString());
      } else if (!sameCheckValue(recorded, kcv)) {
        throw new MasterKeyWrongError(
          'the master key does not match this key store (key check value differs); nothing was changed',
        );
      }
      if ((await repo.activeKek(ks, this.dialect)) === undefined) {
        await this.#createKek(ks, 1);
      }
      for (const name of INSTANCE_KEYS) {
        if ((await repo.getInstanceKey(ks, name)) === undefined) {
          const active = await this.activeKek(ks);
          const key = this.#random.bytes(SECRET_LENGTH);
          await repo.putInstanceKey(ks, {
            name,
            kek_version: active.version,
            wrapped: seal(active.key, key, instanceKeyAad(name, active.version), this.#nonces),
            created_at: this.#clock.now().getTime(),
          });
          zeroize(key);
        }
      }
    });
  }

  /** Creates a random KEK of `version`, wrapped by the provider, in the `active` state. */
  async #createKek(ks: KeyStoreDb, version: number): Promise<void> {
    const kek = this.#random.bytes(SECRET_LENGTH);
    await repo.insertKek(ks, {
      version,
      state: 'active',
      provider: this.provider.id,
      wrapped: await this.provider.wrapKek(kek, version),
      created_at: this.#clock.now().getTime(),
      retired_at: null,
      destroyed_at: null,
    });
    // Not cached: the transaction may still roll back; the first use unwraps the stored row.
    zeroize(kek);
  }

  /** Starts a rotation inside `ks`'s transaction: a new active KEK, the old one retiring. */
  async beginRotation(ks: KeyStoreDb): Promise<{ from: number[]; to: number; resumed: boolean }> {
    const keks = await repo.listKeks(ks);
    const active = keks.find((k) => k.state === 'active');
    const retiring = keks.filter((k) => k.state === 'retiring').map((k) => k.version);
    if (active === undefined) {
      throw new KekUnavailableError('the key store has no active KEK');
    }
    if (retiring.length > 0) {
      return { from: retiring, to: active.version, resumed: true };
    }
    const next = Math.max(...keks.map((k) => k.version)) + 1;
    await repo.setKekState(ks, active.version, 'retiring', this.#clock.now().getTime());
    await this.#createKek(ks, next);
    return { from: [active.version], to: next, resumed: false };
  }

  /** The active KEK (read inside the caller's transaction, so rotations are seen at once). */
  async activeKek(ks: KeyStoreDb = this.#ks): Promise<{ version: number; key: Buffer }> {
    const row = await repo.activeKek(ks, this.dialect, true);
    if (row === undefined) {
      throw new KekUnavailableError('the key store has no active KEK');
    }
    return { version: row.version, key: await this.kek(row.version, ks) };
  }

  /** The KEK of a version, unwrapped by the provider (cached while it is not destroyed). */
  async kek(version: number, ks: KeyStoreDb = this.#ks): Promise<Buffer> {
    const cached = this.#keks.get(version);
    if (cached !== undefined) {
      return cached;
    }
    const row = await repo.kekByVersion(ks, version);
    if (row === undefined || row.wrapped === null) {
      throw new KekUnavailableError(
        `KEK version ${version} ${row === undefined ? 'is unknown' : 'was destroyed by a rotation'}`,
      );
    }
    const key = await this.provider.unwrapKek(row.wrapped, version);
    this.#keks.set(version, key);
    return key;
  }

  /** Forgets a KEK held in memory (after a rotation destroys it). */
  forgetKek(version: number): void {
    zeroize(this.#keks.get(version));
    this.#keks.delete(version);
  }

  /** Wraps a data key under a KEK. */
  wrapDek(kek: { version: number; key: Buffer }, k: DataKey): Buffer {
    return seal(kek.key, k.key, dekAad(k.subjectId, k.scope, k.gen, kek.version), this.#nonces);
  }

  /** Unwraps a data-key row; typed errors for husks, destroyed KEKs and tampering. */
  async unwrapDek(row: DekTable, ks: KeyStoreDb = this.#ks): Promise<DataKey> {
    if (row.wrapped === null || row.kek_version === null) {
      throw new DataKeyDestroyedError(`the data key ${row.scope}#${row.gen} was destroyed`);
    }
    const kek = await this.kek(row.kek_version, ks);
    try {
      const key = open(
        kek,
        row.wrapped,
        dekAad(row.subject_id, row.scope, row.gen, row.kek_version),
      );
      return { subjectId: row.subject_id, scope: row.scope, gen: row.gen, key };
    } catch (err) {
      if (err instanceof cryptoErrors.IntegrityError) {
        throw new KeyUnwrapError(
          `the data key ${row.scope}#${row.gen} does not unwrap under KEK version ${row.kek_version}`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  /** An instance key (`lookup` for blind indexes, `wrapper` for the KeyWrapper port). */
  async instanceKey(name: InstanceKeyName): Promise<Buffer> {
    const cached = this.#instance.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const row = await repo.getInstanceKey(this.#ks, name);
    if (row === undefined) {
      throw new DataKeyMissingError(`the instance key "${name}" is missing from the key store`);
    }
    const kek = await this.kek(row.kek_version);
    try {
      const key = open(kek, row.wrapped, instanceKeyAad(name, row.kek_version));
      this.#instance.set(name, key);
      return key;
    } catch (err) {
      throw new KeyUnwrapError(`the instance key "${name}" does not unwrap`, { cause: err });
    }
  }

  /**
   * The {@link KeyWrapper} port: secrets of other capabilities (audit period keys, signing keys)
   * are sealed under the instance wrapper key with their context as associated data. The wrapper
   * key itself is a key-store entry wrapped by the active KEK, re-wrapped by every rotation, so
   * what callers hold stays valid across rotations.
   */
  keyWrapper(): KeyWrapper {
    return {
      wrap: async (secret, context) => {
        assertContext(context);
        const key = await this.instanceKey('wrapper');
        return seal(key, secret, associatedData('keywrapper', context), this.#nonces);
      },
      unwrap: async (wrapped, context) => {
        assertContext(context);
        const key = await this.instanceKey('wrapper');
        return open(key, wrapped, associatedData('keywrapper', context));
      },
    };
  }

  /**
   * The current data keys for many (subject, scope) slots, creating generation 1 (or the next
   * after a destroyed one) where none is live. One key-store transaction; returns the keys in
   * request order.
   */
  async ensureDataKeys(requests: readonly DataKeyRequest[]): Promise<DataKey[]> {
    for (const r of requests) {
      assertSubjectId(r.subjectId);
      assertScope(r.scope);
    }
    if (requests.length === 0) {
      return [];
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#ensureDataKeysOnce(requests);
      } catch (err) {
        // Another writer created one of the slots between our read and our insert: read again.
        if (attempt >= 3 || !isUniqueViolation(err)) {
          throw err;
        }
      }
    }
  }

  async #ensureDataKeysOnce(requests: readonly DataKeyRequest[]): Promise<DataKey[]> {
    return this.write(async (ks) => {
      const subjects = [...new Set(requests.map((r) => r.subjectId))];
      const rows: DekTable[] = [];
      for (let i = 0; i < subjects.length; i += 500) {
        rows.push(...(await repo.deksOfSubjects(ks, subjects.slice(i, i + 500))));
      }
      const current = new Map<string, DekTable>();
      const maxGen = new Map<string, number>();
      for (const row of rows) {
        const k = slot(row.subject_id, row.scope);
        maxGen.set(k, Math.max(maxGen.get(k) ?? 0, row.gen));
        const cur = current.get(k);
        if (row.wrapped !== null && (cur === undefined || row.gen > cur.gen)) {
          current.set(k, row);
        }
      }
      const out = new Map<string, DataKey>();
      const fresh: DataKey[] = [];
      for (const r of requests) {
        const k = slot(r.subjectId, r.scope);
        if (out.has(k)) {
          continue;
        }
        const row = current.get(k);
        if (row !== undefined && row.gen >= (maxGen.get(k) ?? 0)) {
          out.set(k, await this.unwrapDek(row, ks));
        } else {
          const dk = {
            subjectId: r.subjectId,
            scope: r.scope,
            gen: (maxGen.get(k) ?? 0) + 1,
            key: this.#random.bytes(SECRET_LENGTH),
          };
          fresh.push(dk);
          out.set(k, dk);
        }
      }
      await this.#insertDataKeys(ks, fresh);
      return requests.map((r) => out.get(slot(r.subjectId, r.scope))!);
    });
  }

  /**
   * Creates generation-1 data keys for subjects that were just minted (random, never seen), in
   * bulk: one random draw, one transaction, prepared statements on SQLite. The ingest path.
   */
  async createFreshDataKeys(requests: readonly DataKeyRequest[]): Promise<DataKey[]> {
    if (requests.length === 0) {
      return [];
    }
    const material = this.#random.bytes(SECRET_LENGTH * requests.length);
    const keys = requests.map((r, i) => ({
      subjectId: r.subjectId,
      scope: r.scope,
      gen: 1,
      key: Buffer.from(material.subarray(i * SECRET_LENGTH, (i + 1) * SECRET_LENGTH)),
    }));
    zeroize(material);
    await this.write((ks) => this.#insertDataKeys(ks, keys));
    return keys;
  }

  async #insertDataKeys(ks: KeyStoreDb, keys: readonly DataKey[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    const kek = await this.activeKek(ks);
    const now = this.#clock.now().getTime();
    if (this.dialect === 'sqlite') {
      // Inside the pinned IMMEDIATE transaction: raw statements avoid Kysely's per-row cost.
      const stmt = this.#db.sqlite!.prepare(
        'insert into healthcode_keys.dek (subject_id, scope, gen, kek_version, wrapped, created_at, destroyed_at) values (?, ?, ?, ?, ?, ?, null)',
      );
      for (const k of keys) {
        stmt.run(k.subjectId, k.scope, k.gen, kek.version, this.wrapDek(kek, k), now);
      }
      return;
    }
    // A taken slot is a primary-key violation: never overwrite a key another writer created.
    await repo.insertDeks(
      ks,
      keys.map((k) => ({
        subject_id: k.subjectId,
        scope: k.scope,
        gen: k.gen,
        kek_version: kek.version,
        wrapped: this.wrapDek(kek, k),
        created_at: now,
        destroyed_at: null,
      })),
    );
  }

  /**
   * Every data key of a subject: live keys by scope and generation, and the destroyed slots.
   * Readers pick the key by the generation stored with each ciphertext.
   */
  async dataKeys(
    subjectId: string,
    scopes?: readonly string[],
    via: KeyStoreDb = this.#ks,
  ): Promise<{ live: Map<string, DataKey>; destroyed: Set<string> }> {
    assertSubjectId(subjectId);
    const rows = await repo.deksOfSubject(via, subjectId, scopes);
    const live = new Map<string, DataKey>();
    const destroyed = new Set<string>();
    for (const row of rows) {
      if (row.wrapped === null) {
        destroyed.add(`${row.scope}#${row.gen}`);
      } else {
        live.set(`${row.scope}#${row.gen}`, await this.unwrapDek(row, via));
      }
    }
    return { live, destroyed };
  }

  /**
   * The key store seen through another handle on the same database — a caller's transaction.
   * On SQLite a transaction pins the only connection, so key reads made inside one must go
   * through it rather than through the keyring's own handle.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  view(db: Kysely<any>): KeyStoreDb {
    return (db as KeyStoreDb).withSchema(KEYSTORE_SCHEMA);
  }

  /** One data key by slot; typed errors when destroyed or missing. */
  async dataKey(
    subjectId: string,
    scope: string,
    gen: number,
    via: KeyStoreDb = this.#ks,
  ): Promise<DataKey> {
    const { live, destroyed } = await this.dataKeys(subjectId, [scope], via);
    const k = live.get(`${scope}#${gen}`);
    if (k !== undefined) {
      return k;
    }
    if (destroyed.has(`${scope}#${gen}`)) {
      throw new DataKeyDestroyedError(`the data key ${scope}#${gen} was destroyed`);
    }
    throw new DataKeyMissingError(`no data key ${scope}#${gen} for this subject`);
  }

  /** Adds the next generation of a scope's data key, keeping the old one (re-encryption). */
  async rekey(subjectId: string, scope: string): Promise<DataKey> {
    assertSubjectId(subjectId);
    assertScope(scope);
    return this.write(async (ks) => {
      const rows = await repo.deksOfSubject(ks, subjectId, [scope]);
      const gen = rows.reduce((m, r) => Math.max(m, r.gen), 0) + 1;
      const dk = { subjectId, scope, gen, key: this.#random.bytes(SECRET_LENGTH) };
      await this.#insertDataKeys(ks, [dk]);
      return dk;
    });
  }

  /**
   * Destroys a subject's data keys in `scopes` (up to generation `upToGen` if given) and records
   * a pending tombstone, in one key-store transaction. From its commit on, the data those keys
   * protected is unreadable everywhere — database, WAL, backups, exports.
   */
  async destroyDataKeys(
    subjectId: string,
    scopes: readonly string[],
    options: { categories?: readonly string[]; upToGen?: number; tombstone?: boolean } = {},
  ): Promise<Tombstone | undefined> {
    assertSubjectId(subjectId);
    scopes.forEach(assertScope);
    const at = this.#clock.now();
    return this.write(async (ks) => {
      await repo.destroyDeks(ks, subjectId, scopes, at.getTime(), options.upToGen);
      if (options.tombstone === false) {
        return undefined;
      }
      const row: TombstoneTable = {
        id: toBase64Url(this.#random.bytes(12)),
        subject_id: subjectId,
        scopes: [...scopes].sort().join(','),
        categories: [...(options.categories ?? [])].sort().join(','),
        at: at.getTime(),
        state: 'pending',
      };
      await repo.insertTombstone(ks, row);
      return tombstoneFromRow(row);
    });
  }

  /** Tombstones, oldest first (all, or only pending / done). */
  async tombstones(state?: 'pending' | 'done'): Promise<Tombstone[]> {
    return (await repo.listTombstones(this.#ks, state)).map(tombstoneFromRow);
  }

  /** Marks a tombstone's erasure as complete (rows deleted, pages scrubbed). */
  async completeTombstone(id: string): Promise<void> {
    await this.write((ks) => repo.markTombstoneDone(ks, id));
  }

  /** The rotation period in days (key backups age out within one period). */
  async rotationPeriodDays(): Promise<number> {
    const v = await repo.getMeta(this.#ks, 'rotation_days');
    return v === undefined ? DEFAULT_ROTATION_DAYS : Number(v);
  }

  async setRotationPeriodDays(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw new RangeError('"days" expected an integer in [1, 3650]');
    }
    await this.write((ks) => repo.setMeta(ks, 'rotation_days', String(days)));
  }

  async status(): Promise<KeyStatus> {
    const keks = await repo.listKeks(this.#ks);
    const active = keks.find((k) => k.state === 'active');
    const days = await this.rotationPeriodDays();
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      provider: this.provider.id,
      activeKek: active?.version ?? 0,
      keks: keks.map((k) => ({
        version: k.version,
        state: k.state,
        createdAt: new Date(k.created_at).toISOString(),
        retiredAt: iso(k.retired_at),
        destroyedAt: iso(k.destroyed_at),
      })),
      dataKeys: await repo.countDeks(this.#ks),
      tombstones: await repo.countTombstones(this.#ks),
      rotationInProgress: keks.some((k) => k.state === 'retiring'),
      rotationPeriodDays: days,
      nextRotationDue: new Date((active?.created_at ?? 0) + days * 86_400_000).toISOString(),
    };
  }

  /** Zeroes every key held in memory. The store's `close()` calls it. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const k of this.#keks.values()) {
      zeroize(k);
    }
    for (const k of this.#instance.values()) {
      zeroize(k);
    }
    this.#keks.clear();
    this.#instance.clear();
    this.provider.dispose();
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}

function assertContext(context: string): void {
  if (typeof context !== 'string' || context.length === 0 || context.length > 200) {
    throw new RangeError('"context" expected a non-empty string of at most 200 characters');
  }
}

function tombstoneFromRow(row: TombstoneTable): Tombstone {
  return {
    id: row.id,
    subjectId: row.subject_id,
    scopes: row.scopes === '' ? [] : row.scopes.split(','),
    categories: row.categories === '' ? [] : row.categories.split(','),
    at: new Date(Number(row.at)),
    state: row.state,
  };
}
