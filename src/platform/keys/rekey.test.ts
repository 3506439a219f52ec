// SPDX-License-Identifier: Apache-2.0
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
// The instance's own migrations: a store opened with fewer refuses a database that ran them.
import { openInstance } from '../../edges/app/instance.js';
import { rekeyMaster } from './rekey.js';
import { parseMasterKeyText } from './index.js';
import { MasterKeyWrongError } from './errors.js';

for (const dialect of DIALECTS) {
  describe(`master key replacement on ${dialect}`, () => {
    it('re-wraps every KEK under the new master key; the old key no longer opens the dir', async () => {
      const t = await createTestInstance(dialect);
      try {
        const [k] = await t.store.keyring.ensureDataKeys([
          { subjectId: 'subjectAAAAAAAAAAAAAAA', scope: 'health' },
        ]);
        const oldKey = readFileSync(join(t.dataDir, 'master.key'), 'utf8');
        const fresh = Buffer.alloc(32, 0x42);
        const r = await rekeyMaster(t.store.keyring, t.dataDir, fresh, { writeKeyFile: true });
        expect(r.keks).toBe(1);
        expect(
          parseMasterKeyText(readFileSync(join(t.dataDir, 'master.key'), 'utf8'), 'f'),
        ).toEqual(fresh);
        expect(existsSync(join(t.dataDir, 'master.key.new'))).toBe(false);
        const reopened = await openInstance({ dataDir: t.dataDir, dbUrl: t.dbUrl, create: false });
        expect((await reopened.keyring.dataKey('subjectAAAAAAAAAAAAAAA', 'health', 1)).key).toEqual(
          k.key,
        );
        await reopened.close();
        process.env.HEALTHCODE_MASTER_KEY = oldKey.trim();
        try {
          await expect(
            openInstance({ dataDir: t.dataDir, dbUrl: t.dbUrl, create: false }),
          ).rejects.toBeInstanceOf(MasterKeyWrongError);
        } finally {
          delete process.env.HEALTHCODE_MASTER_KEY;
        }
      } finally {
        await t.cleanup();
      }
    });
  });
}
