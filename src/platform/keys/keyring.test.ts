// SPDX-License-Identifier: Apache-2.0
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { cryptoErrors } from '../../kernel/crypto/index.js';
import { KEYSTORE_FILE, KEYSTORE_SCHEMA } from './index.js';
import { DataKeyDestroyedError, DataKeyMissingError, KeyUnwrapError } from './errors.js';

const S1 = 'subjectAAAAAAAAAAAAAAA';
const S2 = 'subjectBBBBBBBBBBBBBBB';

for (const dialect of DIALECTS) {
  describe(`keyring on ${dialect}`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await createTestInstance(dialect);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('keeps the key store apart from the data', async () => {
      const status = await t.store.keyring.status();
      expect(status.activeKek).toBe(1);
      expect(status.provider).toBe('local');
      if (dialect === 'sqlite') {
        expect(existsSync(join(t.dataDir, 'keys', KEYSTORE_FILE))).toBe(true);
        // healthcode.db is the only *.db in the data dir, and it holds no key table.
        expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.db'))).toEqual(['healthcode.db']);
        const tables = t.store.db
          .sqlite!.prepare("select name from main.sqlite_master where type = 'table'")
          .all() as Array<{ name: string }>;
        expect(tables.map((r) => r.name)).not.toContain('dek');
      } else {
        const r = await sql<{
          table_schema: string;
        }>`select table_schema from information_schema.tables where table_name = 'dek'`.execute(
          t.store.db.kysely,
        );
        expect(r.rows.map((x) => x.table_schema)).toEqual([KEYSTORE_SCHEMA]);
      }
    });

    it('creates, finds and destroys per-subject per-scope data keys', async () => {
      const kr = t.store.keyring;
      const [a, b] = await kr.ensureDataKeys([
        { subjectId: S1, scope: 'health' },
        { subjectId: S1, scope: 'basic' },
      ]);
      expect(a.gen).toBe(1);
      expect(a.key).not.toEqual(b.key);
      const again = await kr.ensureDataKeys([{ subjectId: S1, scope: 'health' }]);
      expect(again[0].key).toEqual(a.key);
      expect((await kr.dataKey(S1, 'health', 1)).key).toEqual(a.key);

      const tomb = await kr.destroyDataKeys(S1, ['health']);
      expect(tomb).toMatchObject({ subjectId: S1, scopes: ['health'], state: 'pending' });
      await expect(kr.dataKey(S1, 'health', 1)).rejects.toBeInstanceOf(DataKeyDestroyedError);
      await expect(kr.dataKey(S1, 'itinerary', 1)).rejects.toBeInstanceOf(DataKeyMissingError);
      // Basic stays; health gets a new generation, never reusing the destroyed slot.
      expect((await kr.dataKey(S1, 'basic', 1)).key).toEqual(b.key);
      const next = await kr.ensureDataKeys([{ subjectId: S1, scope: 'health' }]);
      expect(next[0].gen).toBe(2);
      const fresh = await kr.createFreshDataKeys([{ subjectId: S2, scope: 'basic' }]);
      expect((await kr.dataKey(S2, 'basic', 1)).key).toEqual(fresh[0].key);
      await expect(kr.createFreshDataKeys([{ subjectId: S2, scope: 'basic' }])).rejects.toThrow();
      expect((await kr.tombstones('pending')).map((x) => x.id)).toEqual([tomb!.id]);
      await kr.completeTombstone(tomb!.id);
      expect(await kr.tombstones('pending')).toEqual([]);
    });

    it('wraps secrets for other capabilities (KeyWrapper) bound to their context', async () => {
      const w = t.store.keyring.keyWrapper();
      const wrapped = await w.wrap(Buffer.from('period key'), 'audit:period:2026-11');
      expect((await w.unwrap(wrapped, 'audit:period:2026-11')).toString()).toBe('period key');
      await expect(w.unwrap(wrapped, 'audit:period:2026-12')).rejects.toBeInstanceOf(
        cryptoErrors.IntegrityError,
      );
    });

    it('refuses a tampered wrapped data key with a typed error', async () => {
      const kr = t.store.keyring;
      await kr.ensureDataKeys([{ subjectId: S2, scope: 'health' }]);
      const row = await kr.store
        .selectFrom('dek')
        .selectAll()
        .where('subject_id', '=', S2)
        .where('scope', '=', 'health')
        .executeTakeFirstOrThrow();
      const bad = Buffer.from(row.wrapped!);
      bad[bad.length - 1] ^= 1;
      await kr.store
        .updateTable('dek')
        .set({ wrapped: bad })
        .where('subject_id', '=', S2)
        .where('scope', '=', 'health')
        .execute();
      await expect(kr.dataKey(S2, 'health', 1)).rejects.toBeInstanceOf(KeyUnwrapError);
      // A wrapped key moved to another subject's slot fails too.
      const other = await kr.store
        .selectFrom('dek')
        .selectAll()
        .where('subject_id', '=', S2)
        .where('scope', '=', 'basic')
        .executeTakeFirstOrThrow();
      await kr.store
        .updateTable('dek')
        .set({ wrapped: other.wrapped })
        .where('subject_id', '=', S1)
        .where('scope', '=', 'basic')
        .execute();
      await expect(kr.dataKey(S1, 'basic', 1)).rejects.toBeInstanceOf(KeyUnwrapError);
    });
  });
}
