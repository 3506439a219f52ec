// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { deflateSync, deflateRawSync, gzipSync } from 'node:zlib';
import { deflate, tryInflate } from './inflate.js';

describe('bounded zlib', () => {
  it('round-trips', () => {
    const data = new TextEncoder().encode('a health code payload '.repeat(10));
    expect(tryInflate(deflate(data))).toEqual({ ok: true, bytes: Buffer.from(data) });
  });

  it('stops a zlib bomb at the cap', () => {
    const bomb = deflateSync(Buffer.alloc(50_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(60_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(tryInflate(bomb, 64 * 1024)).toEqual({ ok: false, problem: 'too-large' });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(20_000_000);
  });

  it.each([
    ['raw deflate without the zlib header', deflateRawSync(Buffer.from('hello hello hello'))],
    ['gzip', gzipSync(Buffer.from('hello hello hello'))],
    ['an uncompressed COSE message', Buffer.from('d28443a10126a04474657374', 'hex')],
    ['a truncated stream', deflateSync(Buffer.from('hello hello hello')).subarray(0, 10)],
    [
      'a damaged checksum',
      Buffer.concat([deflateSync(Buffer.from('hi')).subarray(0, -1), Buffer.of(0)]),
    ],
    ['an empty input', Buffer.alloc(0)],
  ])('refuses %s', (_label, data) => {
    expect(tryInflate(data).ok).toBe(false);
  });

  it('refuses bytes after the end of the stream', () => {
    const data = Buffer.concat([deflateSync(Buffer.from('hello')), Buffer.from('xx')]);
    expect(tryInflate(data)).toEqual({ ok: false, problem: 'trailing-data' });
  });
});
