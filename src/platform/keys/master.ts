// SPDX-License-Identifier: Apache-2.0
/**
 * @module Finding the master secret at start-up, before the database is opened: from
 * `HEALTHCODE_MASTER_KEY`, else from `DIR/master.key` (mode 0600 or stricter). A new data dir with
 * neither gets a fresh key file and one warning line; an existing one whose key is missing or does
 * not match its recorded key check value fails with one clear line and nothing touched.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileExists, writeFileExclusive } from '../../kernel/shared/files.js';
import type { Random } from '../../kernel/shared/random.js';
import { systemRandom } from '../../kernel/shared/random.js';
import { zeroize } from '../../kernel/crypto/index.js';
import { MasterKeyFormatError, MasterKeyMissingError, MasterKeyWrongError } from './errors.js';
import {
  formatMasterKey,
  KEYSTORE_FILE,
  MASTER_CHECK_FILE,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE,
  parseMasterKeyText,
  SECRET_LENGTH,
} from './model.js';
import { LocalKeyProvider, masterCheckValue, sameCheckValue } from './provider.js';

export interface MasterKeyOptions {
  /** The data dir. */
  readonly dataDir: string;
  /** The process environment (read only by the composition root, STYLE.md §19). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly random?: Random;
  /** Receives the one warning line when a key file is created. */
  readonly warn?: (line: string) => void;
}

/** Paths of the key material in a data dir. */
export function masterKeyPaths(dataDir: string): {
  keyFile: string;
  keysDir: string;
  check: string;
} {
  const keysDir = join(dataDir, 'keys');
  return {
    keyFile: join(dataDir, MASTER_KEY_FILE),
    keysDir,
    check: join(keysDir, MASTER_CHECK_FILE),
  };
}

/** Reads the recorded key check value, or undefined when the keyring was never set up here. */
export function readCheckValue(dataDir: string): string | undefined {
  const { check } = masterKeyPaths(dataDir);
  if (!fileExists(check)) {
    return undefined;
  }
  const parsed = JSON.parse(readFileSync(check, 'utf8')) as { kcv?: unknown };
  if (typeof parsed.kcv !== 'string' || !/^[0-9a-f]{32}$/.test(parsed.kcv)) {
    throw new MasterKeyFormatError(`${MASTER_CHECK_FILE} in the data dir is damaged`);
  }
  return parsed.kcv;
}

/** Records the key check value (once; never overwritten). */
export function writeCheckValue(dataDir: string, kcv: string): void {
  const { keysDir, check } = masterKeyPaths(dataDir);
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  writeFileExclusive(check, JSON.stringify({ version: 1, kcv }) + '\n');
}

function readKeyFile(path: string): Buffer {
  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyFormatError(
      `${MASTER_KEY_FILE} is readable by group or others; chmod 600 it (nothing was changed)`,
    );
  }
  return parseMasterKeyText(readFileSync(path, 'utf8'), MASTER_KEY_FILE);
}

/**
 * Resolves the master secret for a data dir and checks it against the recorded key check value.
 * Writes only in a data dir whose keyring was never set up: the new key file (0600, with one
 * warning) and the check value.
 *
 * @example
 * const provider = prepareMasterKey({ dataDir, env: process.env, warn: console.error });
 */
export function prepareMasterKey(options: MasterKeyOptions): LocalKeyProvider {
  const paths = masterKeyPaths(options.dataDir);
  const recorded = readCheckValue(options.dataDir);
  const initialised = recorded !== undefined || fileExists(join(paths.keysDir, KEYSTORE_FILE));
  const envText = options.env[MASTER_KEY_ENV];
  let secret: Buffer;
  let source: string;
  if (envText !== undefined && envText.trim() !== '') {
    secret = parseMasterKeyText(envText, MASTER_KEY_ENV);
    source = 'env';
  } else if (fileExists(paths.keyFile)) {
    secret = readKeyFile(paths.keyFile);
    source = 'file';
  } else if (initialised) {
    throw new MasterKeyMissingError(
      `no master key for the data dir ${options.dataDir}: set ${MASTER_KEY_ENV} or restore ${MASTER_KEY_FILE} (docs/key-compromise-runbook.md); nothing was changed`,
    );
  } else {
    // A data dir whose keyring was never set up (new, or made before keys existed): create a key.
    const fresh = (options.random ?? systemRandom).bytes(SECRET_LENGTH);
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    if (writeFileExclusive(paths.keyFile, formatMasterKey(fresh))) {
      options.warn?.(
        `healthcode: warning: created a new master key in ${paths.keyFile}; move it to a secret store (${MASTER_KEY_ENV}) and make a Shamir export ("healthcode keys export")`,
      );
      secret = fresh;
      source = 'created';
    } else {
      zeroize(fresh);
      secret = readKeyFile(paths.keyFile); // another process won the race
      source = 'file';
    }
  }
  const kcv = masterCheckValue(secret);
  if (recorded !== undefined && !sameCheckValue(kcv, recorded)) {
    zeroize(secret);
    throw new MasterKeyWrongError(
      `the master key from ${source === 'env' ? MASTER_KEY_ENV : MASTER_KEY_FILE} does not match this data dir (key check value differs); nothing was changed`,
    );
  }
  if (recorded === undefined) {
    writeCheckValue(options.dataDir, kcv);
  }
  const provider = new LocalKeyProvider(secret, source, options.random);
  zeroize(secret);
  return provider;
}
