// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combine, split } from 'shamir-secret-sharing';
import { describe, expect, it } from 'vitest';
import {
  combineShares,
  exportShares,
  isInside,
  parseSharesSpec,
  readShareFiles,
} from './custody.js';
import { masterCheckValue } from './provider.js';
import { SharesError } from './errors.js';

const master = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
);

describe('the shamir-secret-sharing package (its documented behaviour)', () => {
  it('rebuilds a threshold-2 secret from hand-computed shares over GF(2^8) mod x^8+x^4+x^3+x+1', async () => {
    // With f(x) = s + a·x and a = 0x53, the share at x = 0xCA is s ⊕ (0x53·0xCA) = s ⊕ 0x01, since
    // 0x53 and 0xCA are inverses in the AES field (FIPS 197 §4.2); at x = 1 it is s ⊕ 0x53.
    // The package stores the x coordinate as a share's last byte (as HashiCorp Vault does).
    const s = [0x73, 0x65, 0x63];
    const at1 = new Uint8Array([...s.map((b) => b ^ 0x53), 0x01]);
    const atCA = new Uint8Array([...s.map((b) => b ^ 0x01), 0xca]);
    expect([...(await combine([at1, atCA]))]).toEqual(s);
  });

  it('splits into secret-length + 1 byte shares; any K of N rebuild; K−1 do not', async () => {
    const secret = new Uint8Array(master);
    const shares = await split(secret, 5, 3);
    expect(shares.every((x) => x.length === 33)).toBe(true);
    for (const [i, j, k] of [
      [0, 1, 2],
      [0, 2, 4],
      [1, 3, 4],
      [4, 3, 2],
    ] as const) {
      expect(Buffer.from(await combine([shares[i], shares[j], shares[k]]))).toEqual(master);
    }
    expect(Buffer.from(await combine([shares[0], shares[1]]))).not.toEqual(master);
  });

  it('refuses a Buffer (it checks the constructor), so we copy into a Uint8Array', async () => {
    await expect(split(Buffer.from(master), 3, 2)).rejects.toThrow(TypeError);
  });
});

describe('keys export / import (custody of the master secret)', () => {
  it('writes 0600 share files; any 3 of 5 rebuild the secret and match its check value', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hc-shares-')), 'custody');
    const files = await exportShares(master, parseSharesSpec('3/5'), out);
    expect(files).toHaveLength(5);
    expect(statSync(files[0]).mode & 0o777).toBe(0o600);
    expect(readFileSync(files[0], 'utf8')).not.toContain(master.toString('hex'));
    const kcv = masterCheckValue(master);
    const rebuilt = await combineShares(readShareFiles([files[4], files[1], files[2]]), kcv);
    expect(rebuilt).toEqual(master);
  });

  it('refuses too few, duplicated, foreign or damaged shares with ERR_KEYS_SHARES', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hc-shares-')), 'custody');
    const files = await exportShares(master, { threshold: 3, shares: 5 }, out);
    const all = readShareFiles(files);
    await expect(combineShares(all.slice(0, 2))).rejects.toBeInstanceOf(SharesError);
    await expect(combineShares([all[0], all[0], all[1]])).rejects.toThrow(/twice/);
    await expect(combineShares(all.slice(0, 3), 'f'.repeat(32))).rejects.toThrow(
      /another instance/,
    );
    // Damage the share's y-bytes but keep its x-coordinate (the last byte): a made-up x could
    // equal another share's random x, and then the shares would not combine at all.
    const y = Buffer.from(all[1].share, 'base64url');
    for (let i = 0; i < y.length - 1; i++) {
      y[i] ^= 0x5a;
    }
    const damaged = { ...all[1], share: y.toString('base64url') };
    await expect(combineShares([all[0], damaged, all[2]])).rejects.toThrow(/different secret/);
    const bad = join(out, 'bad.json');
    writeFileSync(bad, '{"format":"other"}');
    expect(() => readShareFiles([bad])).toThrow(SharesError);
    expect(() => parseSharesSpec('1/5')).toThrow(SharesError);
    expect(() => parseSharesSpec('4/3')).toThrow(SharesError);
    expect(isInside('/a/b/c', '/a/b')).toBe(true);
    expect(isInside('/a/bc', '/a/b')).toBe(false);
  });
});
