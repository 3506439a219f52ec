// SPDX-License-Identifier: Apache-2.0
/**
 * @module Opens an instance: data dir, config, database (SQLite file or PostgreSQL), migrations,
 * clock and randomness, wired once (STYLE.md §19). Everything else receives a {@link Store}.
 */
import { migrateToLatest, openDb, type Db, type Migration } from '../db/index.js';
import { systemClock, systemRandom, type Clock, type Random } from '../../kernel/shared/index.js';
import type { Config } from './config.js';
import { openDataDir, type DataPaths } from './data-dir.js';
import { runtimeMigrations } from './schema.js';
import { openKeyring, prepareMasterKey, type KeyProvider, type Keyring } from '../keys/index.js';

export interface StoreOptions {
  /** The data dir (default `./data`). */
  readonly dataDir: string;
  /** A PostgreSQL URL replacing the SQLite file (from `--db` or `HEALTHCODE_DB_URL`). */
  readonly dbUrl?: string | undefined;
  /** Create the data dir when missing. */
  readonly create: boolean;
  /**
   * Every capability's migrations (timestamped names, one global order), handed in by the
   * composition root, which alone knows every capability; the runtime adds its own.
   */
  readonly migrations: Readonly<Record<string, Migration>>;
  readonly initialConfig?: Partial<Config>;
  readonly clock?: Clock;
  readonly random?: Random;
  /** An external KMS instead of the master secret (docs/key-providers.md). */
  readonly keyProvider?: KeyProvider;
}

/** An open instance. */
export interface Store {
  readonly paths: DataPaths;
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly random: Random;
  /** Key-encryption keys, data keys, lookup key, KeyWrapper port (src/platform/keys). */
  readonly keyring: Keyring;
  /** True when this open created the data dir. */
  readonly created: boolean;
  close(): Promise<void>;
}

/** Opens (and, when allowed, creates) an instance and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dir = openDataDir(options.dataDir, {
    create: options.create,
    ...(options.initialConfig ? { initialConfig: options.initialConfig } : {}),
  });
  // The master key is checked before the database is opened: a missing or wrong key touches nothing.
  const random = options.random ?? systemRandom;
  const provider =
    options.keyProvider ??
    prepareMasterKey({
      dataDir: dir.paths.root,
      env: process.env,
      random,
      warn: (line) => process.stderr.write(`${line}\n`),
    });
  const db = await openDb(
    options.dbUrl
      ? { kind: 'postgres', url: options.dbUrl }
      : { kind: 'sqlite', file: dir.paths.db },
  );
  const clock = options.clock ?? systemClock;
  let keyring: Keyring;
  try {
    await migrateToLatest(db, { ...runtimeMigrations, ...options.migrations });
    keyring = await openKeyring({ db, keysDir: dir.paths.keys, provider, clock, random });
  } catch (err) {
    provider.dispose();
    await db.close();
    throw err;
  }
  return {
    paths: dir.paths,
    config: dir.config,
    db,
    clock,
    random,
    keyring,
    created: dir.created,
    close: async () => {
      keyring.close();
      await db.close();
    },
  };
}
