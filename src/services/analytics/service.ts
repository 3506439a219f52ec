// SPDX-License-Identifier: Apache-2.0
/**
 * @module Running an analytics query as a private release: compile the query against its public
 * domain, size the Skellam noise from the requested ρ and the contribution bound, reserve the cost
 * in the budget ledger (refused before any work), run the job across the parties, suppress cells
 * below k, run the linkage test at every holder, and store the release with its ε/ρ, k, noise and
 * suppressed count (DOMAIN.md §6 req. 23–24).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import {
  DEFAULT_CHUNK_CELLS,
  DEFAULT_K,
  JobSession,
  calibrateSkellam,
  chargedRho,
  combineLinkage,
  countingSensitivity,
  epsilonAt,
  rational,
  skellamCost,
  suppressSmallCells,
  type CoordinatorOptions,
  type Rational,
  type JobSpec,
  type LinkageResult,
  type ReleasedValue,
  privacyErrors,
} from '../../foundation/privacy/index.js';
import { PrivacyLedger } from './ledger.js';
import { QueryError } from './errors.js';
import { hexHeatmap, matrixHeatmap } from './heatmap.js';
import { compileQuery, type AnalyticsQuery, type CompiledQuery } from './model.js';

export interface AnalyticsRequest {
  readonly query: AnalyticsQuery;
  /** The dataset the budget is kept for, e.g. `carriers:320200`. */
  readonly dataset: string;
  readonly analyst: string;
  /** The zCDP ρ this release may cost (charged as ρ + ξ). */
  readonly rho: number;
  readonly k?: number;
  /**
   * De-duplicate persons across holders by ECDH-PSI before sharing (default: on when there is
   * more than one input party), so a person counts at most c times per query across holders.
   */
  readonly dedup?: boolean;
  /**
   * Without `dedup` only: holders one person may appear at without being told apart (SIMs at
   * several carriers); the sensitivity is multiplied by it. Default 2.
   */
  readonly holdersPerPerson?: number;
  readonly delta?: number;
  readonly deadlineMs?: number;
  readonly chunkCells?: number;
}

export interface AnalyticsDeps {
  readonly store: Store;
  readonly coordinator: CoordinatorOptions;
  readonly log?: (msg: string) => void;
  /** Test seam: run without noise and without a budget charge (parties must allow it too). */
  readonly noiseOffForTests?: boolean;
}

/** A release as printed (`--json`) and stored. */
export interface AnalyticsRelease {
  readonly releaseId: string;
  readonly jobId: string;
  readonly dataset: string;
  readonly analyst: string;
  readonly query: AnalyticsQuery;
  readonly rho: number;
  readonly xi: number;
  readonly chargedRho: number;
  readonly epsilon: number;
  readonly delta: number;
  readonly k: number;
  readonly suppressed: number;
  readonly released: number;
  readonly noise: Record<string, string | number>;
  readonly contributionBound: number;
  readonly holdersPerPerson: number;
  /** How persons at several holders were bounded: `ecdh-psi` (de-duplicated) or `multiplied`. */
  readonly crossHolder: 'ecdh-psi' | 'multiplied';
  readonly linkage: LinkageResult;
  readonly remainingRho: number;
  readonly cells: Array<Record<string, string | number>>;
}

/** The release plus what the CLI needs for CSV and heat maps. */
export interface AnalyticsOutcome {
  readonly release: AnalyticsRelease;
  readonly values: readonly ReleasedValue[];
  readonly compiled: CompiledQuery;
}

