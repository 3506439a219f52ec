// SPDX-License-Identifier: Apache-2.0
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOutsideDataDir, canaryListText, canaryResidents, writeCellsCsv } from './files.js';
import { OutputInsideDataDirError } from './errors.js';
import { buildCityMap } from './geo.js';

const root = mkdtempSync(join(tmpdir(), 'hc-sim-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('assertOutsideDataDir', () => {
  const dir = join(root, 'data');
  mkdirSync(dir);
  it('refuses the data dir itself and anything inside it, even through a symlink', () => {
    for (const p of [dir, join(dir, 'canaries.txt'), join(dir, 'a', 'b'), `${dir}/../data/x`]) {
      expect(() => assertOutsideDataDir(p, dir, 'FILE')).toThrow(OutputInsideDataDirError);
    }
    symlinkSync(dir, join(root, 'link'));
    expect(() => assertOutsideDataDir(join(root, 'link', 'x.txt'), dir, 'FILE')).toThrow(
      OutputInsideDataDirError,
    );
  });

  it('allows siblings, including names that merely start like the data dir', () => {
    expect(() => assertOutsideDataDir(join(root, 'data-canaries.txt'), dir, 'F')).not.toThrow();
    expect(() => assertOutsideDataDir(join(root, 'feeds'), dir, 'F')).not.toThrow();
    expect(() => assertOutsideDataDir(join(root, 'data2', 'x'), dir, 'F')).not.toThrow();
  });
});

describe('canary list', () => {
  it('is UTF-8, one value per line: names, ID numbers and phones only', () => {
    const canaries = canaryResidents({
      people: 1000,
      days: 1,
      seed: 4,
      end: new Date('2026-03-10T12:00:00+08:00'),
      canaries: 5,
    });
    const text = canaryListText(canaries);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    const expected = canaries.flatMap((c) => [
      c.name,
      c.idNumber,
      c.phone,
      ...(c.secondPhone ? [c.secondPhone.phone] : []),
    ]);
    expect(lines).toEqual(expected);
    for (const line of lines) {
      expect(
        /^\+861\d{10}$/.test(line) || /^\d{17}[\dX]$/.test(line) || [...line].length >= 4,
      ).toBe(true);
    }
  });
});

describe('writeCellsCsv', () => {
  it('writes the map the sim uses', () => {
    const file = join(root, 'cells.csv');
    const n = writeCellsCsv(file);
    expect(n).toBe(buildCityMap().cells.length);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('cell,region');
  });
});
