// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan (issue 3 item 10, issue 7; DOMAIN.md §6 req. 17): reads every file
 * under the given paths once, in 4 MiB chunks with an overlap of the longest needle, and reports
 * where any canary value appears in any of its encodings. Hits name the file, byte offset,
 * encoding and the canary's line number, never the value. Used by `healthcode scan` and by
 * disposal verification. Large scans (PARALLEL_MIN_BYTES or more) run on worker threads, one per
 * core (parallel.ts), with the same result as a scan in the calling thread; the matching itself
 * is engine.ts.
 */
import { open, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ScanPathError } from './errors.js';
import { ScanEngine } from './engine.js';
import { ScanPool, planRanges, workerScript } from './parallel.js';
import { buildNeedles, toCanaries, type Canary, type Needle } from './needles.js';
import type { ScanHit } from './hit.js';

export type { ScanHit } from './hit.js';

export interface ScanOptions {
  /** Chunk size in bytes (default 4 MiB). */
  readonly chunkSize?: number;
  /** Hits kept per file; further hits are counted in `truncatedHits` (default 1,000). */
  readonly maxHitsPerFile?: number;
  /** Files never scanned (e.g. the canary file itself); compared by real path. */
  readonly exclude?: readonly string[];
  /** Called after each chunk with the bytes done so far and the total to do. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads (default: all cores when there are PARALLEL_MIN_BYTES or more to scan, or
   * POOL_MIN_BYTES or more and the scanner's worker threads are already running; else
   * 1 = in this thread). The result is the same either way.
   */
  readonly threads?: number;
  /** Parallel scans cut files into ranges of about this many bytes (default: automatic). */
  readonly rangeBytes?: number;
}

/** Below this many bytes a scan runs its filter in JavaScript: compiling the kernel costs more. */
export const KERNEL_MIN_BYTES = 8 << 20;

/**
 * Below this many bytes a scan with no running workers stays in the calling thread: starting a
 * worker and building its index took 300–600 ms on the 2-core bench machine, the time one thread
 * scans 1–1.5 GB, so a fresh pool halves the scan time only beyond that.
 */
export const PARALLEL_MIN_BYTES = 1 << 30;

/**
 * Below this many bytes a scan stays in the calling thread even when the scanner's workers are
 * running: handing out ranges and merging their results cost ~25 ms a scan on the bench machine
 * (11 MB of city files: 30 ms on two workers, 5 ms in one thread), which two threads earn back
 * only on scans of a hundred-odd MB.
 */
export const POOL_MIN_BYTES = 128 << 20;

export interface ScanResult {
  /** Files scanned. */
  readonly files: number;
  /** Bytes scanned. */
  readonly bytes: number;
  readonly hits: ScanHit[];
  /** Hits beyond `maxHitsPerFile`, counted but not listed. */
  readonly truncatedHits: number;
  /** Files that could not be read (the scan is then incomplete). */
  readonly unreadable: Array<{ file: string; error: string }>;
}

/** Options of one file's scan. */
export interface ScanFileOptions {
  /** Bytes read at a time (default 4 MiB). */
  readonly chunkSize?: number;
  /** Hits listed; further hits are counted in `truncatedHits` (default 1,000). */
  readonly maxHits?: number;
  /** false: the filter in JavaScript, without compiling the WebAssembly kernel (default true). */
  readonly kernel?: boolean;
  readonly onChunk?: (bytes: number) => void;
}

/** A compiled canary set, reusable across many scans. */
export class CanaryScanner {
  /** The canaries it was built from (a worker thread rebuilds the same scanner from them). */
  readonly canaries: readonly Canary[];
  readonly #needles: Needle[];
  #engineBuilt: ScanEngine | undefined;
  #pool: Promise<ScanPool> | undefined;
  #poolSize = 0;

  constructor(canaries: ReadonlyArray<string | Canary>) {
    this.canaries = toCanaries(canaries);
    this.#needles = buildNeedles(this.canaries);
  }

