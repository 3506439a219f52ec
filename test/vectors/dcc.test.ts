// SPDX-License-Identifier: Apache-2.0
/**
 * The EU dgc-testdata suite (anchors/credentials.md §1) through `verifyDcc`: every JSON case under
 * `test/vectors/testdata/dcc` (vendored, see its README; or `$HEALTHCODE_DCC_TESTDATA`, e.g. a full
 * upstream checkout), each
 * flag mapped to its stage (a missing flag = stage not tested). `true` needs the stage to pass;
 * `false` needs the certificate not to be accepted at that stage (the stage fails, or an earlier
 * one did — as the reference runner treats an undecodable COSE for EXPECTEDVERIFY=false). Passing
 * flags are also checked against the case's intermediate fields (BASE45, COMPRESSED, COSE, JSON).
 * A disagreement is excluded only when `diagnose` shows the data breaks the specification;
 * everything else fails the test. A JSON field that is not the signed payload (shown by decoding the
 * case's own COSE field with plain cborg) is printed as a data note on a case that passed. The counts and the excluded cases are printed.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBase45 } from '../../src/services/codes/base45.js';
import {
  verifyDcc,
  DCC_STAGES,
  type DccStage,
  type DccTrace,
} from '../../src/services/codes/dcc.js';
import { dccSignerFromCertificate, type DccSigner } from '../../src/services/codes/dcc-signer.js';
import { formatInstant, parseLenientInstant } from '../../src/services/codes/instant.js';
import { listJsonFiles, loadCase, type DccCase } from './dcc-cases.js';
import { diagnose, diagnoseJson } from './dcc-diagnose.js';
import { dccTestDataRoot, vendoredPath } from './vendored.js';

type Outcome =
  | { kind: 'passed'; file: string; notes: string[] }
  | { kind: 'failed'; file: string; why: string }
  | { kind: 'excluded'; file: string; why: string }
  | { kind: 'not-applicable'; file: string; why: string };

/** The text to verify: PREFIX, or rebuilt from a later field when a country left it out. */
function inputText(c: DccCase): { text: string; from: DccStage } | undefined {
  if (c.prefix !== undefined) {
    return { text: c.prefix, from: 'prefix' };
  }
  if (c.base45 !== undefined) {
    return { text: 'HC1:' + c.base45, from: 'base45' };
  }
  if (c.compressedHex !== undefined) {
    return { text: 'HC1:' + encodeBase45(Buffer.from(c.compressedHex, 'hex')), from: 'zlib' };
  }
  if (c.coseHex !== undefined) {
    const z = deflateSync(Buffer.from(c.coseHex, 'hex'));
    return { text: 'HC1:' + encodeBase45(z), from: 'cose' };
  }
  return undefined;
}

/** Dates compared at second precision, maps without key order (as the reference runner does). */
function normalise(v: unknown): unknown {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const i = parseLenientInstant(v);
    return i === undefined ? v : formatInstant({ seconds: i.seconds, fraction: '' });
  }
  if (Array.isArray(v)) {
    return v.map(normalise);
  }
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, normalise(x)]),
    );
  }
  return v;
}

