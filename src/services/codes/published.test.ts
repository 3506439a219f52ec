// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { assessColourRules } from '../../../test/support/assessments.js';
import { openCodesService } from './jobs.js';
import { currentRevocations, signedTrustList, verifyTokenString } from './published.js';

for (const dialect of DIALECTS) {
  describe(`published trust list and revocations on ${dialect}`, () => {
    it('hands out the signed list, the revocations as JSON, and verifies strings against it', async () => {
      const clock = new FixedClock('2026-12-01T10:00:00+08:00');
      const t = await createTestInstance(dialect, { clock });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      try {
        const svc = openCodesService(t.store, t.store.keyring.keyWrapper());
        const { token } = await svc.issueFromInputs({
          name: '李四',
          inputs: {
            tests: [],
            declarations: [{ at: '2026-12-01T09:00:00+08:00', temperatureC: 36.5 }],
            itinerary: [],
            riskAreas: [],
            orders: [],
          },
        });
        const list = await signedTrustList(t.store);
        expect(verifyTokenString(token.text, list, clock.now())).toMatchObject({
          ok: true,
          colour: 'green',
          maskedName: '李*',
        });
        expect(verifyTokenString('HCN1:garbage', list, clock.now()).reason).toBe('malformed');
        expect((await currentRevocations(t.store)).tokens).toEqual([]);
        await svc.revoke(token.tokenHash);
        const after = await signedTrustList(t.store);
        expect(verifyTokenString(token.text, after, clock.now()).reason).toBe('revoked');
        const r = await currentRevocations(t.store);
        expect(r.tokens).toHaveLength(1);
        expect(JSON.stringify(r)).not.toContain(token.tokenHash);
      } finally {
        await t.cleanup();
      }
    }, 60_000);
  });
}
