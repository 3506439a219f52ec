// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { AlignedWordIndex, MIN_WORD_NEEDLE, word } from './words.js';

describe('aligned-word index', () => {
  const needles = ['11010519491231002X', 'abcdefg', '王小明五'].map((s) => Buffer.from(s));
  const ids = needles.map((_, i) => i);

  it('reads little-endian words, as the kernel’s i32.load does', () => {
    expect(word(Buffer.from('ABCD'), 0)).toBe(0x44434241);
    expect(word(Uint8Array.from([0, 0, 0, 0x80]), 0)).toBe(-0x80000000);
  });

  it('refuses needles too short for the proof (a caller bug)', () => {
    expect(MIN_WORD_NEEDLE).toBe(7);
    expect(() => new AlignedWordIndex([Buffer.from('abcdef')], [0])).toThrow(RangeError);
  });

  it('finds each needle at every alignment once, on aligned and unaligned views alike', () => {
    const index = new AlignedWordIndex(needles, ids);
    for (let shift = 0; shift < 4; shift++) {
      for (let lead = 0; lead < 4; lead++) {
        const body = Buffer.concat([Buffer.alloc(lead, 0x2e), ...needles, Buffer.alloc(3, 0x2e)]);
        const backing = Buffer.alloc(body.length + shift);
        body.copy(backing, shift);
        const view = backing.subarray(shift);
        const found: number[] = [];
        index.scanJs(view, view.length, 0, found);
        let at = lead;
        const expected: number[] = [];
        needles.forEach((n, id) => {
          expected.push(at, id);
          at += n.length;
        });
        expect(found, `shift ${shift}, lead ${lead}`).toEqual(expected);
      }
    }
  });

  it('verifies only inside [0, end) and after reportAfter', () => {
    const index = new AlignedWordIndex(needles, ids);
    const data = Buffer.concat([needles[1], Buffer.alloc(9)]);
    const all: number[] = [];
    index.scanJs(data, data.length, 0, all);
    expect(all).toEqual([0, 1]);
    const cut: number[] = [];
    index.scanJs(data, 6, 0, cut); // the needle does not fit before `end`
    expect(cut).toEqual([]);
    const seen: number[] = [];
    index.scanJs(data, data.length, 7, seen); // it ends at 7: reported by the previous chunk
    expect(seen).toEqual([]);
    const stray: number[] = [];
    index.verify(data, -4, data.length, 0, stray);
    index.verify(data, data.length, data.length, 0, stray);
    expect(stray).toEqual([]);
  });
});