function runCase(c: DccCase): Outcome {
  const tested = DCC_STAGES.filter((s) => c.expected[s] !== undefined);
  if (tested.length === 0) {
    return { kind: 'not-applicable', file: c.file, why: `tests only ${c.otherFlags.join(', ')}` };
  }
  const input = inputText(c);
  if (input === undefined) {
    return { kind: 'excluded', file: c.file, why: 'no PREFIX, BASE45, COMPRESSED or COSE field' };
  }
  const first = DCC_STAGES.indexOf(input.from);
  const untestable = tested.filter((s) => DCC_STAGES.indexOf(s) < first);
  if (untestable.length > 0) {
    return {
      kind: 'excluded',
      file: c.file,
      why: `flags ${untestable.join(', ')} set but no PREFIX`,
    };
  }
  const needsCert = tested.some((s) => s === 'signature' || s === 'expiry' || s === 'keyUsage');
  let signers: DccSigner[] = [];
  if (c.certificate !== undefined) {
    signers = [dccSignerFromCertificate(c.certificate)];
  } else if (needsCert) {
    return { kind: 'excluded', file: c.file, why: 'no signer certificate in TESTCTX' };
  }
  const clock = c.clock === undefined ? undefined : parseLenientInstant(c.clock);
  if (clock === undefined && tested.includes('expiry')) {
    return {
      kind: 'excluded',
      file: c.file,
      why: 'expiry flagged without a readable VALIDATIONCLOCK',
    };
  }
  const trace: DccTrace = {};
  const r = verifyDcc(input.text, { signers, at: clock ?? { seconds: 0, fraction: '' }, trace });
  const problems: string[] = [];
  const reasons: string[] = [];
  const notes: string[] = [];
  for (const stage of tested) {
    const want = c.expected[stage]!;
    const got = r.stages[stage];
    if (want ? got === true : got !== true) {
      continue;
    }
    const why = diagnose(c, stage, trace.cose && Buffer.from(trace.cose).toString('hex'));
    if (why === undefined) {
      problems.push(`${stage}: expected ${want}, got ${got} (${r.reason})`);
    } else {
      reasons.push(why);
    }
  }
  const hex = (b: Uint8Array | undefined) => b && Buffer.from(b).toString('hex');
  if (c.expected.prefix && c.base45 !== undefined && trace.base45 !== c.base45) {
    problems.push('prefix: the text after HC1: differs from BASE45');
  }
  if (
    c.expected.base45 &&
    c.compressedHex &&
    hex(trace.compressed) !== c.compressedHex.toLowerCase()
  ) {
    problems.push('base45: decoded bytes differ from COMPRESSED');
  }
  if (c.expected.zlib && c.coseHex && hex(trace.cose) !== c.coseHex.toLowerCase()) {
    problems.push('zlib: inflated bytes differ from COSE');
  }
  if (c.expected.cose && c.json !== undefined && r.payload !== null) {
    if (JSON.stringify(normalise(r.payload.hcert)) !== JSON.stringify(normalise(c.json))) {
      const why = diagnoseJson(c, r.payload.hcert, normalise);
      if (why === undefined) {
        problems.push('cose: the decoded eu_dcc_v1 differs from JSON');
      } else {
        notes.push(why);
      }
    }
  }
  if (problems.length > 0) {
    return { kind: 'failed', file: c.file, why: problems.join('; ') };
  }
  if (reasons.length > 0) {
    return { kind: 'excluded', file: c.file, why: reasons.join('; ') };
  }
  return { kind: 'passed', file: c.file, notes };
}

describe('EU dgc-testdata through verifyDcc', () => {
  it('has the whole vendored subset (125 JSON files of common, AT, DE, FR, PL)', () => {
    expect(listJsonFiles(vendoredPath('dcc'))).toHaveLength(125);
  });

  it('passes every case except those shown to be wrong in the data', () => {
    const root = dccTestDataRoot();
    const outcomes: Outcome[] = [];
    for (const path of listJsonFiles(root)) {
      const loaded = loadCase(root, path);
      outcomes.push(
        loaded.kind === 'case'
          ? runCase(loaded.value)
          : { kind: 'not-applicable', file: loaded.file, why: loaded.why },
      );
    }
    const by = (k: Outcome['kind']) => outcomes.filter((o) => o.kind === k);
    const lines = [
      `DCC test data (${root}): passed ${by('passed').length} | failed ${by('failed').length} | ` +
        `excluded ${by('excluded').length} | not applicable ${by('not-applicable').length}`,
      ...outcomes.flatMap((o) =>
        o.kind === 'passed' ? o.notes.map((n) => `  passed, data note ${o.file}: ${n}`) : [],
      ),
      ...by('excluded').map((o) => `  excluded ${o.file}: ${'why' in o ? o.why : ''}`),
      ...by('failed').map((o) => `  FAILED   ${o.file}: ${'why' in o ? o.why : ''}`),
      ...by('not-applicable').map((o) => `  n/a      ${o.file}: ${'why' in o ? o.why : ''}`),
    ];
    console.log(lines.join('\n'));
    expect(by('failed')).toEqual([]);
    expect(by('passed').length).toBeGreaterThan(0);
  });
});
