// SPDX-License-Identifier: Apache-2.0
/**
 * RFC 9162 §2.1 Merkle proofs against the transparency-dev/merkle golden files
 * (https://github.com/transparency-dev/merkle, commit 417fb0c, `testdata/inclusion/**`,
 * `testdata/consistency/**`, `testonly/constants.go`; vendored in test/vectors/testdata/merkle,
 * see its README).
 * Every vector must verify or fail exactly as its `wantErr` says; the happy paths must also be
 * what our own proof generator produces, byte for byte; and the root and node hashes of
 * `constants.go` must be reproduced.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CompactRange,
  EMPTY_ROOT,
  hashInRow,
  lastLeafOf,
  leafHash,
} from '../../src/foundation/audit/merkle.js';
import {
  consistencyRanges,
  hashRanges,
  inclusionRanges,
  verifyConsistency,
  verifyInclusion,
} from '../../src/foundation/audit/proof.js';
import { vendoredPath } from './vendored.js';

const DIR = vendoredPath('merkle');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.json') ? [path] : [];
  });
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

// constants.go: LeafInputs, NodeHashes and RootHashes as hex literals, in order.
const constants = readFileSync(join(DIR, 'constants.go.txt'), 'utf8');
function hexList(funcName: string): string[] {
  const body = constants.split(`func ${funcName}()`)[1].split('\n}\n')[0];
  return [...body.matchAll(/hd\("([0-9a-f]*)"\)/g)].map((m) => m[1]);
}
const leafInputs = hexList('LeafInputs').map((h) => Buffer.from(h, 'hex'));
const rootHashes = hexList('RootHashes');
const nodeHashes = hexList('NodeHashes');

/** The tree of the eight LeafInputs, stored row by row as the database stores it. */
const rows: Buffer[] = [];
const range = new CompactRange();
const roots: Buffer[] = [range.root()];
for (const input of leafInputs) {
  rows.push(Buffer.concat(range.push(leafHash(input))));
  roots.push(range.root());
}
const lookup = (node: { level: number; index: number }) =>
  hashInRow(rows[lastLeafOf(node)], node.level);

describe('constants.go known answers', () => {
  it('has the eight leaf inputs and nine root hashes', () => {
    expect(leafInputs).toHaveLength(8);
    expect(rootHashes).toHaveLength(8); // sizes 1–8; size 0 is EmptyRootHash()
    expect(nodeHashes).toHaveLength(15);
  });

  it('reproduces the empty root and every root hash for sizes 1–8', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(roots[0].equals(EMPTY_ROOT)).toBe(true);
    expect(roots.slice(1).map((r) => r.toString('hex'))).toEqual(rootHashes);
  });

  it('stores exactly the complete-subtree hashes of NodeHashes()', () => {
    const levels = [8, 4, 2, 1];
    const expected: string[] = [];
    let at = 0;
    for (const count of levels) {
      expected.push(...nodeHashes.slice(at, at + count));
      at += count;
    }
    const ours: string[] = [];
    levels.forEach((count, level) => {
      for (let index = 0; index < count; index++) {
        ours.push(lookup({ level, index }).toString('hex'));
      }
    });
    expect(ours).toEqual(expected);
  });
});

const generated = { inclusion: 0, consistency: 0 };

describe('inclusion vectors', () => {
  const all = files(join(DIR, 'inclusion'));
  it('are all present (98 files)', () => {
    expect(all).toHaveLength(98);
  });
  for (const path of all) {
    const v = JSON.parse(readFileSync(path, 'utf8')) as InclusionVector;
    const name = `${relative(DIR, path)}: ${v.desc} (wantErr ${v.wantErr})`;
    it(name, () => {
      const run = () =>
        verifyInclusion(
          v.leafIdx,
          v.treeSize,
          b64(v.leafHash),
          (v.proof ?? []).map(b64),
          b64(v.root),
        );
      if (v.wantErr) {
        expect(run).toThrow();
      } else {
        expect(run).not.toThrow();
        // Over the LeafInputs tree, our generator yields the same proof byte for byte.
        if (v.root === roots[v.treeSize]?.toString('base64')) {
          const ours = hashRanges(inclusionRanges(v.leafIdx, v.treeSize), lookup);
          expect(ours.map((h) => h.toString('base64'))).toEqual(v.proof ?? []);
          generated.inclusion++;
        }
      }
    });
  }
});

describe('consistency vectors', () => {
  const all = files(join(DIR, 'consistency'));
  it('are all present (98 files)', () => {
    expect(all).toHaveLength(98);
  });
  for (const path of all) {
    const v = JSON.parse(readFileSync(path, 'utf8')) as ConsistencyVector;
    const name = `${relative(DIR, path)}: ${v.desc} (wantErr ${v.wantErr})`;
    it(name, () => {
      const run = () =>
        verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
      if (v.wantErr) {
        expect(run).toThrow();
      } else {
        expect(run).not.toThrow();
        if (v.root1 === roots[v.size1]?.toString('base64')) {
          const ours = hashRanges(consistencyRanges(v.size1, v.size2), lookup);
          expect(ours.map((h) => h.toString('base64'))).toEqual(v.proof ?? []);
          generated.consistency++;
        }
      }
    });
  }
});

describe('generator coverage', () => {
  it('compared our generated proofs with every happy path over the LeafInputs tree', () => {
    expect(generated.inclusion).toBeGreaterThanOrEqual(4);
    expect(generated.consistency).toBeGreaterThanOrEqual(4);
  });
});
