// SPDX-License-Identifier: Apache-2.0
/**
 * @module Benchmark of GB 11643-1999 ID validation (issue 2, "Figures to reach"): the rate of
 * full validation (`parseIdNumber`: length, characters, MOD 11-2, real birth date not in the
 * future, province, county look-up, derived fields) against a bare MOD 11-2 check-digit loop
 * over the same IDs, in the same run. Target: ≥ 50 % of the bare loop's rate.
 */
import type { BenchContext, BenchResult } from './harness.js';
import { atLeast, measure, round } from './harness.js';
import {
  checkIdNumber,
  computeIdCheckChar,
  countiesOf,
  parseIdNumber,
  prefectures,
} from '../src/kernel/domain/index.js';

const NOW = new Date('2026-03-01T04:00:00Z');
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MAP = '10X98765432';

/** A deterministic pool of valid IDs over real counties, birth dates 1930–2020. */
function makeIds(n: number): string[] {
  const counties = prefectures()
    .slice(0, 60)
    .flatMap((p) => countiesOf(p.code).map((c) => c.code));
  let x = 0x2545f491;
  const next = () => (x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + 0x6b43a9b5) >>> 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const county = counties[next() % counties.length];
    const day = new Date(Date.UTC(1930, 0, 1) + (next() % (90 * 365)) * 86_400_000);
    const body =
      county +
      day.toISOString().slice(0, 10).replaceAll('-', '') +
      String(next() % 1000).padStart(3, '0');
    out.push(body + computeIdCheckChar(body));
  }
  return out;
}

/** The bare loop: MOD 11-2 over the 17 digits and a comparison with the 18th character. */
function bareCheck(ids: readonly string[]): number {
  let ok = 0;
  for (const id of ids) {
    let s = 0;
    for (let i = 0; i < 17; i++) {
      s += (id.charCodeAt(i) - 48) * WEIGHTS[i];
    }
    if (MAP[s % 11] === id[17]) {
      ok++;
    }
  }
  return ok;
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  const n = Math.max(10_000, Math.min(ctx.scale, 200_000));
  const ids = makeIds(n);
  ctx.log(`${n} IDs`);
  let sink = 0;
  const runBare = () => {
    sink += bareCheck(ids);
    return ids.length;
  };
  const runFull = () => {
    for (const id of ids) {
      sink += parseIdNumber(id, NOW).sex === '1' ? 1 : 0;
    }
    return ids.length;
  };
  // The machine is shared: alternate short rounds of both and keep the median ratio, so a burst
  // of someone else's load hits both sides alike.
  const ratios: number[] = [];
  const bareRates: number[] = [];
  const fullRates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const b = await measure(runBare, { minMs: 300 });
    const f = await measure(runFull, { minMs: 300 });
    bareRates.push(b.opsPerSec);
    fullRates.push(f.opsPerSec);
    ratios.push(f.opsPerSec / b.opsPerSec);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const check = await measure(() => {
    for (const id of ids) {
      sink += checkIdNumber(id, NOW).valid ? 1 : 0;
    }
    return ids.length;
  });
  ctx.log(`sink ${sink}`);
  return {
    name: 'id',
    metrics: {
      ids: n,
      bareChecksPerSec: round(median(bareRates), 0),
      parseIdNumberPerSec: round(median(fullRates), 0),
      checkIdNumberPerSec: round(check.opsPerSec, 0),
    },
    ratios: [
      atLeast('parseIdNumber / bare check-digit loop (median of 7 rounds)', median(ratios), 0.5),
    ],
  };
}
