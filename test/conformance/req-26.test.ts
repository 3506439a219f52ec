// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 26 — storage location: a government deployment keeps personal data in China
 * (PIPL art. 36); a configured storage region outside China is refused at start-up.
 */
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeErrors } from '../../src/platform/runtime/index.js';
import { openInstance } from '../../src/edges/app/index.js';

describe('req. 26: storage location', () => {
  it('refuses a government deployment stored outside China, before opening the database', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hc-req26-')), 'data');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ deployment: 'government', storageRegion: 'SG' }),
    );
    await expect(openInstance({ dataDir: dir, create: false })).rejects.toBeInstanceOf(
      runtimeErrors.StorageRegionError,
    );
    expect(existsSync(join(dir, 'healthcode.db'))).toBe(false);
  });

  it('refuses to create a new government instance configured outside China', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hc-req26-')), 'data');
    await expect(
      openInstance({ dataDir: dir, create: true, initialConfig: { storageRegion: 'US' } }),
    ).rejects.toMatchObject({ code: 'ERR_APP_STORAGE_REGION' });
    expect(existsSync(dir)).toBe(false);
  });

  it('accepts a government deployment in China and an enterprise one elsewhere', async () => {
    for (const cfg of [
      { storageRegion: 'CN' },
      { deployment: 'enterprise' as const, storageRegion: 'DE' },
    ]) {
      const dir = join(mkdtempSync(join(tmpdir(), 'hc-req26-')), 'data');
      const store = await openInstance({ dataDir: dir, create: true, initialConfig: cfg });
      expect(store.config.storageRegion).toBe(cfg.storageRegion);
      await store.close();
    }
  });
});
