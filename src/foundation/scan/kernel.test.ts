// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  DATA_BASE,
  OUT_BASE,
  OUT_COUNT,
  P_BASE,
  S_BASE,
  adoptKernelModule,
  hashA,
  hashP,
  hashS,
  instantiateKernel,
  kernelModule,
} from './kernel.js';

/** Sets bit `h` of the bitmap at `base` in the kernel's memory (little-endian 32-bit words). */
function setBit(mem: Uint8Array, base: number, h: number): void {
  const words = new Uint32Array(mem.buffer, base);
  words[h >>> 5] |= 1 << (h & 31);
}

describe('scan kernel (WebAssembly)', () => {
  it('compiles once per process', async () => {
    const a = kernelModule();
    expect(kernelModule()).toBe(a);
    await a;
    // A module from other source text (a stale build) is never adopted over ours.
    adoptKernelModule({}, '(module)');
    expect(kernelModule()).toBe(a);
  });

  it('reports exactly the aligned words that pass map A and bitmap S or P, and resumes', async () => {
    const k = await instantiateKernel(1 << 16);
    const mem = new Uint8Array(k.memory.buffer);
    const i32 = new Int32Array(k.memory.buffer);
    const data = new DataView(k.memory.buffer, DATA_BASE);
    const single = 0x44434241; // "ABCD"
    const pair = [0x31303030, 0x35343332]; // "0001", "2345"
    mem[hashA(single)] = 1;
    setBit(mem, S_BASE, hashS(single));
    mem[hashA(pair[0])] = 1;
    setBit(mem, P_BASE, hashP(pair[0], pair[1]));
    // Data: zeros with the single word at word 5 and 40, the pair at words 9–10, and the pair's
    // first word alone (not followed by its second) at word 20: not a candidate.
    for (const at of [5, 40]) {
      data.setInt32(4 * at, single, true);
    }
    data.setInt32(36, pair[0], true);
    data.setInt32(40, pair[1], true);
    data.setInt32(80, pair[0], true);
    const end = DATA_BASE + 4 * 64;
    const found: number[] = [];
    // Room for one block only: the kernel must stop and resume without losing a candidate.
    for (let p = DATA_BASE; p < end;) {
      p = k.scan(p, end, OUT_BASE, OUT_BASE + 16);
      const n = i32[OUT_COUNT >>> 2];
      for (let j = 0; j < n; j++) {
        found.push((i32[(OUT_BASE >>> 2) + j] - DATA_BASE) / 4);
      }
    }
    // Fixed words and fixed hashes: no hash collision can come and go between runs.
    expect(found).toEqual([5, 9, 40]);
  });
});
