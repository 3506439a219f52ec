// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { NoncePool } from './index.js';
import type { Random } from '../shared/index.js';

describe('NoncePool', () => {
  it('draws in bulk and never hands out the same bytes twice', () => {
    let calls = 0;
    let counter = 0;
    const counting: Random = {
      bytes(n) {
        calls++;
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i += 4) {
          b.writeUInt32BE(counter++, i);
        }
        return b;
      },
    };
    const pool = new NoncePool(counting, 100);
    const seen = new Set<string>();
    const out = Buffer.alloc(12);
    for (let i = 0; i < 1000; i++) {
      pool.writeNonce(out, 0);
      seen.add(out.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(calls).toBe(10);
  });
});
