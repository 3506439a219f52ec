// SPDX-License-Identifier: Apache-2.0
/**
 * @module KEK rotation (DESIGN.md §3; NIST SP 800-57 Pt 1 §5.3 cryptoperiods): a new random KEK
 * becomes active, every data key and instance key still wrapped by the retiring KEK is unwrapped
 * and re-wrapped under the new one — the data itself is never touched — and the retiring KEK is
 * then destroyed, so key backups made under it age out.
 *
 * Resumable: the retiring KEK is the journal. Batches commit one by one, each re-wrap is
 * conditional on the row still being wrapped by the retiring version, and a run that finds a
 * retiring KEK continues where the last one stopped.
 */
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { open, seal, zeroize, cryptoErrors } from '../../kernel/crypto/index.js';
import { KeyUnwrapError } from './errors.js';
import { dekAad, instanceKeyAad, KEYSTORE_SCHEMA } from './model.js';
import type { Keyring } from './keyring.js';
import * as repo from './repository.js';
import type { DekTable } from './repository.js';

export interface RotationOptions {
  /** Data keys per transaction (default 5000). */
  readonly batchSize?: number;
  /** Called once with the number of data keys to re-wrap, then after every batch. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stop after this many batches, leaving the rotation resumable (tests, maintenance windows). */
  readonly maxBatches?: number;
}

export interface RotationResult {
  readonly from: readonly number[];
  readonly to: number;
  readonly resumed: boolean;
  readonly rewrapped: number;
  readonly instanceKeys: number;
  /** KEK versions destroyed; empty when stopped early by `maxBatches`. */
  readonly destroyed: readonly number[];
  readonly complete: boolean;
}

/**
 * Rotates the key-encryption key, or resumes an interrupted rotation.
 *
 * @example
 * const r = await rotateKeys(store.keyring, store.db, { onProgress: (d, t) => bar.update(d) });
 */
export async function rotateKeys(
  keyring: Keyring,
  db: Db,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 5000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('"batchSize" expected a positive integer');
  }
  const plan = await keyring.write((ks) => keyring.beginRotation(ks));
  const total = await countWrappedBy(keyring, plan.from);
  options.onProgress?.(0, total);
  let done = 0;
  let batches = 0;
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) {
      return { ...plan, rewrapped: done, instanceKeys: 0, destroyed: [], complete: false };
    }
    const n = await keyring.write(async (ks) => {
      const to = await keyring.activeKek(ks);
      if (to.version !== plan.to) {
        throw new RangeError('another rotation took over; run "keys rotate" again');
      }
      const rows =
        db.dialect === 'sqlite'
          ? (db
              .sqlite!.prepare(
                `select subject_id, scope, gen, kek_version, wrapped from ${KEYSTORE_SCHEMA}.dek where kek_version in (${plan.from.map(() => '?').join(',')}) limit ?`,
              )
              .all(...plan.from, batchSize) as DekTable[])
          : await repo.deksWrappedBy(ks, plan.from, batchSize);
      const updates: Array<[Buffer, string, string, number, number]> = [];
      for (const row of rows) {
        const old = await keyring.kek(row.kek_version!, ks);
        const aadOld = dekAad(row.subject_id, row.scope, row.gen, row.kek_version!);
        let key: Buffer;
        try {
          key = open(old, row.wrapped!, aadOld);
        } catch (err) {
          if (err instanceof cryptoErrors.IntegrityError) {
            throw new KeyUnwrapError(`a data key (${row.scope}#${row.gen}) does not unwrap`, {
              cause: err,
            });
          }
          throw err;
        }
        const wrapped = seal(
          to.key,
          key,
          dekAad(row.subject_id, row.scope, row.gen, to.version),
          keyring.nonces,
        );
        zeroize(key);
        updates.push([wrapped, row.subject_id, row.scope, row.gen, row.kek_version!]);
      }
      if (db.dialect === 'sqlite') {
        const stmt = db.sqlite!.prepare(
          `update ${KEYSTORE_SCHEMA}.dek set kek_version = ?, wrapped = ? where subject_id = ? and scope = ? and gen = ? and kek_version = ?`,
        );
        for (const [wrapped, s, scope, gen, from] of updates) {
          stmt.run(to.version, wrapped, s, scope, gen, from);
        }
      } else {
        await updateDeksPg(ks, to.version, updates);
      }
      return rows.length;
    });
    if (n === 0) {
      break;
    }
    done += n;
    batches++;
    options.onProgress?.(done, total);
  }
  const instanceKeys = await keyring.write(async (ks) => {
    const to = await keyring.activeKek(ks);
    let count = 0;
    for (const row of await repo.listInstanceKeys(ks)) {
      if (!plan.from.includes(row.kek_version)) {
        continue;
      }
      const old = await keyring.kek(row.kek_version, ks);
      const key = open(old, row.wrapped, instanceKeyAad(row.name, row.kek_version));
      await repo.putInstanceKey(ks, {
        ...row,
        kek_version: to.version,
        wrapped: seal(to.key, key, instanceKeyAad(row.name, to.version), keyring.nonces),
      });
      zeroize(key);
      count++;
    }
    return count;
  });
  await keyring.write(async (ks) => {
    if ((await countWrappedBy(keyring, plan.from, ks)) > 0) {
      throw new RangeError(
        'data keys are still wrapped by the retiring KEK; run "keys rotate" again',
      );
    }
    const at = keyring.clock.now().getTime();
    for (const v of plan.from) {
      await repo.setKekState(ks, v, 'destroyed', at);
    }
  });
  for (const v of plan.from) {
    keyring.forgetKek(v);
  }
  await scrubKeyStore(db);
  return { ...plan, rewrapped: done, instanceKeys, destroyed: plan.from, complete: true };
}

