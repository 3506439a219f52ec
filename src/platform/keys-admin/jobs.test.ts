// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { createTestInstance } from '../../../test/support/dialects.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { keysRotateJob } from './jobs.js';

describe('keys.rotate job', () => {
  it('rotates only once the rotation period has passed', async () => {
    const clock = new FixedClock('2026-11-28T00:00:00Z');
    const t = await createTestInstance('sqlite', { clock });
    try {
      expect(await keysRotateJob.run(t.store)).toMatchObject({ rotated: false });
      clock.advance(31 * 86_400_000);
      expect(await keysRotateJob.run(t.store)).toMatchObject({ rotated: true, from: '1', to: 2 });
      expect(await keysRotateJob.run(t.store)).toMatchObject({ rotated: false });
    } finally {
      await t.cleanup();
    }
  });
});
