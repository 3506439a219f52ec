// SPDX-License-Identifier: Apache-2.0
/**
 * @module What every vault use case shares (internal, not exported from the door): the store,
 * keyring, audit and guard ports, ids, the data transaction, and sealing/opening of records and
 * subject metas under their data keys with their place as associated data.
 *
 * Ordering rule: key-store writes commit before the data transaction opens, and nothing inside
 * a data transaction calls the keyring through its own handle (on SQLite a transaction pins the
 * only connection); key reads inside one go through `keyring.view(trx)`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { Store } from '../../platform/runtime/store.js';
import type { Database } from '../../platform/db/schema.js';
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';
import { PooledRandom } from '../../kernel/shared/random.js';
import { NoncePool, open, seal, toBase64Url, cryptoErrors } from '../../kernel/crypto/index.js';
import {
  writeTransaction,
  type DataKey,
  type Keyring,
  keysErrors,
} from '../../platform/keys/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import { VaultErasedError, VaultIntegrityError, VaultSubjectUnknownError } from './errors.js';
import { interimGuard, type Guard } from './guard.js';
import {
  encodeValue,
  recordAad,
  subjectAad,
  SUBJECT_SCOPE,
  type AccessContext,
  type SubjectMeta,
} from './model.js';
import * as repo from './repository.js';
import type { VaultRecordTable, VaultSubjectTable } from './repository.js';

/** The ports a vault is built with. */
export interface VaultDeps {
  /** Where every read, write and refusal is recorded (src/foundation/audit implements it). */
  readonly audit: AuditPort;
  /** Default: {@link interimGuard}. */
  readonly guard?: Guard;
}

const DATA_LOCK = { table: 'vault_subject', column: 'id' } as const;

export class VaultCore {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly audit: AuditPort;
  readonly guard: Guard;
  readonly nonces: NoncePool;
  /** Ids drawn from a pool refilled in large CSPRNG reads (one read per ~4,000 ids, not per id). */
  readonly ids: PooledRandom;

  constructor(store: Store, deps: VaultDeps) {
    this.store = store;
    this.keyring = store.keyring;
    this.audit = deps.audit;
    this.guard = deps.guard ?? interimGuard;
    this.nonces = new NoncePool(store.random);
    this.ids = new PooledRandom(store.random);
  }

  readonly #statements = new Map<string, Statement>();

  /**
   * A prepared SQLite statement, cached: preparing is the expensive part of a small statement
   * (and of a long one — a 500-row VALUES list costs more to prepare than to run).
   */
  stmt(text: string): Statement {
    let s = this.#statements.get(text);
    if (s === undefined) {
      s = this.store.db.sqlite!.prepare(text);
      this.#statements.set(text, s);
    }
    return s;
  }

  get db(): Kysely<Database> {
    return this.store.db.kysely;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.store.db.dialect;
  }

  now(): Date {
    return this.store.clock.now();
  }

  /** A random opaque id: 16 bytes (128 bits) as base64url, 22 characters. */
  newId(): string {
    return toBase64Url(this.ids.bytes(16));
  }

