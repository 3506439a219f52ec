// SPDX-License-Identifier: Apache-2.0
/**
 * The consent guard as wired into the instance's vault (`instanceVault`, what commands, jobs and
 * the API open): one audit leaf per read carrying the guard's decision reason, refusals logged
 * with theirs, and a withdrawal committed through another connection (another process) refusing
 * the very next read — no stale cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../foundation/audit/index.js';
import { type Store } from '../../platform/runtime/index.js';
import { instanceVault, openInstance } from '../../edges/app/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { type InstanceVault } from '../vault/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { grantConsent, withdrawConsent } from './ledger.js';
import { consentRuntime } from './wiring.js';

const ID = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`the instance vault's consent guard on ${dialect}`, () => {
    let t: TestInstance;
    let other: Store;
    let iv: InstanceVault;
    let subjectId: string;
    let recordId: string;

    beforeAll(async () => {
      const clock = new FixedClock('2026-11-28T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      other = await openInstance({ dataDir: t.dataDir, dbUrl: t.dbUrl, create: false, clock });
      iv = await instanceVault(t.store);
      const epi = iv.vault.repository({
        actor: 'test',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      subjectId = (await epi.ensureCitizen(ID)).subjectId;
      recordId = await epi.put(subjectId, 'contact', { phone: 'synthetic' });
    }, 30_000);
    afterAll(async () => {
      await other?.close();
      await t?.cleanup();
    });

    it('one leaf per read, with the decision reason; withdrawal elsewhere refuses the next read', async () => {
      const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
      const transit = iv.vault.repository({
        actor: 'gate:1',
        role: 'operator',
        purpose: 'public-transit',
      });
      const epi = iv.vault.repository({
        actor: 'test',
        role: 'operator',
        purpose: 'epidemic-control',
      });

      let size = await log.size();
      await epi.get(subjectId, recordId);
      expect(await log.size()).toBe(size + 1);
      const statutory = await log.entry(size);
      expect(statutory).toMatchObject({ kind: 'access', action: 'get' });
      expect(statutory.details?.reason).toBe('statutory-basis');

      size = await log.size();
      await expect(transit.get(subjectId, recordId)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      expect(await log.size()).toBe(size + 1);
      expect((await log.entry(size)).details?.reason).toBe('no-consent');

      // Granted through another connection (another process): readable at once.
      const rtOther = await consentRuntime(other);
      const policy = (await currentNotices(rtOther.deps)).find(
        (n) => n.kind === 'privacy-policy',
      )!.hash;
      await grantConsent(rtOther.deps, {
        subjectId,
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'citizen',
      });
      size = await log.size();
      await transit.get(subjectId, recordId);
      expect(await log.size()).toBe(size + 1);
      expect((await log.entry(size)).details?.reason).toBe('consent');

      // Withdrawn through the other connection: the very next read here is refused.
      await withdrawConsent(rtOther.deps, {
        subjectId,
        purposeId: 'public-transit',
        actor: 'citizen',
      });
      await expect(transit.get(subjectId, recordId)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      const last = await log.entry((await log.size()) - 1);
      expect(last.kind).toBe('refusal');
      expect(last.details?.reason).toBe('consent-withdrawn');
    });
  });
}
