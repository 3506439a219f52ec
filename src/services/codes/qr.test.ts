// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { FixedClock, systemRandom } from '../../kernel/shared/index.js';
import { MemoryIssuer } from './memory-issuer.js';
import { decodeQrPng, qrVersion, renderQr } from './qr.js';

describe('QR codes', () => {
  const issuer = new MemoryIssuer({
    issuer: 'healthcode.local/instance',
    clock: new FixedClock('2026-12-01T08:00:00+08:00'),
    random: systemRandom,
  });
  const token = issuer.issue({
    colour: 'green',
    validUntil: new Date('2026-12-02T00:00:00+08:00'),
    maskedName: '欧阳**',
    ruleSet: 'default@1',
  }).text;

  it('fits a token in a small QR code a phone reads at a gate', async () => {
    const { version } = await qrVersion(token, 'Q');
    expect(version).toBeLessThanOrEqual(12);
    expect((await qrVersion(token, 'M')).version).toBeLessThanOrEqual(version);
  });

  it('round-trips PNG rendering and decoding', async () => {
    const png = (await renderQr(token, 'png')) as Buffer;
    expect(await decodeQrPng(png)).toBe(token);
  });

  it('renders SVG and terminal text', async () => {
    expect(await renderQr(token, 'svg')).toMatch(/^<svg/);
    expect(((await renderQr(token, 'terminal')) as string).length).toBeGreaterThan(100);
  });

  it('refuses non-PNG input, oversized images and images without a code', async () => {
    await expect(decodeQrPng(Buffer.from('not a png at all, clearly not'))).rejects.toThrow(
      expect.objectContaining({ code: 'ERR_CODES_QR_IMAGE' }),
    );
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
    header.writeUInt32BE(100_000, 16);
    header.writeUInt32BE(100_000, 20);
    await expect(decodeQrPng(header)).rejects.toThrow(/dimensions/);
    await expect(decodeQrPng(deflateSync(Buffer.alloc(10)))).rejects.toThrow(/not a PNG/);
    const blank = (await renderQr('', 'png')) as Buffer;
    expect(blank.length).toBeGreaterThan(0);
  });
});
