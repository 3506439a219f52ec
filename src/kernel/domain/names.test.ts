// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskName } from './names.js';

describe('maskName', () => {
  it('keeps the surname only', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
    expect(maskName('欧阳')).toBe('欧*'); // a two-character name: surname 欧, given name 阳
    expect(maskName('李')).toBe('*');
    expect(maskName('Zhang San')).toBe('Z*******');
    expect(maskName('𠀀𠀁𠀂')).toBe('𠀀**'); // astral characters count once
  });

  it('refuses an empty name and a non-string', () => {
    expect(() => maskName('  ')).toThrow(expect.objectContaining({ code: 'ERR_DOMAIN_NAME' }));
    expect(() => maskName(undefined as unknown as string)).toThrow(TypeError);
  });

  it('property: at most two original characters survive, in front, the rest are stars', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 2, maxLength: 30 }), (raw) => {
        const name = raw.replace(/\s|\*/g, 'a');
        const m = maskName(name);
        const chars = [...name];
        expect([...m]).toHaveLength(chars.length);
        const kept = m.replace(/\*+$/, '');
        expect(kept.length).toBeGreaterThanOrEqual(1);
        expect(kept.length).toBeLessThanOrEqual(2);
        expect(name.startsWith(kept)).toBe(true);
      }),
    );
  });
});