  /** Built at first use: a parallel scan needs it only in the worker threads. */
  get #engine(): ScanEngine {
    this.#engineBuilt ??= new ScanEngine(this.#needles.map((n) => n.bytes));
    return this.#engineBuilt;
  }

  /** Builds the matcher's index now rather than at the first scan. */
  prepare(): void {
    void this.#engine;
  }

  /**
   * Worker threads holding this canary set, started at the first parallel scan and kept (idle
   * threads do not keep the process alive) until {@link close}.
   */
  async pool(threads: number): Promise<ScanPool> {
    const current = this.#pool;
    if (current !== undefined) {
      const pool = await current;
      if (pool.size === threads && !pool.failed) {
        return pool;
      }
      await pool.close();
    }
    this.#poolSize = 0;
    const next = ScanPool.start(this.canaries, threads);
    this.#pool = next;
    next.then(
      (pool) => {
        if (this.#pool === next) {
          this.#poolSize = pool.size;
        }
      },
      () => {
        if (this.#pool === next) {
          this.#pool = undefined;
        }
      },
    );
    return next;
  }

  /** Worker threads running for this scanner (0 when none were started or they were closed). */
  get workers(): number {
    return this.#poolSize;
  }

  /** Stops the worker threads, if any. */
  async close(): Promise<void> {
    const current = this.#pool;
    this.#pool = undefined;
    this.#poolSize = 0;
    await (await current)?.close();
  }

  /** Number of distinct byte strings searched for. */
  get needleCount(): number {
    return this.#needles.length;
  }

  /** Longest needle: the overlap a range scan reads beyond its end. */
  get maxNeedleLength(): number {
    return Math.max(...this.#needles.map((n) => n.bytes.length));
  }

  /** Scans one in-memory buffer (synchronously, in JavaScript); offsets are relative to it. */
  scanBuffer(data: Uint8Array, file = '(buffer)'): ScanHit[] {
    const hits: ScanHit[] = [];
    this.#engine.scan(data, data.length, 0, (id, start) => {
      this.#emit(hits, file, id, start, Infinity, { n: 0 });
    });
    return hits;
  }

  #emit(
    hits: ScanHit[],
    file: string,
    id: number,
    offset: number,
    cap: number,
    count: { n: number },
  ): number {
    let dropped = 0;
    for (const label of this.#needles[id].labels) {
      if (count.n >= cap) {
        dropped++;
        continue;
      }
      count.n++;
      hits.push({
        file,
        encoding: label.encoding,
        ...(label.alignment === undefined ? {} : { alignment: label.alignment }),
        offset,
        canaryLine: label.line,
      });
    }
    return dropped;
  }

  /** Streams one file through the matcher in a single pass. */
  async scanFile(
    file: string,
    options: ScanFileOptions = {},
  ): Promise<{ hits: ScanHit[]; bytes: number; truncatedHits: number }> {
    return this.scanRange(file, 0, Infinity, options);
  }

  /**
   * Scans the occurrences that START in the byte range `[from, to)` of a file (reading up to the
   * longest needle beyond `to`), so consecutive ranges together report each occurrence once.
   * `bytes` counts the bytes of the range read; `maxHits` caps the hits listed for the range.
   */
  async scanRange(
    file: string,
    from: number,
    to: number,
    options: ScanFileOptions = {},
  ): Promise<{ hits: ScanHit[]; bytes: number; truncatedHits: number }> {
    const hits: ScanHit[] = [];
    const count = { n: 0 };
    const cap = options.maxHits ?? 1000;
    let truncated = 0;
    const handle = await open(file, 'r');
    try {
      const bytes = await this.#engine.scanHandle(
        handle,
        from,
        to,
        options,
        (id, offset) => {
          truncated += this.#emit(hits, file, id, offset, cap, count);
        },
        options.onChunk,
      );
      return { hits, bytes, truncatedHits: truncated };
    } finally {
      await handle.close();
    }
  }
}

/** Every regular file under the paths (directories recursively, symlinks not followed). */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string, top: boolean): Promise<void> => {
    let st;
    try {
      st = top ? await stat(p) : await lstat(p);
    } catch {
      if (top) {
        throw new ScanPathError('a path to scan does not exist or cannot be read');
      }
      return;
    }
    if (st.isFile()) {
      out.push(p);
    } else if (st.isDirectory()) {
      const entries = await readdir(p);
      entries.sort();
      for (const e of entries) {
        await walk(join(p, e), false);
      }
    } else if (top) {
      throw new ScanPathError('a path to scan is neither a file nor a directory');
    }
  };
  for (const p of paths) {
    await walk(resolve(p), true);
  }
  return [...new Set(out)];
}