/** The job the coordinator sends the parties: cells, parties, noise share and de-duplication. */
function jobSpec(p: {
  jobId: string;
  compiled: CompiledQuery;
  inputParties: readonly CoordinatorOptions['parties'][number][];
  compute: JobSpec['compute'];
  dedup: boolean;
  perParty: Rational;
  noiseOff: boolean;
  chunkCells: number;
  deadline: Date;
}): JobSpec {
  return {
    id: p.jobId,
    query: p.compiled.query,
    cells: p.compiled.cells,
    inputs: p.inputParties.map((x) => x.name),
    compute: p.compute,
    chunkCells: p.chunkCells,
    deadline: p.deadline.toISOString(),
    noise: p.noiseOff
      ? { kind: 'none' }
      : { kind: 'skellam', lambdaPerParty: `${p.perParty.num}/${p.perParty.den}` },
    contributionBound: p.compiled.bound,
    ...(p.dedup
      ? {
          dedup: {
            holders: p.inputParties.map((x) => ({
              name: x.name,
              host: x.host ?? '',
              port: x.port ?? 0,
            })),
          },
        }
      : {}),
  };
}

/** Runs one query end to end. */
export async function runAnalytics(
  deps: AnalyticsDeps,
  req: AnalyticsRequest,
): Promise<AnalyticsOutcome> {
  const log = deps.log ?? (() => undefined);
  const compiled = compileQuery(req.query);
  const k = req.k ?? DEFAULT_K;
  const delta = req.delta ?? 1e-6;
  if (!(req.rho > 0 && Number.isFinite(req.rho))) {
    throw new QueryError('rho must be a positive number');
  }
  const inputParties = deps.coordinator.parties.filter((p) => p.role === 'input');
  const inputs = inputParties.map((p) => p.name);
  const compute = deps.coordinator.parties
    .filter((p) => p.role === 'compute')
    .map((p) => ({ name: p.name, host: p.host ?? '', port: p.port ?? 0 }));
  if (inputs.length === 0 || compute.length < 2) {
    throw new QueryError('a release needs at least one input party and two compute parties');
  }
  const dedup = (req.dedup ?? true) && inputs.length > 1;
  // De-duplicated, a person is counted by one holder only: the sensitivity is that of one holder.
  const holders = dedup ? 1 : (req.holdersPerPerson ?? 2);
  const sensitivity = countingSensitivity(compiled.bound, holders);
  const lambda = calibrateSkellam(req.rho, sensitivity);
  const lambdaTotal = Number(lambda.num) / Number(lambda.den);
  const perParty = rational(lambda.num, lambda.den * BigInt(compute.length));
  const cost = deps.noiseOffForTests ? { rho: 0, xi: 0 } : skellamCost(lambdaTotal, sensitivity);
  const jobId = randomUUID();
  const ledger = new PrivacyLedger(deps.store);
  // The budget check comes first: an over-budget query never reaches a party.
  const reservation = deps.noiseOffForTests
    ? undefined
    : await ledger.reserve(req.dataset, req.analyst, jobId, cost);
  const spec = jobSpec({
    jobId,
    compiled,
    inputParties,
    compute,
    dedup,
    perParty,
    noiseOff: deps.noiseOffForTests === true,
    chunkCells: req.chunkCells ?? DEFAULT_CHUNK_CELLS,
    deadline: new Date(deps.store.clock.now().getTime() + (req.deadlineMs ?? 120_000)),
  });
  log(
    `job ${jobId}: ${compiled.query.kind} over ${compiled.cells} cells, ${inputs.length} input and ${compute.length} compute parties`,
  );
  let session: JobSession | undefined;
  let sums: BigInt64Array;
  try {
    session = await JobSession.open(deps.coordinator, spec);
    sums = await session.aggregate();
  } catch (err) {
    // Nothing was revealed, so nothing was spent.
    if (reservation) {
      await ledger.refund(reservation.chargeId);
    }
    throw err;
  }
  if (reservation) {
    await ledger.spend(reservation.chargeId);
  }
  const variance = deps.noiseOffForTests ? 0 : 2 * lambdaTotal;
  const { values, suppressed } = suppressSmallCells(sums, k);
  sums.fill(0n);
  // The linkage test always uses the policy's minimum group size (req. 23: k = 5), even when a
  // release is configured with a smaller k, so a weaker setting cannot pass it unnoticed.
  const linkage = combineLinkage(
    await session.checkLinkage(values, variance, Math.max(k, DEFAULT_K)),
  );
  await session.finish();
  const noise: Record<string, string | number> = deps.noiseOffForTests
    ? { mechanism: 'none (test seam)' }
    : {
        mechanism: 'skellam (distributed)',
        lambdaTotal: `${lambda.num}/${lambda.den}`,
        lambdaPerParty: `${perParty.num}/${perParty.den}`,
        variance,
        computeParties: compute.length,
      };
  const mechanism = {
    ...noise,
    rho: cost.rho,
    xi: cost.xi,
    chargedRho: chargedRho(cost),
    epsilon: deps.noiseOffForTests ? null : epsilonAt(cost, delta),
    delta,
    contributionBound: compiled.bound,
    holdersPerPerson: holders,
    crossHolder: dedup ? 'ecdh-psi' : 'multiplied',
    sensitivity: { l1: sensitivity.l1, l2sq: sensitivity.l2sq },
    withheld: !linkage.pass,
  };
  const stored = await ledger.storeRelease({
    jobId,
    dataset: req.dataset,
    analyst: req.analyst,
    query: compiled.query,
    mechanism,
    k,
    suppressed,
    linkage,
    values: linkage.pass ? values : [],
  });
  if (!linkage.pass) {
    throw new privacyErrors.ReidentificationRiskError(
      `the linkage test singled out ${linkage.singledOut} record(s); release ${stored.id} withheld`,
      { details: { releaseId: stored.id, singledOut: linkage.singledOut } },
    );
  }
  const cells: Array<Record<string, string | number>> = [];
  values.forEach((v, i) => {
    if (v !== null) {
      cells.push({ ...compiled.keyOf(i), value: v });
    }
  });
  const remaining = deps.noiseOffForTests
    ? { remaining: Number.NaN }
    : await ledger.remaining(req.dataset, req.analyst);
  return {
    release: {
      releaseId: stored.id,
      jobId,
      dataset: req.dataset,
      analyst: req.analyst,
      query: compiled.query,
      rho: cost.rho,
      xi: cost.xi,
      chargedRho: chargedRho(cost),
      epsilon: deps.noiseOffForTests ? Number.POSITIVE_INFINITY : epsilonAt(cost, delta),
      delta,
      k,
      suppressed,
      released: cells.length,
      noise,
      contributionBound: compiled.bound,
      holdersPerPerson: holders,
      crossHolder: dedup ? 'ecdh-psi' : 'multiplied',
      linkage,
      remainingRho: remaining.remaining,
      cells,
    },
    values,
    compiled,
  };
}

