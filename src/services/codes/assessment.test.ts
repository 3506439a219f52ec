// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { listPias } from '../../personal/consent/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { recordSyntheticAssessments, requireRuleSetAssessment } from './assessment.js';
import { openCodesService } from './jobs.js';
import { builtInRuleSet } from './rule-set.js';
import { TOKEN_PREFIX } from './token.js';

const inputs = { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] };

for (const dialect of DIALECTS) {
  describe(`the colour rules' assessment on ${dialect}`, () => {
    it('a synthetic instance records its stand-in once, and codes are then issued', async () => {
      const clock = new FixedClock('2026-11-20T09:00:00+08:00');
      const t = await createTestInstance(dialect, { clock, initialConfig: { synthetic: true } });
      try {
        const svc = openCodesService(t.store, t.store.keyring.keyWrapper());
        await expect(svc.issueFromInputs({ name: '张三', inputs })).rejects.toMatchObject({
          code: 'ERR_CONSENT_PIA_REQUIRED',
        });
        await recordSyntheticAssessments(t.store);
        await recordSyntheticAssessments(t.store);
        const pias = await listPias(t.store.db.kysely, { kind: 'automated-decision' });
        expect(pias.map((p) => p.ref)).toEqual(['default@1']);
        expect(pias[0].assessor).toMatch(/synthetic/);
        expect(pias[0].impact).toMatch(/real deployment needs its own assessment/);
        await expect(
          requireRuleSetAssessment(t.store.db.kysely, builtInRuleSet(), clock.now()),
        ).resolves.toMatchObject({ id: pias[0].id });
        const issued = await svc.issueFromInputs({ name: '张三', inputs });
        expect(issued.token.text.startsWith(TOKEN_PREFIX)).toBe(true);
      } finally {
        await t.cleanup();
      }
    });

    it('an instance of real people gets no stand-in: its operator must assess the rules', async () => {
      const t = await createTestInstance(dialect);
      try {
        await expect(recordSyntheticAssessments(t.store)).rejects.toThrow(TypeError);
        expect(await listPias(t.store.db.kysely, { kind: 'automated-decision' })).toEqual([]);
      } finally {
        await t.cleanup();
      }
    });
  });
}
