// SPDX-License-Identifier: Apache-2.0
/**
 * @module Loader for EU dgc-testdata cases (`<CC>/…/*.json`, `common/2DCode/raw/*.json`), tolerant
 * of the quirks of the full upstream suite (anchors/credentials.md §1): flags nested in a second
 * `EXPECTEDRESULTS` (ES 1001–1003) or kept in `TESTCTX` (early BG files), the typo key
 * `EXPTECTEDEXPIRED` (BG, ES: `true` = the expiry check must fail), the signer certificate as
 * `TESTCTX.JWK.x5c[0]`, `_2DCODE`, `TESTCTX.validationClockInstant`, and stray JSON files that
 * are no test case at all (a bare claims object at the repository root).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DccStage } from '../../src/services/codes/dcc.js';

/** Which test-data flag tests which verifier stage. */
export const FLAG_TO_STAGE: Readonly<Record<string, DccStage>> = {
  EXPECTEDUNPREFIX: 'prefix',
  EXPECTEDB45DECODE: 'base45',
  EXPECTEDCOMPRESSION: 'zlib',
  EXPECTEDDECODE: 'cose',
  EXPECTEDVERIFY: 'signature',
  EXPECTEDEXPIRATIONCHECK: 'expiry',
  EXPECTEDKEYUSAGE: 'keyUsage',
};

export interface DccCase {
  readonly file: string;
  readonly description: string;
  /** Expected outcome per stage; a stage without a flag is not tested. */
  readonly expected: Partial<Record<DccStage, boolean>>;
  /** Flags for checks outside our seven stages (schema, picture, JSON), kept for the report. */
  readonly otherFlags: readonly string[];
  readonly prefix: string | undefined;
  readonly base45: string | undefined;
  readonly compressedHex: string | undefined;
  readonly coseHex: string | undefined;
  readonly json: unknown;
  readonly certificate: string | undefined;
  readonly clock: string | undefined;
}

export type Loaded =
  | { readonly kind: 'case'; readonly value: DccCase }
  | { readonly kind: 'not-a-case'; readonly file: string; readonly why: string };

/** Every `.json` file below `root`, sorted, case-insensitively walked. */
export function listJsonFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else if (name.toLowerCase().endsWith('.json')) {
        out.push(p);
      }
    }
  };
  walk(root);
  return out.sort();
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Collects EXPECTED* booleans from every place a country has put them. */
function collectFlags(doc: Record<string, unknown>): Map<string, boolean> {
  const flags = new Map<string, boolean>();
  const take = (o: Record<string, unknown> | undefined, depth: number) => {
    if (o === undefined || depth > 3) {
      return;
    }
    for (const [k, v] of Object.entries(o)) {
      const key = k.toUpperCase();
      if (key === 'EXPECTEDRESULTS') {
        take(obj(v), depth + 1);
      } else if (typeof v === 'boolean' && /^EXP(E|TE)CTED/.test(key)) {
        flags.set(key, v);
      }
    }
  };
  take(obj(doc.EXPECTEDRESULTS), 0);
  take(obj(doc.TESTCTX), 1);
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v === 'boolean' && /^EXP(E|TE)CTED/.test(k.toUpperCase())) {
      flags.set(k.toUpperCase(), v);
    }
  }
  return flags;
}

/** Reads one file as a test case, or says why it is none. */
export function loadCase(root: string, path: string): Loaded {
  const file = relative(root, path);
  let doc: Record<string, unknown> | undefined;
  try {
    doc = obj(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return { kind: 'not-a-case', file, why: 'not JSON' };
  }
  if (doc === undefined) {
    return { kind: 'not-a-case', file, why: 'not a JSON object' };
  }
  const flags = collectFlags(doc);
  if (flags.size === 0) {
    return { kind: 'not-a-case', file, why: 'no EXPECTED* flags (not a test case)' };
  }
  const expected: Partial<Record<DccStage, boolean>> = {};
  const otherFlags: string[] = [];
  for (const [flag, value] of flags) {
    const stage = FLAG_TO_STAGE[flag];
    if (stage !== undefined) {
      expected[stage] = value;
    } else if (flag === 'EXPTECTEDEXPIRED' || flag === 'EXPECTEDEXPIRED') {
      // "expected expired": true means the expiry check must fail.
      expected.expiry ??= !value;
    } else {
      otherFlags.push(`${flag}=${value}`);
    }
  }
  const ctx = obj(doc.TESTCTX) ?? {};
  const jwk = obj(ctx.JWK);
  const x5c = Array.isArray(jwk?.x5c) ? str(jwk.x5c[0]) : undefined;
  return {
    kind: 'case',
    value: {
      file,
      description: str(ctx.DESCRIPTION) ?? '',
      expected,
      otherFlags,
      prefix: str(doc.PREFIX),
      base45: str(doc.BASE45),
      compressedHex: str(doc.COMPRESSED),
      coseHex: str(doc.COSE),
      json: doc.JSON,
      certificate: str(ctx.CERTIFICATE) ?? x5c,
      clock: str(ctx.VALIDATIONCLOCK) ?? str(ctx.validationClockInstant),
    },
  };
}
