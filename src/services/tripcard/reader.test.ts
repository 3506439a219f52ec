// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOf, readRecords, splitCsvLine } from './reader.js';
import { TripcardFileError } from './errors.js';
import { loadCells } from './cells.js';
import { TripcardCellsError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tripcard-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all(path: string) {
  const out = [];
  for await (const r of readRecords(path)) {
    out.push(r);
  }
  return out;
}

describe('carrier files', () => {
  it('reads CSV with a header, quotes and a BOM; a ragged row is malformed', async () => {
    const f = join(dir, 'a.csv');
    writeFileSync(
      f,
      '\uFEFFid,phone,time,region\r\ne1,139 1234 5678,"2026-11-20T08:00:00+08:00",310104\n\ne2,1,2\n',
    );
    expect(await all(f)).toEqual([
      {
        line: 2,
        record: {
          id: 'e1',
          phone: '139 1234 5678',
          time: '2026-11-20T08:00:00+08:00',
          region: '310104',
        },
      },
      { line: 4, record: undefined },
    ]);
    expect(splitCsvLine('"a ""b""",c')).toEqual(['a "b"', 'c']);
    expect(splitCsvLine('"open,c')).toBeUndefined();
  });

  it('reads NDJSON and JSON Lines; a bad line is malformed', async () => {
    const f = join(dir, 'a.jsonl');
    writeFileSync(f, '{"id":"e1"}\n{oops\n');
    expect(await all(f)).toEqual([
      { line: 1, record: { id: 'e1' } },
      { line: 2, record: undefined },
    ]);
  });

  it('refuses unknown extensions and headerless CSV', async () => {
    expect(() => formatOf('x.json')).toThrow(TripcardFileError);
    const f = join(dir, 'b.csv');
    writeFileSync(f, 'a,b\n1,2\n');
    await expect(all(f)).rejects.toBeInstanceOf(TripcardFileError);
  });

  it('loads a cell table folded to prefecture level and refuses a bad one', async () => {
    const f = join(dir, 'cells.csv');
    writeFileSync(f, 'cell,region\n883098D0A3FFFFF,320205\n88309a4d1bfffff,310104\n');
    expect([...(await loadCells(f))]).toEqual([
      ['883098d0a3fffff', '320200'],
      ['88309a4d1bfffff', '310100'],
    ]);
    writeFileSync(f, 'cell,region\n883098d0a3fffff,999999\n');
    await expect(loadCells(f)).rejects.toBeInstanceOf(TripcardCellsError);
    await expect(loadCells(join(dir, 'none.csv'))).rejects.toBeInstanceOf(TripcardCellsError);
  });
});