async function countWrappedBy(
  keyring: Keyring,
  versions: readonly number[],
  ks = keyring.store,
): Promise<number> {
  const r = await ks
    .selectFrom('dek')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kek_version', 'in', versions)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One UPDATE … FROM (VALUES …) per chunk: a round trip per row would dominate on PostgreSQL. */
async function updateDeksPg(
  ks: Keyring['store'],
  to: number,
  updates: ReadonlyArray<[Buffer, string, string, number, number]>,
): Promise<void> {
  for (let i = 0; i < updates.length; i += 1000) {
    const chunk = updates.slice(i, i + 1000);
    const values = sql.join(
      chunk.map(
        ([w, s, scope, gen, from]) =>
          sql`(${w}::bytea, ${s}::text, ${scope}::text, ${gen}::int, ${from}::int)`,
      ),
    );
    await sql`update ${sql.table(`${KEYSTORE_SCHEMA}.dek`)} as d
      set kek_version = ${to}, wrapped = v.w
      from (values ${values}) as v(w, s, scope, gen, f)
      where d.subject_id = v.s and d.scope = v.scope and d.gen = v.gen and d.kek_version = v.f`.execute(
      ks,
    );
  }
}

/**
 * Pushes destroyed key bytes out of the places an engine keeps old versions: on SQLite the WAL
 * (checkpoint, then truncate; freed cells are already zeroed by `secure_delete`), on PostgreSQL
 * the dead tuples (VACUUM).
 */
export async function scrubKeyStore(db: Db): Promise<void> {
  if (db.dialect === 'sqlite') {
    db.sqlite!.pragma(`${KEYSTORE_SCHEMA}.wal_checkpoint(TRUNCATE)`);
  } else {
    await sql`vacuum ${sql.table(`${KEYSTORE_SCHEMA}.kek`)}, ${sql.table(`${KEYSTORE_SCHEMA}.dek`)}, ${sql.table(`${KEYSTORE_SCHEMA}.instance_key`)}`.execute(
      db.kysely,
    );
  }
}
