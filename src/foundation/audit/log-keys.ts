// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's keys: one AES-256 key per month for sealing access details, and the
 * Ed25519 checkpoint key (C2SP signed-note), each stored wrapped through the keyring's
 * KeyWrapper and cached unwrapped while the log is open. Month keys are destroyed by retention
 * (DOMAIN.md §6 req. 25); a destroyed month is never given a key again.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Clock, KeyWrapper, Random } from '../../kernel/shared/index.js';
import {
  AuditKeyMismatchError,
  AuditNotInitializedError,
  AuditPeriodExpiredError,
} from './errors.js';
import type { SealingKey } from './leaf.js';
import { noteSigner, noteVerifier, type NoteSigner, type NoteVerifier } from './note.js';
import { addMonths, periodOf } from './period.js';
import * as repo from './repository.js';

type Db = Kysely<Database>;

/** KeyWrapper contexts: what each wrapped secret is for (bound as associated data). */
export const LOG_KEY_CONTEXT = 'audit:checkpoint-key';
export const periodKeyContext = (period: string): string => `audit:period:${period}`;

export class LogKeys {
  readonly #store: Store;
  readonly #wrapper: KeyWrapper;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #months = new Map<string, Buffer>();
  #signer: NoteSigner | undefined;

  constructor(store: Store, wrapper: KeyWrapper, clock: Clock, random: Random) {
    this.#store = store;
    this.#wrapper = wrapper;
    this.#clock = clock;
    this.#random = random;
  }

  /**
   * The month key for sealing now: from the cache, else read (and, the first time, created)
   * through `db`. `prepare` runs outside any transaction at start and from the jobs, so an
   * append normally finds its key cached and wraps nothing; when it does not, the key is fetched
   * through the caller's transaction (the keyring's wrapper key is cached by then, so the
   * KeyWrapper touches no database).
   */
  async sealingKey(db: Db): Promise<SealingKey> {
    const period = periodOf(this.#clock.now(), this.#store.config.timeZone);
    return { period, key: await this.#month(db, period) };
  }

  async #month(db: Db, period: string): Promise<Buffer> {
    const cached = this.#months.get(period);
    if (cached) {
      return cached;
    }
    let row = await repo.readPeriodKey(db, period);
    if (!row) {
      const fresh = this.#random.bytes(32);
      const wrapped = await this.#wrapper.wrap(fresh, periodKeyContext(period));
      fresh.fill(0);
      // Another process may create the same month's key first: theirs wins, we re-read.
      await repo.insertPeriodKey(db, period, wrapped, this.#clock.now().getTime());
      row = await repo.readPeriodKey(db, period);
    }
    if (!row || row.destroyed || row.wrapped === null) {
      throw new AuditPeriodExpiredError(`the log key of ${period} has been destroyed`);
    }
    const key = await this.#wrapper.unwrap(row.wrapped, periodKeyContext(period));
    this.#months.set(period, key);
    return key;
  }

  /** Creates (the first time) and caches this and next month's keys, outside any transaction. */
  async prepare(db: Db): Promise<string[]> {
    const current = periodOf(this.#clock.now(), this.#store.config.timeZone);
    const periods = [current, addMonths(current, 1)];
    for (const period of periods) {
      await this.#month(db, period);
    }
    return periods;
  }

  /** A month's key for reading, or undefined once it has been destroyed. Caller zeroes it. */
  async openMonth(db: Db, period: string): Promise<Buffer | undefined> {
    const row = await repo.readPeriodKey(db, period);
    if (!row || row.wrapped === null) {
      return undefined;
    }
    return this.#wrapper.unwrap(row.wrapped, periodKeyContext(period));
  }

  /** Drops destroyed months from the cache, zeroing the bytes. */
  forget(periods: readonly string[]): void {
    for (const period of periods) {
      this.#months.get(period)?.fill(0);
      this.#months.delete(period);
    }
  }

  /**
   * The checkpoint signer: the stored key unwrapped (created first when `create` and the log has
   * none), its public half checked against the row. Runs outside transactions (the KeyWrapper
   * may read the key store). `fresh` re-reads and re-checks instead of using the cache.
   */
  async signer(db: Db, create: boolean, fresh = false): Promise<NoteSigner | undefined> {
    if (this.#signer && !fresh) {
      return this.#signer;
    }
    this.#signer = undefined;
    let key = await repo.readLogKey(db);
    if (!key && create) {
      const seed = this.#random.bytes(32);
      try {
        const signer = noteSigner(this.#store.config.origin, seed);
        const wrapped = await this.#wrapper.wrap(seed, LOG_KEY_CONTEXT);
        await repo.insertLogKey(db, {
          name: signer.name,
          publicKey: signer.publicKey,
          wrapped,
          createdAt: this.#clock.now().getTime(),
        });
      } finally {
        seed.fill(0);
      }
      key = await repo.readLogKey(db);
    }
    if (!key) {
      return undefined;
    }
    const seed = await this.#wrapper.unwrap(key.wrapped, LOG_KEY_CONTEXT);
    try {
      const signer = noteSigner(key.name, seed);
      if (!signer.publicKey.equals(key.publicKey)) {
        throw new AuditKeyMismatchError(
          'the stored checkpoint key does not match its private half',
        );
      }
      this.#signer = signer;
      return signer;
    } finally {
      seed.fill(0);
    }
  }

  /** The public checkpoint key (no KeyWrapper needed). */
  async verifier(db: Db): Promise<NoteVerifier> {
    const key = await repo.readLogKey(db);
    if (!key) {
      throw new AuditNotInitializedError(
        'the audit log has no checkpoint key yet (run "healthcode audit checkpoint")',
      );
    }
    return noteVerifier(key.name, key.publicKey);
  }
}
