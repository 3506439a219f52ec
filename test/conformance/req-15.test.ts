// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 15 — backups: deletion reaches backups by crypto-shredding (per-person,
 * per-group data keys destroyed; a data backup holds ciphertext and never a key), key backups
 * expire within one documented rotation period, and a restored backup re-applies the key store's
 * tombstones before it serves. Issue 3, "Done when": after erasing a canary subject's health
 * group, a backup taken before and restored after yields none of that group and all of the rest.
 * Both engines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { canaryResidents, generatePopulation } from '../../src/foundation/sim/index.js';
import { createVaultSink, openVault, type Vault } from '../../src/personal/vault/index.js';
import { createBackup, restoreBackup } from '../../src/personal/vault/backup.js';
import { VaultCore } from '../../src/personal/vault/core.js';
import { RecordingAudit } from '../../src/personal/vault/testing.js';
import { rotateKeys } from '../../src/platform/keys/rotation.js';
import { createKeyBackup, restoreKeyBackup } from '../../src/platform/keys/backup.js';

const NOW = new Date('2026-11-28T20:00:00+08:00');
const population = { people: 12, days: 3, seed: 15, end: NOW, canaries: 3, batchSize: 6 };
const epidemic = { actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' };

for (const dialect of DIALECTS) {
  describe(`req. 15: backups on ${dialect}`, () => {
    let t: TestInstance;
    let vault: Vault;
    const audit = new RecordingAudit();
    const out = mkdtempSync(join(tmpdir(), 'hc-req15-'));
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock(NOW) });
      const sink = createVaultSink(t.store, { actor: 'system:seed', audit });
      for (const batch of generatePopulation(population)) {
        await sink.write(batch);
      }
      await sink.finish();
      vault = openVault(t.store, { audit });
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it("erasing a canary's health group reaches a backup taken before it; the restore keeps the rest", async () => {
      const repo = vault.repository(epidemic);
      // The first canary that declared a temperature (has a health group to erase).
      let subject = '';
      let before: Awaited<ReturnType<typeof repo.list>> = [];
      for (const c of canaryResidents(population)) {
        subject = (await repo.findCitizen(c.idNumber))!;
        before = await repo.list(subject);
        if (before.some((r) => r.group === 'health')) {
          break;
        }
      }
      const health = before.filter((r) => r.group === 'health');
      const rest = before.filter((r) => r.group !== 'health');
      expect(health.length).toBeGreaterThan(0);
      expect(rest.length).toBeGreaterThan(0);
      const everyone = await t.store.db.kysely
        .selectFrom('vault_record')
        .select('id')
        .where('subject_id', '!=', subject)
        .execute();
      const backup = join(out, `before-${dialect}.bak`);
      await createBackup(t.store, backup, { dbUrl: t.dbUrl });
      if (dialect === 'sqlite') {
        // The backup holds the canary's health rows — as ciphertext only, and no key table.
        const b = new Sqlite(backup, { readonly: true });
        const n = (
          b
            .prepare(
              "select count(*) as n from vault_record where subject_id = ? and grp = 'health'",
            )
            .get(subject) as { n: number }
        ).n;
        const keyTables = b
          .prepare("select count(*) as n from sqlite_master where name in ('dek', 'kek')")
          .get() as { n: number };
        b.close();
        expect(n).toBe(health.length);
        expect(keyTables.n).toBe(0);
      }
      await vault.erase(subject, { groups: ['health'] }, { actor: 'operator:alice' });
      // Crypto-shredded: the backup's copies have no key any more.
      await expect(t.store.keyring.dataKey(subject, 'health', 1)).rejects.toMatchObject({
        code: 'ERR_KEYS_DEK_DESTROYED',
      });
      await restoreBackup(new VaultCore(t.store, { audit }), backup, {
        actor: 'operator:alice',
        dbUrl: t.dbUrl,
      });
      const after = await repo.list(subject);
      expect(after.filter((r) => r.group === 'health')).toEqual([]);
      expect(after.map((r) => r.recordId).sort()).toEqual(rest.map((r) => r.recordId).sort());
      for (const r of rest) {
        expect((await repo.get(subject, r.recordId)).value).toEqual(r.value);
      }
      // Every other subject's rows are back, whole.
      const again = await t.store.db.kysely
        .selectFrom('vault_record')
        .select('id')
        .where('subject_id', '!=', subject)
        .execute();
      expect(again.map((r) => r.id).sort()).toEqual(everyone.map((r) => r.id).sort());
    });

    it('key backups never bring back an erased key and expire with the next rotation', async () => {
      const repo = vault.repository(epidemic);
      const canary = canaryResidents(population).at(-1)!;
      const subject = (await repo.findCitizen(canary.idNumber))!;
      const keyBackup = join(out, `keys-${dialect}.json`);
      await createKeyBackup(t.store.keyring, keyBackup);
      await vault.erase(subject, {}, { actor: 'operator:alice' });
      // Lose the destroyed slots entirely (as if the key store were damaged), then restore.
      await t.store.keyring.store.deleteFrom('dek').where('subject_id', '=', subject).execute();
      const r = await restoreKeyBackup(t.store.keyring, keyBackup);
      expect(r.tombstoned).toBeGreaterThan(0);
      expect(await vault.residue([subject])).toEqual({ keysPresent: 0, rowsRemaining: 0 });
      // The next rotation destroys the KEK the key backup was made under.
      await rotateKeys(t.store.keyring, t.store.db);
      await expect(restoreKeyBackup(t.store.keyring, keyBackup)).rejects.toMatchObject({
        code: 'ERR_KEYS_BACKUP',
      });
      expect((await t.store.keyring.status()).rotationPeriodDays).toBe(30);
    });
  });
}
