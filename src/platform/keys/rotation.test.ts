// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { rotateKeys } from './rotation.js';
import { KekUnavailableError } from './errors.js';

const subjects = Array.from({ length: 60 }, (_, i) => `subject${String(i).padStart(15, '0')}`);

for (const dialect of DIALECTS) {
  describe(`KEK rotation on ${dialect}`, () => {
    let t: TestInstance;
    beforeAll(async () => {
      t = await createTestInstance(dialect);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('re-wraps every data key under a new KEK, resumably, and destroys the old KEK', async () => {
      const kr = t.store.keyring;
      const keys = await kr.createFreshDataKeys(
        subjects.flatMap((s) => [
          { subjectId: s, scope: 'basic' },
          { subjectId: s, scope: 'health' },
        ]),
      );
      await kr.destroyDataKeys(subjects[0], ['health']);
      const wrapper = kr.keyWrapper();
      const wrapped = await wrapper.wrap(Buffer.from('signing key'), 'codes:signing:1');
      const seen: number[] = [];
      // Interrupted after two batches…
      const partial = await rotateKeys(kr, t.store.db, {
        batchSize: 25,
        maxBatches: 2,
        onProgress: (d) => seen.push(d),
      });
      expect(partial).toMatchObject({ from: [1], to: 2, complete: false, rewrapped: 50 });
      expect((await kr.status()).rotationInProgress).toBe(true);
      // …new keys made meanwhile are wrapped by the new KEK…
      await kr.createFreshDataKeys([{ subjectId: 'lateSubject0000000000', scope: 'basic' }]);
      // …and the next run resumes.
      const done = await rotateKeys(kr, t.store.db, { batchSize: 25 });
      expect(done).toMatchObject({
        from: [1],
        to: 2,
        resumed: true,
        complete: true,
        destroyed: [1],
      });
      expect(done.rewrapped).toBe(119 - 50);
      expect(seen).toEqual([0, 25, 50]);
      const status = await kr.status();
      expect(status.activeKek).toBe(2);
      expect(status.rotationInProgress).toBe(false);
      expect(status.keks.find((k) => k.version === 1)?.state).toBe('destroyed');
      expect(status.dataKeys.byKek).toEqual({ '2': 120 });
      await expect(kr.kek(1)).rejects.toBeInstanceOf(KekUnavailableError);
      // The data keys themselves are unchanged; so is what the KeyWrapper handed out.
      for (const k of keys.slice(0, 10)) {
        if (k.subjectId === subjects[0] && k.scope === 'health') {
          continue;
        }
        expect((await kr.dataKey(k.subjectId, k.scope, k.gen)).key).toEqual(k.key);
      }
      expect((await wrapper.unwrap(wrapped, 'codes:signing:1')).toString()).toBe('signing key');
      const again = await rotateKeys(kr, t.store.db);
      expect(again).toMatchObject({ from: [2], to: 3, complete: true, rewrapped: 120 });
    });
  });
}
