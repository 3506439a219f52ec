// SPDX-License-Identifier: Apache-2.0
/**
 * @module A message the outbox cannot read (a disk error, a permission problem) is not garbage:
 * the purge fails loudly and the message stays, rather than being deleted as if it were torn.
 * The read error is injected into node:fs/promises for one file; everything else is the real
 * file system.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as FsPromises from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Paths whose reads fail with EIO. */
const failing = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    readFile: (path: Parameters<typeof real.readFile>[0], ...rest: unknown[]) => {
      if (typeof path === 'string' && failing.has(path)) {
        return Promise.reject(Object.assign(new Error('i/o error'), { code: 'EIO' }));
      }
      return (real.readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
    },
  };
});

const { FileOutbox } = await import('./file-outbox.js');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hc-outbox-faults-'));
  failing.clear();
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('file outbox under read errors', () => {
  it('fails the purge and keeps a live message it cannot read', async () => {
    const dir = join(root, 'outbox');
    const box = new FileOutbox(dir);
    const now = new Date('2026-03-01T00:00:00Z');
    const id = await box.send({
      to: '+8613800138000',
      purpose: 'login',
      expires: new Date(now.getTime() + 60_000),
      code: '123456',
    });
    const file = join(dir, `${id}.json`);
    failing.add(file);
    await expect(box.purgeExpired(now)).rejects.toMatchObject({ code: 'EIO' });
    expect(existsSync(file)).toBe(true);
    await expect(box.list()).rejects.toMatchObject({ code: 'EIO' });
    // Once the file reads again, the purge keeps it and the listing shows it.
    failing.clear();
    expect(await box.purgeExpired(now)).toEqual({ deleted: 0, kept: 1 });
    expect((await box.list()).map((m) => m.id)).toEqual([id]);
  });
});
