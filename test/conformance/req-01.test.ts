// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 1 — standard numbers: code, schema and docs cite GB/T 38962-2020 for the data
 * format, GB/T 38961-2020 for the reference model and GB/T 38963-2020 for the interfaces (§0: the
 * numbers are easy to mix up). Every title mentioned next to a number in the repository is paired
 * with the number closest to it in its clause (or line), and that number must be the right one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Titles (English and Chinese) and the number each belongs to. */
const TITLES: Array<{ pattern: RegExp; number: string }> = [
  { pattern: /data[- ]format|数据格式/gi, number: '38962' },
  { pattern: /reference model|参考模型/gi, number: '38961' },
  { pattern: /application interfaces?|应用接口/gi, number: '38963' },
];
const NUMBER = /3896[123]/g;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', '.git', 'data', 'results', 'coverage', '.tmp'].includes(name)) {
      continue;
    }
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      yield* files(path);
    } else if (/\.(ts|md|json|sql)$/.test(name) && name !== 'package-lock.json') {
      yield path;
    }
  }
}

/** For one line: each title mentioned and the number it is paired with. */
function pairLine(line: string): Array<{ expected: string; found: string }> {
  const out: Array<{ expected: string; found: string }> = [];
  if (line.match(NUMBER) === null) {
    return out;
  }
  // A title belongs to the nearest number of its own clause (clauses end at , ; 。 and "and"),
  // else to the nearest number on the line: "38961 for the reference model and 38963 for the
  // interfaces", "38962-2020 (data format; …".
  const onLine = [...line.matchAll(NUMBER)].map((m) => ({ at: m.index, n: m[0] }));
  let offset = 0;
  for (const clause of line.split(/(?<=[,;，；。、]| and | 和)/)) {
    const own = [...clause.matchAll(NUMBER)].map((m) => ({ at: offset + m.index, n: m[0] }));
    const numbers = own.length > 0 ? own : onLine;
    for (const { pattern, number } of TITLES) {
      for (const t of clause.matchAll(pattern)) {
        const tStart = offset + t.index;
        const tEnd = tStart + t[0].length;
        const distance = (at: number) => (at >= tEnd ? at - tEnd : tStart - (at + 5));
        const nearest = numbers.reduce((a, b) => (distance(b.at) < distance(a.at) ? b : a));
        out.push({ expected: number, found: nearest.n });
      }
    }
    offset += clause.length;
  }
  return out;
}

/** Every pairing in the repository's code and docs. */
function pairings(): Array<{ where: string; expected: string; found: string }> {
  const out: Array<{ where: string; expected: string; found: string }> = [];
  for (const file of files(ROOT)) {
    if (file === import.meta.filename) {
      continue; // this file quotes wrong citations on purpose
    }
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const p of pairLine(line)) {
          out.push({ where: `${relative(ROOT, file)}:${i + 1}`, ...p });
        }
      });
  }
  return out;
}

describe('req. 1: standard numbers', () => {
  const all = pairings();

  it('tells right citations from wrong ones', () => {
    const ok = (line: string) => pairLine(line).every((p) => p.expected === p.found);
    expect(
      ok('GB/T 38962-2020 (data format; 38961 is the reference model, 38963 the interfaces)'),
    ).toBe(true);
    expect(ok('《个人健康信息码 数据格式》 GB/T 38962-2020')).toBe(true);
    expect(ok('《个人健康信息码 数据格式》 GB/T 38961-2020')).toBe(false);
    expect(ok('GB/T 38963-2020 reference model')).toBe(false);
    expect(ok('the data format of GB/T 38961 and the application interface of GB/T 38963')).toBe(
      false,
    );
  });

  it('pairs every cited title with its own GB/T number', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    const wrong = all.filter((p) => p.expected !== p.found);
    expect(wrong).toEqual([]);
  });

  it('cites all three standards with their titles somewhere in the code', () => {
    const inSrc = all.filter((p) => p.where.startsWith('src/'));
    for (const n of ['38961', '38962', '38963']) {
      expect(
        inSrc.some((p) => p.found === n && p.expected === n),
        n,
      ).toBe(true);
    }
  });

  it('cites GB/T 38962-2020 (not 38961) for the data categories and groups', () => {
    const text = readFileSync(join(ROOT, 'src', 'kernel', 'domain', 'categories.ts'), 'utf8');
    expect(text).toMatch(/GB\/T 38962-2020 §4/);
    expect(text).not.toMatch(/3896[13]/);
  });
});
