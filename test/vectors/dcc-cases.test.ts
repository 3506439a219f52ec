// SPDX-License-Identifier: Apache-2.0
/** The dgc-testdata loader tolerates the quirks of countries outside our subset (credentials.md §1). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listJsonFiles, loadCase } from './dcc-cases.js';

describe('dgc-testdata loader quirks', () => {
  const root = mkdtempSync(join(tmpdir(), 'hc-dgc-'));
  const put = (path: string, doc: unknown) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), typeof doc === 'string' ? doc : JSON.stringify(doc));
  };
  put('ES/2DCode/raw/1001.json', {
    PREFIX: 'HC1:X',
    TESTCTX: { CERTIFICATE: 'AAAA', VALIDATIONCLOCK: '2021-06-01T00:00:00Z' },
    EXPECTEDRESULTS: { EXPECTEDRESULTS: { EXPECTEDVERIFY: true }, EXPECTEDUNPREFIX: true },
  });
  put('BG/2DCode/raw/1.json', {
    PREFIX: 'HC1:X',
    TESTCTX: { JWK: { x5c: ['BBBB'] }, EXPECTEDDECODE: true, VALIDATIONCLOCK: '2021-05-02' },
    EXPECTEDRESULTS: { EXPTECTEDEXPIRED: true },
  });
  put('LV/2DCode/raw/1.json', {
    PREFIX: 'HC1:X',
    _2DCODE: 'iVBOR',
    EXPECTEDRESULTS: { EXPECTEDUNPREFIX: true },
  });
  put('DK/2DCode/raw/1.json', {
    PREFIX: 'HC1:X',
    TESTCTX: { validationClockInstant: '2021-06-01T00:00:00Z' },
    EXPECTEDRESULTS: { EXPECTEDEXPIRATIONCHECK: true },
  });
  put('IE/2DCode/Raw/1.JSON', { PREFIX: 'HC1:X', EXPECTEDRESULTS: { EXPECTEDB45DECODE: false } });
  put('6.json', { 1: 'AT', 4: 1, 6: 0 });
  put('broken.json', '{ not json');

  it('finds every JSON file, whatever the case of folder and extension', () => {
    expect(
      listJsonFiles(root)
        .map((p) => p.slice(root.length + 1))
        .sort(),
    ).toEqual(
      [
        '6.json',
        'BG/2DCode/raw/1.json',
        'DK/2DCode/raw/1.json',
        'ES/2DCode/raw/1001.json',
        'IE/2DCode/Raw/1.JSON',
        'LV/2DCode/raw/1.json',
        'broken.json',
      ].sort(),
    );
  });

  it('reads nested, misplaced and misspelt flags, x5c certificates and the DK clock', () => {
    const load = (p: string) => loadCase(root, join(root, p));
    expect(load('ES/2DCode/raw/1001.json')).toMatchObject({
      kind: 'case',
      value: { expected: { signature: true, prefix: true } },
    });
    expect(load('BG/2DCode/raw/1.json')).toMatchObject({
      kind: 'case',
      value: { expected: { cose: true, expiry: false }, certificate: 'BBBB', clock: '2021-05-02' },
    });
    expect(load('LV/2DCode/raw/1.json')).toMatchObject({
      kind: 'case',
      value: { expected: { prefix: true } },
    });
    expect(load('DK/2DCode/raw/1.json')).toMatchObject({
      kind: 'case',
      value: { clock: '2021-06-01T00:00:00Z' },
    });
    expect(load('6.json')).toMatchObject({ kind: 'not-a-case' });
    expect(load('broken.json')).toEqual({
      kind: 'not-a-case',
      file: 'broken.json',
      why: 'not JSON',
    });
  });
});