/** The release's cells as CSV (header from the query's keys, then `value`). */
export function releaseCsv(release: AnalyticsRelease): string {
  const first = release.cells[0];
  const cols = first === undefined ? ['value'] : Object.keys(first);
  const lines = [cols.join(',')];
  for (const c of release.cells) {
    lines.push(cols.map((k) => String(c[k] ?? '')).join(','));
  }
  return lines.join('\n') + '\n';
}

/** A heat map of the release (hexagons on a map, or a matrix for OD / job-residence). */
export function releaseHeatmap(outcome: AnalyticsOutcome): string {
  const { compiled, values, release } = outcome;
  const title = `${release.query.kind} — ε ${Number.isFinite(release.epsilon) ? release.epsilon.toFixed(2) : '∞'} (δ ${release.delta}), ρ ${release.chargedRho.toFixed(3)}, k ${release.k}, ${release.suppressed} suppressed — synthetic`;
  if (release.query.kind === 'od' && compiled.matrix) {
    return matrixHeatmap(title, compiled.matrix.rows, compiled.matrix.cols, values);
  }
  // Map-shaped: sum released values per map cell (post-processing of the DP output).
  const perCell = new Map<string, ReleasedValue>();
  values.forEach((v, i) => {
    const cell = compiled.mapCellOf(i);
    if (cell === undefined) {
      return;
    }
    const prev = perCell.get(cell);
    if (v === null) {
      if (prev === undefined) {
        perCell.set(cell, null);
      }
    } else {
      perCell.set(cell, (prev ?? 0) + v);
    }
  });
  return hexHeatmap(title, perCell);
}