  /** One data-side write transaction (see keys/tx.ts for the SQLite lock). */
  async dataTx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return writeTransaction(this.db, this.dialect, DATA_LOCK, fn);
  }

  async subjectRow(db: Kysely<Database>, subjectId: string): Promise<VaultSubjectTable> {
    const row = await repo.subjectById(db, subjectId);
    if (row === undefined) {
      throw new VaultSubjectUnknownError('no such subject (never created, or erased)');
    }
    return row;
  }

  /** The subject's data key of `scope` and generation `gen`, read through `db`. */
  async key(db: Kysely<Database>, subjectId: string, scope: string, gen: number): Promise<DataKey> {
    try {
      return await this.keyring.dataKey(subjectId, scope, gen, this.keyring.view(db));
    } catch (err) {
      if (err instanceof keysErrors.DataKeyDestroyedError) {
        throw new VaultErasedError(`the ${scope} data of this subject was erased`, { cause: err });
      }
      if (
        err instanceof keysErrors.DataKeyMissingError ||
        err instanceof keysErrors.KeyUnwrapError
      ) {
        throw new VaultIntegrityError(`the ${scope} data key of this subject is unusable`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /** Decrypts a subject's meta (audit id, birth date, guardian). */
  async meta(db: Kysely<Database>, row: VaultSubjectTable): Promise<SubjectMeta> {
    const k = await this.key(db, row.id, SUBJECT_SCOPE, row.gen);
    return decodeMeta(this.openWith(k.key, row.meta, subjectAad(row.id, row.kind, row.gen)));
  }

  sealMeta(key: DataKey, kind: string, meta: SubjectMeta): Buffer {
    return seal(key.key, encodeMeta(meta), subjectAad(key.subjectId, kind, key.gen), this.nonces);
  }

  sealRecord(
    key: DataKey,
    category: DataCategory,
    recordId: string,
    bucket: number | null,
    entries: string | null,
    plaintext: Uint8Array,
  ): Buffer {
    return seal(
      key.key,
      plaintext,
      recordAad(key.scope, category, key.subjectId, recordId, key.gen, bucket, entries),
      this.nonces,
    );
  }

  /** Opens a record row's ciphertext; any failure is a {@link VaultIntegrityError}. */
  openRecord(key: DataKey, row: VaultRecordTable): Buffer {
    return this.openWith(
      key.key,
      row.ct,
      recordAad(row.grp, row.category, row.subject_id, row.id, row.gen, row.bucket, row.entries),
    );
  }

  openWith(key: Buffer, ct: Buffer, aad: Buffer): Buffer {
    try {
      return open(key, ct, aad);
    } catch (err) {
      if (err instanceof cryptoErrors.IntegrityError) {
        throw new VaultIntegrityError(
          'a stored ciphertext failed authentication (damaged, truncated, moved or under the wrong key)',
          { cause: err },
        );
      }
      throw err;
    }
  }

  /** Appends audit events through the port, in `db`'s transaction when it is one. */
  async emit(db: Kysely<Database>, events: readonly AuditEvent[]): Promise<void> {
    if (events.length > 0) {
      await this.audit.append(db, events);
    }
  }

  /** An audit event of this context. */
  event(
    ctx: Pick<AccessContext, 'actor' | 'purpose'>,
    e: Omit<AuditEvent, 'actor' | 'purpose' | 'at'> & { at?: Date },
  ): AuditEvent {
    return { ...e, actor: ctx.actor, purpose: ctx.purpose, at: e.at ?? this.now() };
  }
}

function encodeMeta(meta: SubjectMeta): Buffer {
  return encodeValue({
    a: meta.auditId,
    ...(meta.birthDate === undefined ? {} : { b: meta.birthDate }),
    ...(meta.guardian === undefined ? {} : { g: meta.guardian }),
  });
}

function decodeMeta(bytes: Buffer): SubjectMeta {
  const m = JSON.parse(bytes.toString('utf8')) as { a: string; b?: string; g?: string };
  return {
    auditId: m.a,
    ...(m.b === undefined ? {} : { birthDate: m.b }),
    ...(m.g === undefined ? {} : { guardian: m.g }),
  };
}

/** Whether someone born on `birthDate` (YYYY-MM-DD) is under 14 on `at` (UTC+8 calendar). */
export function isUnder14(birthDate: string | undefined, at: Date): boolean {
  if (birthDate === undefined) {
    return false;
  }
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const fourteenth = `${String(y + 14).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return local < fourteenth;
}

/** A fresh random audit id: a letter then 128 random bits (never mistaken for a number). */
export function newAuditId(random: { bytes(n: number): Buffer }): string {
  return `a${toBase64Url(random.bytes(16))}`;
}
