// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 13 — restricted state when deletion is infeasible (PIPL art. 47 para. 2):
 * restricted data (a whole subject, a data group, or a category) refuses every business read
 * with ERR_VAULT_RESTRICTED, whatever the purpose; only storage maintenance, security and the
 * purge job reach it. Both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../support/dialects.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import {
  openVault,
  PURPOSES,
  SYSTEM_PURPOSES,
  type Vault,
} from '../../src/personal/vault/index.js';
import { RecordingAudit } from '../../src/personal/vault/testing.js';

const ID = '11010519491231002X';

for (const dialect of DIALECTS) {
  describe(`req. 13: restricted state on ${dialect}`, () => {
    let t: TestInstance;
    let vault: Vault;
    let audit: RecordingAudit;
    let subject: string;
    let records: Record<string, string>;
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-11-28T08:00:00+08:00') });
      audit = new RecordingAudit();
      vault = openVault(t.store, { audit });
      const repo = vault.repository({
        actor: 'operator:alice',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      subject = (await repo.ensureCitizen(ID)).subjectId;
      records = {
        identity: await repo.put(subject, 'identity', { name: 'x' }),
        temperature: await repo.put(subject, 'temperature', { celsius: 36.6 }),
        'test-results': await repo.put(subject, 'test-results', { result: 'negative' }),
      };
      await repo.putEntries(subject, 'itinerary', '2026-11-27', [{ id: 'trip.1', city: '320200' }]);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    const businessReads = (purpose: string) => {
      const repo = vault.repository({ actor: 'svc:any', role: 'operator', purpose });
      return [
        () => repo.get(subject, records.identity),
        () => repo.get(subject, records.temperature),
        () => repo.list(subject),
        () => repo.listEntries(subject, 'itinerary'),
        () => repo.findCitizen(ID),
        () => repo.links(subject),
      ];
    };

    it('refuses every business read of a restricted subject, for every purpose', async () => {
      await vault.restrict(subject, '*', { actor: 'operator:alice', reason: 'retention:csl-21' });
      try {
        for (const purpose of PURPOSES) {
          for (const read of businessReads(purpose)) {
            await expect(read()).rejects.toMatchObject({ code: 'ERR_VAULT_RESTRICTED' });
          }
        }
        const refusals = audit.events.filter(
          (e) => e.kind === 'refusal' && e.outcome === 'ERR_VAULT_RESTRICTED',
        );
        expect(refusals.length).toBeGreaterThanOrEqual(PURPOSES.length * 6);
        // Storage maintenance, security and purge still reach it.
        for (const purpose of SYSTEM_PURPOSES) {
          const sys = vault.systemRepository({ actor: `job:${purpose}`, purpose });
          expect((await sys.get(subject, records.identity)).value).toEqual({ name: 'x' });
          expect((await sys.list(subject)).length).toBe(3);
        }
      } finally {
        await vault.unrestrict(subject, '*', { actor: 'operator:alice' });
      }
    });

    it('restricts one group or one category and leaves the rest readable', async () => {
      const repo = vault.repository({
        actor: 'operator:alice',
        role: 'operator',
        purpose: 'epidemic-control',
      });
      await vault.restrict(subject, 'health', {
        actor: 'operator:alice',
        reason: 'retention:test',
      });
      await expect(repo.get(subject, records.temperature)).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
      });
      await expect(repo.list(subject)).rejects.toMatchObject({ code: 'ERR_VAULT_RESTRICTED' });
      expect((await repo.get(subject, records.identity)).value).toEqual({ name: 'x' });
      await vault.unrestrict(subject, 'health', { actor: 'operator:alice' });
      await vault.restrict(subject, 'test-results', {
        actor: 'operator:alice',
        reason: 'retention:test',
      });
      await expect(repo.get(subject, records['test-results'])).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
      });
      await expect(repo.put(subject, 'test-results', { result: 'negative' })).rejects.toMatchObject(
        { code: 'ERR_VAULT_RESTRICTED' },
      );
      expect((await repo.list(subject, { groups: ['health', 'basic'] })).length).toBe(2);
      expect(await vault.restrictions(subject)).toEqual(['test-results']);
      const purge = vault.systemRepository({ actor: 'job:purge', purpose: 'purge' });
      expect((await purge.get(subject, records['test-results'])).value).toEqual({
        result: 'negative',
      });
    });
  });
}
