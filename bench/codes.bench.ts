// SPDX-License-Identifier: Apache-2.0
/**
 * @module Health-code token figures (issue 5): verifying our tokens end to end (text → verdict)
 * against bare node:crypto verification of the same signed bytes (target ≥ 0.70), and issuing
 * (pure evaluator over loaded inputs + sign + encode) against bare signing of the same bytes
 * (target ≥ 0.50). Both baselines are measured in the same run; Ed25519, the default algorithm.
 */
import { sign, verify } from 'node:crypto';
import { FixedClock, PooledRandom } from '../src/shared/index.js';
import {
  MemoryIssuer,
  builtInRuleSet,
  evaluateColour,
  issueTokenFor,
  qrVersion,
  ruleSetLabel,
  verifyToken,
  decodeBase45,
  type ColourInputs,
} from '../src/codes/index.js';
import { parseSign1, sigStructure } from '../src/codes/cose.js';
import { TOKEN_SIGN1_POLICY } from '../src/codes/token.js';
import { performance } from 'node:perf_hooks';
import { atLeast, round, type BenchContext, type BenchResult } from './harness.js';

/**
 * Rates of several functions measured in alternating slices, so that load from other processes
 * on this shared machine falls on all of them alike (a ratio of two back-to-back runs is not).
 */
function interleaved(fns: readonly (() => void)[], rounds = 12, sliceMs = 120): number[] {
  const ops = fns.map(() => 0);
  const ms = fns.map(() => 0);
  for (const fn of fns) {
    for (let i = 0; i < 200; i++) {
      fn();
    }
  }
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, i) => {
      const start = performance.now();
      let now = start;
      let n = 0;
      while (now - start < sliceMs) {
        for (let k = 0; k < 20; k++) {
          fn();
        }
        n += 20;
        now = performance.now();
      }
      ops[i] += n;
      ms[i] += now - start;
    });
  }
  return ops.map((n, i) => (n * 1000) / ms[i]);
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const clock = new FixedClock('2026-12-01T08:00:00+08:00');
  const random = new PooledRandom();
  const issuer = new MemoryIssuer({ issuer: 'healthcode.local/instance', clock, random });
  const ruleSet = builtInRuleSet();
  const label = ruleSetLabel(ruleSet);
  const inputs: ColourInputs = {
    tests: [
      {
        kind: 'nucleic-acid',
        result: 'negative',
        sampledAt: '2026-11-30T08:00:00+08:00',
        resultAt: '2026-11-30T18:00:00+08:00',
      },
    ],
    declarations: [{ at: '2026-12-01T07:30:00+08:00', temperatureC: 36.6, symptoms: [] }],
    itinerary: [
      { region: '310104', from: '2026-11-28T08:00:00+08:00', to: '2026-11-29T08:00:00+08:00' },
    ],
    riskAreas: [{ region: '440300', level: 'high', from: '2026-11-20T00:00:00+08:00', to: null }],
    orders: [],
  };
  const validUntil = new Date('2026-12-02T00:00:00+08:00');
  const token = issuer.issue({ colour: 'green', validUntil, maskedName: '张*', ruleSet: label });
  const bundle = issuer.trustBundle();
  const at = new Date('2026-12-01T08:05:00+08:00');
  if (verifyToken(token.text, { ...bundle, at }).reason !== 'ok') {
    throw new Error('bench token does not verify');
  }

  // The signed bytes and signature of that very token, for the baselines.
  const parsed = parseSign1(decodeBase45(token.text.slice(5)), TOKEN_SIGN1_POLICY);
  if (!parsed.ok) {
    throw new Error('bench token does not parse');
  }
  const toBeSigned = sigStructure(parsed.value.protectedBytes, parsed.value.payload);
  const signature = parsed.value.signature;
  const key = [...bundle.trustList.keys.values()][0].publicKey;
  const signer = issuer.signer;

  const verifyOurs = () => {
    verifyToken(token.text, { ...bundle, at });
  };
  const verifyBare = () => {
    verify(null, toBeSigned, key, signature);
  };
  const signBare = () => {
    sign(null, toBeSigned, signer.privateKey);
  };
  const issueOurs = () => {
    const d = evaluateColour(ruleSet, inputs, at, 'Asia/Shanghai');
    issueTokenFor(signer, {
      colour: d.colour,
      validUntil: new Date(d.validUntil),
      maskedName: '张*',
      ruleSet: label,
      now: at,
      random,
    });
  };
  ctx.log('verify: bare node:crypto Ed25519 vs verifyToken, interleaved');
  const [bareVerify, ours] = interleaved([verifyBare, verifyOurs]);
  ctx.log('issue: bare node:crypto Ed25519 sign vs evaluate + sign + encode, interleaved');
  const [bareSign, issuing] = interleaved([signBare, issueOurs]);
  const q = await qrVersion(token.text, 'Q');
  const m = await qrVersion(token.text, 'M');
  return {
    name: 'codes',
    metrics: {
      'token characters': token.text.length,
      'QR version at Q (M)': `${q.version} (${m.version})`,
      'bare verify ops/s': round(bareVerify, 0),
      'verifyToken ops/s': round(ours, 0),
      'bare sign ops/s': round(bareSign, 0),
      'issue ops/s': round(issuing, 0),
    },
    ratios: [
      atLeast('verify end to end / bare verify', ours / bareVerify, 0.7),
      atLeast('issue (evaluate+sign+encode) / bare sign', issuing / bareSign, 0.5),
    ],
  };
}
