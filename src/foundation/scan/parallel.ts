// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan on all cores: files, and large files cut into byte ranges, are
 * scanned by a pool of worker threads (worker.ts), each with its own scanner and kernel.
 *
 * Range borders lose nothing and report nothing twice: a range `[from, to)` owns exactly the
 * occurrences that START in it, and its worker reads up to the longest needle minus one byte
 * beyond `to`, so an occurrence starting at s < to (ending at most at s + maxLength ≤ to +
 * maxLength − 1) is seen whole by the one range that owns s. The results are merged per file in
 * range order, so hits come in the same order as a single-threaded scan's, and the per-file cap
 * applies to the merged list (each range keeps at most the cap, which is enough for the merge).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { kernelModule, kernelWat } from './kernel.js';
import type { Canary } from './needles.js';
import type { ScanHit } from './hit.js';

/** One unit of work: the occurrences starting in `[from, to)` of one file. */
export interface RangeTask {
  readonly id: number;
  readonly path: string;
  readonly from: number;
  /** Infinity for the last range of a file: to its end, even if it grew since it was listed. */
  readonly to: number;
  readonly maxHits: number;
  readonly chunkSize?: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; bytes: number }
  | { type: 'done'; task: number; hits: ScanHit[]; bytes: number; truncatedHits: number }
  | { type: 'error'; task: number; error: string };

export type RangeResult =
  | { ok: true; hits: ScanHit[]; bytes: number; truncatedHits: number }
  | { ok: false; error: string };

/** Ranges are at least this long: smaller ones cost more in messages than they balance. */
export const MIN_RANGE_BYTES = 16 << 20;

/**
 * Cuts the files into tasks: each file whole, or in ranges of about `total / (4 · threads)` bytes
 * (at least MIN_RANGE_BYTES) so the threads finish close together.
 */
export function planRanges(
  files: ReadonlyArray<{ path: string; size: number }>,
  threads: number,
  maxHits: number,
  options: { chunkSize?: number; rangeBytes?: number } = {},
): RangeTask[][] {
  const total = files.reduce((s, f) => s + f.size, 0);
  const target = options.rangeBytes ?? Math.max(MIN_RANGE_BYTES, Math.ceil(total / (4 * threads)));
  if (!(target >= 1)) {
    throw new RangeError('"rangeBytes" expected a positive number');
  }
  const chunkSize = options.chunkSize;
  let id = 0;
  return files.map(({ path, size }) => {
    const parts = Math.max(1, Math.ceil(size / target));
    const cuts = Array.from({ length: parts + 1 }, (_, k) =>
      k === parts ? Infinity : Math.floor((size * k) / parts),
    );
    return Array.from({ length: parts }, (_, k) => ({
      id: id++,
      path,
      from: cuts[k],
      to: cuts[k + 1],
      maxHits,
      ...(chunkSize === undefined ? {} : { chunkSize }),
    }));
  });
}

/** The compiled worker script, or undefined when there is none (source run without a build). */
export function workerScript(): URL | undefined {
  const own = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(own))) {
    return own;
  }
  // Under vitest this module runs from src/ (TypeScript); the worker needs the compiled file.
  const built = resolve(
    dirname(fileURLToPath(import.meta.url)),
    '../../../dist/src/foundation/scan/worker.js',
  );
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

/** Worker threads that each hold a scanner for one canary set. */
export class ScanPool {
  readonly size: number;
  readonly #workers: Worker[];
  #failure: Error | undefined;
  #closing = false;
  #onReply: ((w: number, m: WorkerReply) => void) | undefined;
  /** Scans queue behind each other: a pool runs one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    this.size = workers.length;
    workers.forEach((w, i) => {
      w.on('message', (m: WorkerReply) => this.#onReply?.(i, m));
      w.on('error', (err) => {
        this.#failure = err;
        this.#onReply?.(i, { type: 'error', task: -1, error: 'worker failed' });
      });
      w.on('exit', () => {
        if (!this.#closing) {
          this.#failure ??= new Error('scan worker exited');
          this.#onReply?.(i, { type: 'error', task: -1, error: 'worker exited' });
        }
      });
      w.unref();
    });
  }

  static async start(canaries: readonly Canary[], threads: number): Promise<ScanPool> {
    const script = workerScript();
    if (script === undefined) {
      throw new TypeError('the scan worker script is missing (run the build)');
    }
    // The workers build their index while this thread compiles the kernel they will share.
    const workers = Array.from(
      { length: threads },
      () => new Worker(script, { workerData: { canaries } }),
    );
    const ready = workers.map(
      (w) =>
        new Promise<void>((resolveReady, reject) => {
          const onMessage = (m: WorkerReply) => {
            if (m.type === 'ready') {
              w.off('message', onMessage);
              w.off('error', reject);
              resolveReady();
            }
          };
          w.on('message', onMessage);
          w.once('error', reject);
          w.once('exit', () => reject(new Error('scan worker exited')));
        }),
    );
    const allReady = Promise.all(ready);
    allReady.catch(() => undefined); // awaited below; a failure before that must not go unhandled
    const pool = new ScanPool(workers);
    // Referenced until ready: an unreferenced worker would let the process exit meanwhile.
    for (const w of workers) {
      w.ref();
    }
    try {
      const kernel = await kernelModule();
      const wat = kernelWat();
      for (const w of workers) {
        w.postMessage({ kernel, wat });
      }
      await allReady;
      for (const w of workers) {
        w.unref();
      }
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Runs the tasks on the workers, one at a time each; results in task order. */
  run(tasks: readonly RangeTask[], onBytes?: (bytes: number) => void): Promise<RangeResult[]> {
    const mine = this.#queue.then(() => this.#run(tasks, onBytes));
    this.#queue = mine.catch(() => undefined);
    return mine;
  }

  /** Whether a worker failed: the pool is then of no further use. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  #run(tasks: readonly RangeTask[], onBytes?: (bytes: number) => void): Promise<RangeResult[]> {
    const results: RangeResult[] = new Array<RangeResult>(tasks.length);
    const indexOf = new Map(tasks.map((t, i) => [t.id, i]));
    let next = 0;
    let pending = 0;
    return new Promise<RangeResult[]>((resolvePromise, reject) => {
      const finish = (err?: Error) => {
        this.#onReply = undefined;
        for (const w of this.#workers) {
          w.unref();
        }
        if (err !== undefined) {
          reject(err);
        } else {
          resolvePromise(results);
        }
      };
      const feed = (w: number) => {
        if (next < tasks.length) {
          this.#workers[w].postMessage(tasks[next++]);
          pending++;
        }
      };
      this.#onReply = (w, m) => {
        if (m.type === 'ready') {
          return;
        }
        if (m.type === 'progress') {
          onBytes?.(m.bytes);
          return;
        }
        if (m.task < 0) {
          finish(this.#failure ?? new Error('scan worker failed'));
          return;
        }
        results[indexOf.get(m.task) ?? -1] =
          m.type === 'done'
            ? { ok: true, hits: m.hits, bytes: m.bytes, truncatedHits: m.truncatedHits }
            : { ok: false, error: m.error };
        pending--;
        feed(w);
        if (pending === 0) {
          finish();
        }
      };
      if (this.#failure !== undefined) {
        finish(this.#failure);
        return;
      }
      // Referenced while working, so the process waits for the results.
      for (const w of this.#workers) {
        w.ref();
      }
      for (let w = 0; w < this.#workers.length; w++) {
        feed(w);
      }
      if (pending === 0) {
        finish();
      }
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
