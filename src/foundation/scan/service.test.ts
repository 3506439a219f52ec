// SPDX-License-Identifier: Apache-2.0
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CanaryScanner, listFiles, scanPaths } from './service.js';
import { alignedBase64, buildNeedles, toCanaries } from './needles.js';

const NAME = '欧阳诸葛娜';
const ID = '11010519491231002X';
const PHONE = '+8613800138000';
const CANARIES = [NAME, ID, PHONE];

/** Every encoded form of a value, as the scan labels them. */
function encodings(value: string): Array<{ encoding: string; alignment?: number; bytes: Buffer }> {
  const u = Buffer.from(value, 'utf8');
  const le = Buffer.from(value, 'utf16le');
  const out: Array<{ encoding: string; alignment?: number; bytes: Buffer }> = [
    { encoding: 'utf-8', bytes: u },
    { encoding: 'utf-16le', bytes: le },
    { encoding: 'utf-16be', bytes: Buffer.from(le).swap16() },
  ];
  const lower = u.toString('hex');
  if (lower === lower.toUpperCase()) {
    out.push({ encoding: 'hex', bytes: Buffer.from(lower) });
  } else {
    out.push({ encoding: 'hex-lower', bytes: Buffer.from(lower) });
    out.push({ encoding: 'hex-upper', bytes: Buffer.from(lower.toUpperCase()) });
  }
  for (const k of [0, 1, 2] as const) {
    // Embed the value at offset k of a real base64 encoding, as an encoder would write it.
    const b64 = Buffer.concat([randomBytes(k), u, randomBytes(5)]).toString('base64');
    const run = alignedBase64(u, k);
    expect(b64).toContain(run);
    out.push({ encoding: 'base64', alignment: k, bytes: Buffer.from(b64) });
  }
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hc-scan-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('residual scan', () => {
  it('finds every encoding of every canary, also across chunk boundaries', async () => {
    const scanner = new CanaryScanner(CANARIES);
    for (const [line, value] of CANARIES.entries()) {
      for (const e of encodings(value)) {
        for (const chunkSize of [7, 64, 1 << 16]) {
          // Put the value so that it straddles the first chunk boundary (and sits at a second).
          const pad1 = Math.max(0, chunkSize - Math.floor(e.bytes.length / 2));
          const data = Buffer.concat([
            randomBytes(pad1),
            e.bytes,
            randomBytes(Math.min(3 * chunkSize, 4096) + 5),
            e.bytes,
          ]);
          const file = join(
            dir,
            `plant-${line}-${e.encoding}-${e.alignment ?? ''}-${chunkSize}.bin`,
          );
          writeFileSync(file, data);
          const r = await scanner.scanFile(file, { chunkSize });
          const mine = r.hits.filter(
            (h) =>
              h.canaryLine === line + 1 &&
              h.encoding === e.encoding &&
              (e.alignment === undefined || h.alignment === e.alignment),
          );
          expect(mine.length, `${e.encoding}/${e.alignment}/${chunkSize}`).toBe(2);
          expect(r.bytes).toBe(data.length);
          rmSync(file);
        }
      }
    }
  });

  it('property: a chunked file scan equals a naive scan of the whole file (boundary-spanning matches)', async () => {
    const needles = buildNeedles(toCanaries(CANARIES));
    const scanner = new CanaryScanner(CANARIES);
    /** Every (offset, line, encoding) a brute-force search of the needle bytes finds. */
    const naive = (data: Buffer): string[] => {
      const out: string[] = [];
      for (const n of needles) {
        for (let at = data.indexOf(n.bytes); at !== -1; at = data.indexOf(n.bytes, at + 1)) {
          for (const l of n.labels) {
            out.push(`${at}:${l.line}:${l.encoding}:${l.alignment ?? ''}`);
          }
        }
      }
      return out.sort();
    };
    // Files built from encoded canaries (whole or cut), filler and random bytes, so matches
    // overlap each other and straddle every chunk size tried.
    const piece = fc.oneof(
      fc.constantFrom(...needles.map((n) => Buffer.from(n.bytes))),
      fc
        .tuple(fc.constantFrom(...needles.map((n) => Buffer.from(n.bytes))), fc.nat(40))
        .map(([b, k]) => b.subarray(0, k % b.length)),
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
      fc.constantFrom(Buffer.from('0123456789'), Buffer.from('AAAA'), Buffer.alloc(3)),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 60 }),
        fc.integer({ min: 1, max: 300 }),
        async (pieces, chunkSize) => {
          const data = Buffer.concat(pieces);
          const file = join(dir, `prop-${run++}.bin`);
          writeFileSync(file, data);
          const r = await scanner.scanFile(file, { chunkSize, maxHits: 1e6 });
          rmSync(file);
          const got = r.hits.map(
            (h) => `${h.offset}:${h.canaryLine}:${h.encoding}:${h.alignment ?? ''}`,
          );
          expect(got.sort()).toEqual(naive(data));
          expect(r.bytes).toBe(data.length);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('reports exact byte offsets and never the value itself', async () => {
    const sub = join(dir, 'offsets');
    mkdirSync(sub);
    const data = Buffer.concat([Buffer.alloc(1000), Buffer.from(ID), Buffer.alloc(10)]);
    writeFileSync(join(sub, 'a.log'), data);
    const r = await scanPaths([sub], CANARIES);
    expect(r.hits).toEqual([
      { file: join(sub, 'a.log'), encoding: 'utf-8', offset: 1000, canaryLine: 2 },
    ]);
    expect(r).toMatchObject({ files: 1, bytes: data.length, truncatedHits: 0, unreadable: [] });
    expect(JSON.stringify(r)).not.toContain(ID);
  });

  it('finds canaries in a real SQLite database and its WAL (UTF-8 and UTF-16 text, blobs)', async () => {
    const sub = join(dir, 'sqlite');
    mkdirSync(sub);
    const db = new Database(join(sub, 'healthcode.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE people (name TEXT, doc BLOB)');
    db.prepare('INSERT INTO people VALUES (?, ?)').run(NAME, Buffer.from(PHONE, 'utf16le'));
    const db16 = new Database(join(sub, 'utf16.db'));
    db16.pragma("encoding = 'UTF-16le'");
    db16.exec('CREATE TABLE t (id TEXT)');
    db16.prepare('INSERT INTO t VALUES (?)').run(ID);
    db16.close();
    // Keep `db` open so the rows live in healthcode.db-wal, as on a running instance.
    const r = await scanPaths([sub], CANARIES);
    db.close();
    const seen = new Set(
      r.hits.map((h) => `${h.file.slice(sub.length + 1)}|${h.encoding}|${h.canaryLine}`),
    );
    expect(seen).toContain('healthcode.db-wal|utf-8|1');
    expect(seen).toContain('healthcode.db-wal|utf-16le|3');
    expect(seen).toContain('utf16.db|utf-16le|2');
  });

  it('finds values in a binary file and reports no false positives on random data', async () => {
    const sub = join(dir, 'binary');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'blob.bin'),
      Buffer.concat([
        randomBytes(5000),
        Buffer.from(Buffer.from(NAME).toString('hex').toUpperCase()),
        randomBytes(77),
      ]),
    );
    writeFileSync(join(sub, 'noise.bin'), randomBytes(4 << 20));
    const many = Array.from(
      { length: 1000 },
      (_, i) => `canary-${i}-${randomBytes(6).toString('hex')}`,
    );
    const r = await scanPaths([sub], [...many, NAME]);
    expect(r.hits).toEqual([
      { file: join(sub, 'blob.bin'), encoding: 'hex-upper', offset: 5000, canaryLine: 1001 },
    ]);
  });

  it('walks directories recursively, does not follow symlinks, and skips excluded files', async () => {
    const sub = join(dir, 'walk');
    mkdirSync(join(sub, 'a', 'b'), { recursive: true });
    writeFileSync(join(sub, 'a', 'b', 'deep.txt'), `x ${PHONE} y`);
    writeFileSync(join(sub, 'canaries.txt'), CANARIES.join('\n'));
    symlinkSync(join(sub, 'a'), join(sub, 'link'));
    expect(await listFiles([sub])).toEqual([
      join(sub, 'a', 'b', 'deep.txt'),
      join(sub, 'canaries.txt'),
    ]);
    const r = await scanPaths([sub], CANARIES, { exclude: [join(sub, 'canaries.txt')] });
    expect(r.files).toBe(1);
    expect(r.hits.map((h) => h.canaryLine)).toEqual([3]);
    await expect(scanPaths([join(sub, 'missing')], CANARIES)).rejects.toMatchObject({
      code: 'ERR_SCAN_PATH',
    });
  });

  it('caps the hits listed per file and counts the rest', async () => {
    const sub = join(dir, 'cap');
    mkdirSync(sub);
    writeFileSync(join(sub, 'many.txt'), `${ID}\n`.repeat(50));
    const r = await scanPaths([sub], CANARIES, { maxHitsPerFile: 10 });
    expect(r.hits).toHaveLength(10);
    expect(r.truncatedHits).toBe(40);
  });
});
