// SPDX-License-Identifier: Apache-2.0
/**
 * The consent guard plugged into the real vault (its Guard port): reads for a consent-based
 * purpose open and close with the ledger, epidemic control is unaffected, restricted data stays
 * shut, and the guard logs by the vault's audit pseudonym — never the subject id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { openVault, type Guard } from '../vault/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { currentNotices } from './catalogue-service.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent, withdrawConsent } from './ledger.js';
import { recordingAudit, testLedgerDeps } from './testing.js';

// GB 11643-1999 example number (DOMAIN.md §4.2): born 1949, an adult.
const ID = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`ConsentGuard as the vault's guard on ${dialect}`, () => {
    let t: TestInstance;
    let deps: ReturnType<typeof testLedgerDeps>;

    beforeAll(async () => {
      const clock = new FixedClock('2026-11-28T09:00:00+08:00');
      t = await createTestInstance(dialect, { clock });
      deps = testLedgerDeps(t.store.db.kysely, clock, systemRandom);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('opens and closes transit reads with the ledger; epidemic control keeps reading', async () => {
      const guard: Guard = new ConsentGuard(deps);
      const vault = openVault(t.store, { audit: recordingAudit(), guard });
      const epidemic = vault.repository({
        actor: 'system:test',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      const transit = vault.repository({
        actor: 'gate:metro-1',
        role: 'operator',
        purpose: 'public-transit',
      });
      const { subjectId } = await epidemic.ensureCitizen(ID);
      const rec = await epidemic.put(subjectId, 'contact', { phone: 'synthetic' });

      await expect(transit.get(subjectId, rec)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      const policy = (await currentNotices(deps)).find(
        (n) => n.kind === 'privacy-policy' && n.language === 'zh',
      )!.hash;
      await grantConsent(deps, {
        subjectId,
        purposeId: 'public-transit',
        categories: ['contact'],
        noticeHash: policy,
        actor: 'citizen',
      });
      await expect(transit.get(subjectId, rec)).resolves.toMatchObject({
        value: { phone: 'synthetic' },
      });
      await withdrawConsent(deps, { subjectId, purposeId: 'public-transit', actor: 'citizen' });
      await expect(transit.get(subjectId, rec)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      await expect(epidemic.get(subjectId, rec)).resolves.toMatchObject({ category: 'contact' });

      const decisions = deps.audit.events.filter((e) => e.action === 'guard.decide');
      expect(decisions.map((e) => `${e.kind}:${String(e.details?.reason)}`)).toEqual([
        'refusal:no-consent',
        'access:consent',
        'refusal:consent-withdrawn',
        'access:statutory-basis',
      ]);
      expect(
        decisions.every(
          (e) => typeof e.subjectAuditId === 'string' && e.subjectAuditId !== subjectId,
        ),
      ).toBe(true);
      expect(
        JSON.stringify(deps.audit.events.filter((e) => e.action === 'guard.decide')),
      ).not.toContain(subjectId);
    });
  });
}
