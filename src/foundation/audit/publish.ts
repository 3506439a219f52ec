// SPDX-License-Identifier: Apache-2.0
/**
 * @module Publishing the latest signed checkpoint (C2SP tlog-checkpoint) to `DIR/checkpoint.txt`,
 * where auditors and the HTTP `/checkpoint` route pick it up. Written atomically (temp file +
 * rename) under the log's head lock, and never replaced by a smaller tree.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../kernel/shared/files.js';

function publishedSize(text: string): number | undefined {
  const line = text.split('\n')[1];
  return line !== undefined && /^(0|[1-9]\d{0,15})$/.test(line) ? Number(line) : undefined;
}

/** Writes `note` (a signed checkpoint of `size`) to `path` unless a larger one is there. */
export function publishCheckpoint(path: string, note: string, size: number): boolean {
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
    current = undefined;
  }
  if (current === note) {
    return false;
  }
  const there = current === undefined ? undefined : publishedSize(current);
  if (there !== undefined && there > size) {
    return false;
  }
  // The checkpoint is public: world-readable, unlike the rest of the data dir.
  writeFileAtomic(path, note, 0o644);
  return true;
}
