// SPDX-License-Identifier: Apache-2.0
/**
 * @module The data directory: `healthcode.db`, `config.json`, keys, outbox, reports. Creating one
 * is atomic (a fully written temp dir is renamed into place), so several commands starting at
 * once are safe; an existing dir is never overwritten.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileExists, writeFileAtomic, writeFileExclusive } from '../../kernel/shared/files.js';
import { assertStorageRegion, defaultConfig, parseConfig, type Config } from './config.js';
import { ConfigError, DataDirMissingError } from './errors.js';

/** Well-known paths inside a data dir. */
export interface DataPaths {
  readonly root: string;
  readonly db: string;
  readonly config: string;
  readonly keys: string;
  readonly outbox: string;
  readonly reports: string;
  readonly checkpoint: string;
}

export function dataPaths(dir: string): DataPaths {
  const root = resolve(dir);
  return {
    root,
    db: join(root, 'healthcode.db'),
    config: join(root, 'config.json'),
    keys: join(root, 'keys'),
    outbox: join(root, 'outbox'),
    reports: join(root, 'reports'),
    checkpoint: join(root, 'checkpoint.txt'),
  };
}

const exists = fileExists;

/** The shared file primitives, still exported from here for the app's callers. */
export { writeFileAtomic, writeFileExclusive };

export interface OpenedDataDir {
  readonly paths: DataPaths;
  readonly config: Config;
  /** True when this call created the directory. */
  readonly created: boolean;
}

/**
 * Opens a data dir, creating it (with `initialConfig`) when `create` is set and it is missing.
 * Validates the config and the storage-region rule before anything else touches the store.
 */
export function openDataDir(
  dir: string,
  options: { create: boolean; initialConfig?: Partial<Config> },
): OpenedDataDir {
  const paths = dataPaths(dir);
  let created = false;
  if (!exists(paths.config)) {
    if (!options.create) {
      throw new DataDirMissingError(
        `no healthcode data dir at ${paths.root} (run "healthcode seed" or "healthcode serve --demo" first)`,
      );
    }
    const config = defaultConfig(options.initialConfig);
    assertStorageRegion(config);
    const body = JSON.stringify(config, null, 2) + '\n';
    if (!exists(paths.root)) {
      mkdirSync(dirname(paths.root), { recursive: true });
      const tmp = `${paths.root}.tmp-${randomBytes(6).toString('hex')}`;
      mkdirSync(tmp, { mode: 0o700 });
      writeFileSync(join(tmp, 'config.json'), body, { mode: 0o600 });
      try {
        renameSync(tmp, paths.root);
        created = true;
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') {
          throw err;
        }
      }
    } else {
      created = writeFileExclusive(paths.config, body);
    }
    // Another process may have won the race; wait briefly for its config to appear.
    for (let i = 0; i < 100 && !exists(paths.config); i++) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(paths.config, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`config.json in ${paths.root} is not valid JSON`, { cause });
  }
  const config = parseConfig(raw);
  assertStorageRegion(config);
  return { paths, config, created };
}
