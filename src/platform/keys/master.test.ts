// SPDX-License-Identifier: Apache-2.0
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openStore } from '../runtime/index.js';
import { parseMasterKeyText, prepareMasterKey } from './index.js';
import { MasterKeyFormatError, MasterKeyMissingError, MasterKeyWrongError } from './errors.js';

const newDir = () => join(mkdtempSync(join(tmpdir(), 'hc-master-')), 'data');
const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('hex');

function snapshot(dir: string): string[] {
  const walk = (d: string, prefix = ''): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(d, e.name), `${prefix}${e.name}/`)
        : [
            `${prefix}${e.name}:${statSync(join(d, e.name)).size}:${statSync(join(d, e.name)).mtimeMs}`,
          ],
    );
  return walk(dir).sort();
}

describe('master key at start-up', () => {
  it('creates DIR/master.key (0600) with one warning line in a new data dir', async () => {
    const dir = newDir();
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const store = await openStore({ dataDir: dir, create: true, migrations: {} });
      await store.close();
      const lines = warn.mock.calls
        .map((c) => String(c[0]))
        .filter((l) => l.includes('master key'));
      expect(lines).toHaveLength(1);
      expect(lines[0].trim().split('\n')).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
    const file = join(dir, 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterKeyText(readFileSync(file, 'utf8'), 'file')).toHaveLength(32);
    // Reopening finds the key file and warns no more.
    const again = await openStore({ dataDir: dir, create: false, migrations: {} });
    await again.close();
  });

  it('uses HEALTHCODE_MASTER_KEY and writes no key file', () => {
    const dir = newDir();
    const p = prepareMasterKey({ dataDir: dir, env: { HEALTHCODE_MASTER_KEY: KEY_A } });
    expect(p.source).toBe('env');
    expect(readdirSync(dir)).toEqual(['keys']);
    p.dispose();
  });

  it('fails with one clear line and touches nothing when an existing dir has no key', async () => {
    const dir = newDir();
    const store = await openStore({ dataDir: dir, create: true, migrations: {} });
    await store.close();
    const keyFile = join(dir, 'master.key');
    const key = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, ''); // so the snapshot sees the same names
    const { unlinkSync } = await import('node:fs');
    unlinkSync(keyFile);
    const before = snapshot(dir);
    await expect(openStore({ dataDir: dir, create: false, migrations: {} })).rejects.toBeInstanceOf(
      MasterKeyMissingError,
    );
    await expect(openStore({ dataDir: dir, create: true, migrations: {} })).rejects.toThrow(
      /no master key/,
    );
    expect(snapshot(dir)).toEqual(before);
    writeFileSync(keyFile, key, { mode: 0o600 });
    const ok = await openStore({ dataDir: dir, create: false, migrations: {} });
    await ok.close();
  });

  it('fails when the key is wrong (key check value) and touches nothing', () => {
    const dir = newDir();
    const first = prepareMasterKey({ dataDir: dir, env: { HEALTHCODE_MASTER_KEY: KEY_A } });
    first.dispose();
    const before = snapshot(dir);
    expect(() => prepareMasterKey({ dataDir: dir, env: { HEALTHCODE_MASTER_KEY: KEY_B } })).toThrow(
      MasterKeyWrongError,
    );
    expect(snapshot(dir)).toEqual(before);
    const same = prepareMasterKey({
      dataDir: dir,
      env: { HEALTHCODE_MASTER_KEY: Buffer.from(KEY_A, 'base64').toString('hex') },
    });
    same.dispose();
  });

  it('refuses malformed key text and a key file readable by others', () => {
    expect(() => parseMasterKeyText('too-short', 'env')).toThrow(MasterKeyFormatError);
    expect(() => parseMasterKeyText(Buffer.alloc(31).toString('base64'), 'env')).toThrow(
      MasterKeyFormatError,
    );
    const dir = newDir();
    prepareMasterKey({ dataDir: dir, env: {} }).dispose();
    chmodSync(join(dir, 'master.key'), 0o644);
    expect(() => prepareMasterKey({ dataDir: dir, env: {} })).toThrow(/chmod 600/);
  });
});
