// SPDX-License-Identifier: Apache-2.0
/**
 * @module A deterministic {@link Random} for tests whose assertions are statistical (a chi-square
 * bound, a share of draws): the same seed gives the same bytes on every run, so such a test passes
 * or fails for good instead of by chance. The stream is SHA-256 in counter mode (FIPS 180-4), good
 * enough to look uniform; never use it outside tests.
 */
import { createHash } from 'node:crypto';
import type { Random } from '../../src/kernel/shared/index.js';

export function seededRandom(seed: string): Random {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return {
    bytes(n: number): Buffer {
      if (!Number.isInteger(n) || n < 0) {
        throw new RangeError('"n" expected a non-negative integer');
      }
      const blocks: Buffer[] = [pool];
      let have = pool.length;
      while (have < n) {
        const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
        blocks.push(block);
        have += block.length;
      }
      const all = Buffer.concat(blocks);
      pool = all.subarray(n);
      return Buffer.from(all.subarray(0, n));
    },
  };
}
