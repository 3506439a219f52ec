// SPDX-License-Identifier: Apache-2.0
/**
 * @module Small file primitives shared by the data dir and the key files: an existence check, a
 * create-only write that never replaces a file another process wrote first (temp file + hard
 * link, POSIX link(2) fails with EEXIST), and an atomic replace (temp file + rename(2)). Files are
 * written 0600 by default: they may hold key material or personal data.
 */
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * True when `path` exists (any kind of entry). A path that cannot be checked (EACCES, EIO…) is
 * an error, not a missing file.
 */
export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return false;
    }
    throw err;
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

/**
 * Replaces a file atomically: a temp file beside it, flushed to disk, then renamed over it, so a
 * reader sees the old or the new content, never half of it; on failure the temp file is removed.
 */
export function writeFileAtomic(path: string, content: string | Buffer, mode = 0o600): void {
  const tmp = tempBeside(path);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
