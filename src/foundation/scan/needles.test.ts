// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alignedBase64, buildNeedles, parseCanaryText, toCanaries } from './needles.js';

describe('canary needles', () => {
  it('property: a value inside any base64 text contains its aligned, trimmed run', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 10 }),
        fc.uint8Array({ minLength: 6, maxLength: 40 }),
        fc.uint8Array({ maxLength: 10 }),
        (before, value, after) => {
          const all = Buffer.concat([before, value, after]).toString('base64');
          const k = (before.length % 3) as 0 | 1 | 2;
          expect(all).toContain(alignedBase64(value, k));
          expect(all.replaceAll('+', '-').replaceAll('/', '_')).toContain(
            alignedBase64(value, k).replaceAll('+', '-').replaceAll('/', '_'),
          );
        },
      ),
    );
  });

  it('trims exactly the characters that mix in neighbouring bits', () => {
    const v = Buffer.from('abcdef');
    expect(alignedBase64(v, 0)).toBe('YWJjZGVm');
    expect(alignedBase64(v, 1)).toHaveLength(Math.floor(56 / 6) - 2);
    expect(alignedBase64(v, 2)).toHaveLength(Math.floor(64 / 6) - 3);
  });

  it('encodes each value in every form, merging identical byte strings', () => {
    const needles = buildNeedles(toCanaries(['张三丰五', '13800138000', '13800138000']));
    const labels = needles.flatMap((n) => n.labels);
    // Digits only: hex lower == upper, so one `hex` needle; UTF-8 of 张 (e5 bc a0) differs.
    expect(labels.filter((l) => l.line === 2).map((l) => l.encoding)).toEqual([
      'utf-8',
      'utf-16le',
      'utf-16be',
      'hex',
      'base64',
      'base64',
      'base64',
    ]);
    expect(labels.filter((l) => l.line === 1).map((l) => l.encoding)).toContain('hex-upper');
    // Lines 2 and 3 hold the same value: one needle, two labels.
    const utf8 = needles.find((n) => Buffer.from(n.bytes).toString() === '13800138000')!;
    expect(utf8.labels.map((l) => l.line)).toEqual([2, 3]);
  });

  it('adds the URL-safe alphabet only where it differs', () => {
    const value = '\u00fb\u00ff\u00fe\u00ff\u00fb\u00ff'; // UTF-8 bytes full of 0xBx/0xFx: + and / likely
    const labels = buildNeedles(toCanaries([value])).flatMap((n) => n.labels);
    const url = labels.filter((l) => l.encoding === 'base64url');
    const std = buildNeedles(toCanaries([value])).filter((n) =>
      n.labels.some((l) => l.encoding === 'base64'),
    );
    const withSpecial = std.filter((n) => /[+/]/.test(Buffer.from(n.bytes).toString('latin1')));
    expect(url.length).toBe(withSpecial.length);
  });

  it('refuses short canaries naming only the line', () => {
    expect(() => buildNeedles(toCanaries(['张三丰五', 'abc']))).toThrow(
      expect.objectContaining({
        code: 'ERR_SCAN_CANARIES',
        message: expect.stringContaining('line 2'),
      }),
    );
    // The refusal names the line, never the value (canaries are personal data).
    expect(() => buildNeedles(toCanaries(['secretvalue', 'abc']))).toThrow(
      expect.objectContaining({
        code: 'ERR_SCAN_CANARIES',
        message: expect.not.stringContaining('abc'),
      }),
    );
    expect(() => buildNeedles([])).toThrow(expect.objectContaining({ code: 'ERR_SCAN_CANARIES' }));
  });

  it('parses canary files: BOM, CRLF, blank lines keep their line numbers', () => {
    const text = '\uFEFF张三丰五\r\n\r\n  11010519491231002X  \n\n13800138000';
    expect(parseCanaryText(Buffer.from(text))).toEqual([
      { value: '张三丰五', line: 1 },
      { value: '11010519491231002X', line: 3 },
      { value: '13800138000', line: 5 },
    ]);
    expect(() => parseCanaryText(Buffer.from([0xff, 0xfe, 0x41]))).toThrow(
      expect.objectContaining({ code: 'ERR_SCAN_CANARIES' }),
    );
    expect(() => parseCanaryText(Buffer.from('\n \n'))).toThrow(
      expect.objectContaining({ code: 'ERR_SCAN_CANARIES' }),
    );
  });
});
