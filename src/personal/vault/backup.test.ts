// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { openVault, type Vault, type VaultRepository } from './index.js';
import { createBackup, readBackupInfo, restoreBackup } from './backup.js';
import { VaultCore } from './core.js';
import { RecordingAudit } from './testing.js';

const epidemic = { actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' };

for (const dialect of DIALECTS) {
  describe(`backups on ${dialect}`, () => {
    let t: TestInstance;
    let vault: Vault;
    let repo: VaultRepository;
    let audit: RecordingAudit;
    const out = mkdtempSync(join(tmpdir(), 'hc-backup-'));
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-11-28T08:00:00+08:00') });
      audit = new RecordingAudit();
      vault = openVault(t.store, { audit });
      repo = vault.repository(epidemic);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('holds ciphertext only; a restore re-applies tombstones: erased groups and subjects stay gone', async () => {
      const a = (await repo.ensureCitizen('11010519491231002X')).subjectId;
      const b = (await repo.ensureCitizen('440524188001010014')).subjectId;
      const aHealth = await repo.put(a, 'temperature', { celsius: 38.9 });
      const aSym = await repo.put(a, 'symptoms', { list: ['dry-cough'] });
      const aIdent = await repo.put(a, 'identity', { name: 'canary-name' });
      const aTest = await repo.put(a, 'test-results', { result: 'positive' });
      const aVac = await repo.put(a, 'vaccination', { dose: 2 });
      const bIdent = await repo.put(b, 'identity', { name: 'other' });
      const file = join(out, `before-${dialect}.bak`);
      const info = await createBackup(t.store, file, { dbUrl: t.dbUrl });
      expect(info).toMatchObject({ format: 'healthcode-backup/1', dialect });
      expect((await readBackupInfo(file)).kcv).toBe(info.kcv);
      // No key in the backup: no key-store table, and no data-key bytes.
      const bytes = readFileSync(file);
      expect(bytes.includes('canary-name')).toBe(false);
      if (dialect === 'sqlite') {
        const db = new Sqlite(file, { readonly: true });
        const tables = (
          db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{
            name: string;
          }>
        ).map((r) => r.name);
        db.close();
        expect(tables).toContain('vault_record');
        expect(tables).not.toContain('dek');
        expect(tables).not.toContain('kek');
      } else {
        expect(bytes.toString('utf8')).not.toMatch(/healthcode_keys\.(dek|kek|instance_key)/);
      }
      // Erase A's health group, one category inside A's certification group, and all of B.
      await vault.erase(a, { groups: ['health'] }, { actor: 'operator:alice' });
      await vault.erase(a, { categories: ['test-results'] }, { actor: 'operator:alice' });
      await vault.erase(b, {}, { actor: 'operator:alice' });
      const later = await repo.put(a, 'temperature', { celsius: 36.4 });
      const core = new VaultCore(t.store, { audit });
      const report = await restoreBackup(core, file, { actor: 'operator:alice', dbUrl: t.dbUrl });
      expect(report.tombstones).toBe(3);
      expect(report.subjectsDropped).toBe(1);
      // Restored: none of A's health group, not B, and not the erased category's group copy…
      for (const id of [aHealth, aSym, aTest]) {
        await expect(repo.get(a, id)).rejects.toMatchObject({ code: 'ERR_VAULT_RECORD_UNKNOWN' });
      }
      await expect(repo.get(b, bIdent)).rejects.toMatchObject({
        code: 'ERR_VAULT_SUBJECT_UNKNOWN',
      });
      expect(await repo.findCitizen('440524188001010014')).toBeUndefined();
      // …and all of the rest. (The re-keyed certification group of the old backup is lost with
      // its old key: an erased category can never come back, at the price of its siblings.)
      expect((await repo.get(a, aIdent)).value).toEqual({ name: 'canary-name' });
      await expect(repo.get(a, aVac)).rejects.toMatchObject({ code: 'ERR_VAULT_RECORD_UNKNOWN' });
      // Data written after the backup is, as with any restore, not in it.
      await expect(repo.get(a, later)).rejects.toMatchObject({ code: 'ERR_VAULT_RECORD_UNKNOWN' });
      expect(audit.events.find((e) => e.action === 'backup.restore')).toBeDefined();
      if (dialect === 'sqlite') {
        expect(t.store.db.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      }
    });

    it('refuses to write inside the data dir, to overwrite, or to restore a stranger', async () => {
      await expect(
        createBackup(t.store, join(t.dataDir, 'x.bak'), { dbUrl: t.dbUrl }),
      ).rejects.toMatchObject({ code: 'ERR_VAULT_BACKUP' });
      const file = join(out, `again-${dialect}.bak`);
      await createBackup(t.store, file, { dbUrl: t.dbUrl });
      await expect(createBackup(t.store, file, { dbUrl: t.dbUrl })).rejects.toMatchObject({
        code: 'ERR_VAULT_BACKUP',
      });
      const other = await createTestInstance(dialect);
      try {
        const core = new VaultCore(other.store, { audit });
        await expect(restoreBackup(core, file, { actor: 'x', dbUrl: other.dbUrl })).rejects.toThrow(
          /another instance/,
        );
      } finally {
        await other.cleanup();
      }
    });
  });
}