/**
 * Scans every file under `paths` for every canary in every encoding, one pass per file.
 *
 * @example
 * const { hits } = await scanPaths(['./data'], ['张三丰五', '11010519491231002X']);
 */
export async function scanPaths(
  paths: readonly string[],
  canaries: ReadonlyArray<string | Canary> | CanaryScanner,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const scanner = canaries instanceof CanaryScanner ? canaries : new CanaryScanner(canaries);
  const excluded = new Set<string>();
  for (const e of options.exclude ?? []) {
    try {
      excluded.add(await realpath(e));
    } catch (err) {
      // An excluded file that does not exist cannot be scanned either.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
    }
  }
  const files: Array<{ path: string; size: number }> = [];
  let total = 0;
  for (const f of await listFiles(paths)) {
    let real: string;
    try {
      real = await realpath(f);
    } catch (err) {
      // A dangling link: scanned (and reported unreadable) under its own name.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
      real = f;
    }
    if (!excluded.has(real)) {
      // Best effort: the size only balances the work; a file that vanished is reported as
      // unreadable when it is read.
      const size = (await stat(f).catch(() => ({ size: 0 }))).size;
      files.push({ path: f, size });
      total += size;
    }
  }
  const cap = options.maxHitsPerFile ?? 1000;
  const parallel = total >= PARALLEL_MIN_BYTES || (scanner.workers > 1 && total >= POOL_MIN_BYTES);
  const threads =
    options.threads ??
    (parallel ? (scanner.workers > 1 ? scanner.workers : Math.min(availableParallelism(), 64)) : 1);
  if (threads < 1 || !Number.isInteger(threads)) {
    throw new RangeError('"threads" expected a positive integer');
  }
  if (threads > 1 && files.length > 0 && workerScript() !== undefined) {
    const own = !(canaries instanceof CanaryScanner);
    try {
      return await scanParallel(files, total, await scanner.pool(threads), cap, options);
    } finally {
      if (own) {
        await scanner.close();
      }
    }
  }
  const hits: ScanHit[] = [];
  const unreadable: ScanResult['unreadable'] = [];
  let bytes = 0;
  let truncatedHits = 0;
  let scanned = 0;
  for (const { path: file } of files) {
    try {
      const r = await scanner.scanFile(file, {
        ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
        kernel: total >= KERNEL_MIN_BYTES,
        maxHits: cap,
        onChunk: (n) => {
          bytes += n;
          options.onProgress?.(bytes, Math.max(total, bytes));
        },
      });
      hits.push(...r.hits);
      truncatedHits += r.truncatedHits;
      scanned++;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      unreadable.push({ file, error: typeof code === 'string' ? code : 'read failed' });
    }
  }
  return { files: scanned, bytes, hits, truncatedHits, unreadable };
}

/** The same scan on the pool's threads, merged into the single-threaded scan's result. */
async function scanParallel(
  files: ReadonlyArray<{ path: string; size: number }>,
  total: number,
  pool: ScanPool,
  cap: number,
  options: ScanOptions,
): Promise<ScanResult> {
  const plan = planRanges(files, pool.size, cap, {
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    ...(options.rangeBytes === undefined ? {} : { rangeBytes: options.rangeBytes }),
  });
  let bytes = 0;
  const results = await pool.run(plan.flat(), (n) => {
    bytes += n;
    options.onProgress?.(bytes, Math.max(total, bytes));
  });
  const hits: ScanHit[] = [];
  const unreadable: ScanResult['unreadable'] = [];
  let truncatedHits = 0;
  let scanned = 0;
  let k = 0;
  plan.forEach((ranges, f) => {
    const mine = results.slice(k, k + ranges.length);
    k += ranges.length;
    const failed = mine.find((r) => !r.ok);
    if (failed !== undefined && !failed.ok) {
      unreadable.push({ file: files[f].path, error: failed.error });
      return;
    }
    let kept = 0;
    for (const r of mine) {
      if (!r.ok) {
        continue;
      }
      truncatedHits += r.truncatedHits;
      for (const h of r.hits) {
        if (kept < cap) {
          hits.push(h);
          kept++;
        } else {
          truncatedHits++;
        }
      }
    }
    scanned++;
  });
  return { files: scanned, bytes, hits, truncatedHits, unreadable };
}
