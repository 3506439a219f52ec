// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 11 — retirement trigger: retiring a programme, purpose or service is a
 * first-class event (PIPL art. 47(1)(2)); the run closes the retired purposes' legal-basis windows
 * and the retired services, and schedules the deletion of all data tied only to them.
 */
import { describe, expect, it } from 'vitest';
import { addAccount } from '../../src/foundation/accounts/index.js';
import { loadCatalogue } from '../../src/personal/consent/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { draft, approve, run, status } from '../../src/lifecycle/disposal/index.js';
import { MemoryTarget } from '../../src/lifecycle/disposal/testing.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { join } from 'node:path';
import { disposalContext } from '../../src/edges/app/index.js';

for (const dialect of DIALECTS) {
  describe(`req. 11: retirement trigger on ${dialect}`, () => {
    it('retiring a service closes it and schedules what only it needed; retiring a purpose closes its basis', async () => {
      const clock = new FixedClock('2026-12-01T00:00:00Z');
      const t = await createTestInstance(dialect, { clock });
      try {
        const target = new MemoryTarget();
        target.add('subj-aaaaaaaa', { identity: 1, 'medical-history': 1, 'test-results': 2 });
        target.add('subj-bbbbbbbb', { identity: 1, 'location-events': 3 });
        const ctx = disposalContext(t.store, 'operator:alice', { target });
        await ctx.prepare();
        await addAccount(t.store, { name: 'alice', role: 'operator' }, { wrapper: ctx.wrapper });
        const dir = join(t.dataDir, '..');
        const p1 = join(dir, 'five.json');
        const plan = await draft(
          ctx,
          'antigen-self-test,elderly-child-help,health-declaration,e-certificates,epidemic-workbench',
          p1,
        );
        expect(plan.retiredServices).toHaveLength(5);
        expect(plan.retiredPurposes).toEqual([]); // the health code still runs on epidemic control
        expect(plan.scope.find((s) => s.category === 'medical-history')?.subjects).toBe(1);
        await approve(ctx, p1, 'alice');
        expect((await status(ctx, p1)).state).toBe('approved');
        await run(ctx, p1);
        const cat = await loadCatalogue({
          db: t.store.db.kysely,
          clock,
          random: t.store.random,
          recordsYears: 3,
        });
        expect(cat.services.get('e-certificates')?.validTo?.toISOString()).toBe(
          '2026-12-01T00:00:00.000Z',
        );
        expect(cat.services.get('health-code')?.validTo).toBeNull();
        expect(target.data.get('subj-aaaaaaaa')?.has('medical-history')).toBe(false);
        expect(target.data.get('subj-aaaaaaaa')?.get('test-results')).toBe(2);

        clock.advance(3_600_000);
        const p2 = join(dir, 'epidemic.json');
        const plan2 = await draft(ctx, 'epidemic-control', p2);
        expect(plan2.retiredPurposes).toEqual(['epidemic-control']);
        await approve(ctx, p2, 'alice');
        await run(ctx, p2);
        const after = await loadCatalogue({
          db: t.store.db.kysely,
          clock,
          random: t.store.random,
          recordsYears: 3,
        });
        expect(after.purposes.get('epidemic-control')?.validTo).not.toBeNull();
        expect(after.purposes.get('public-transit')?.validTo).toBeNull();
        expect(target.total()).toBe(0); // no one consented to anything else
      } finally {
        await t.cleanup();
      }
    });
  });
}
