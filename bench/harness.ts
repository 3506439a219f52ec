// SPDX-License-Identifier: Apache-2.0
/**
 * @module The benchmark harness. Each `bench/<name>.bench.ts` default-exports a function that
 * measures healthcode against a baseline measured in the same run (the machines are shared and
 * noisy, so only ratios are compared with targets) and returns a {@link BenchResult}.
 */
import { performance } from 'node:perf_hooks';

export interface BenchContext {
  /** Residents in the bench city (default 100,000; `--scale 1e6` for the big run). */
  readonly scale: number;
  /** Also run slow peers (e.g. JIFF at 10^5). */
  readonly peers: boolean;
  /** Run the long crash loops. */
  readonly crash: boolean;
  /** A fresh temp dir for this bench, removed afterwards. */
  readonly tmpDir: string;
  /** Progress lines on stderr. */
  log(msg: string): void;
}

export interface BenchRatio {
  readonly name: string;
  readonly value: number;
  /** Human-readable target, e.g. `>= 0.5`. */
  readonly target: string;
  readonly pass: boolean;
}

export interface BenchResult {
  readonly name: string;
  readonly metrics: Record<string, number | string>;
  readonly ratios: BenchRatio[];
}

export type Bench = (ctx: BenchContext) => Promise<BenchResult>;

/** A ratio with a lower bound (`value >= min`). */
export function atLeast(name: string, value: number, min: number): BenchRatio {
  return { name, value: round(value), target: `>= ${min}`, pass: value >= min };
}

/** A ratio with an upper bound (`value <= max`). */
export function atMost(name: string, value: number, max: number): BenchRatio {
  return { name, value: round(value), target: `<= ${max}`, pass: value <= max };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface Measurement {
  readonly opsPerSec: number;
  readonly ms: number;
  readonly iterations: number;
}

/**
 * Runs `fn` repeatedly for at least `minMs` (after a short warm-up) and reports its rate. `fn`
 * returns how many operations it performed (default 1).
 */
export async function measure(
  fn: () => number | void | Promise<number | void>,
  options: { minMs?: number; warmupMs?: number } = {},
): Promise<Measurement> {
  const minMs = options.minMs ?? 1000;
  const warmupMs = options.warmupMs ?? Math.min(200, minMs / 5);
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    await fn();
  }
  let ops = 0;
  let iterations = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    const n = await fn();
    ops += typeof n === 'number' ? n : 1;
    iterations++;
    now = performance.now();
  }
  const ms = now - start;
  return { opsPerSec: (ops * 1000) / ms, ms, iterations };
}

/** Times one run of `fn` in milliseconds. */
export async function timeOnce<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Median of several timed runs (ms). */
export async function medianMs(fn: () => unknown, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push((await timeOnce(fn)).ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Resident set size of this process, in MB. */
export function rssMb(): number {
  return round(process.memoryUsage().rss / 1024 / 1024, 1);
}
