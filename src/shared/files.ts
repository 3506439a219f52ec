// SPDX-License-Identifier: Apache-2.0
/**
 * @module Small file primitives shared by the data dir and the key files: an existence check, a
 * create-only write that never replaces a file another process wrote first (temp file + hard
 * link, POSIX link(2) fails with EEXIST), and an atomic replace (temp file + rename(2)). Files are
 * written 0600 by default: they may hold key material or personal data.
 */
import { linkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** True when `path` exists (any kind of entry). */
export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A temp name beside `path`, so link and rename stay on one file system. */
function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes a file only if it does not exist yet, atomically; false when it existed. */
export function writeFileExclusive(path: string, content: string | Buffer, mode = 0o600): boolean {
  const tmp = tempBeside(path);
  writeFileSync(tmp, content, { mode });
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Replaces a file atomically (temp file + rename). */
export function writeFileAtomic(path: string, content: string | Buffer, mode = 0o600): void {
  const tmp = tempBeside(path);
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
