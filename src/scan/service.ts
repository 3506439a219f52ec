// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan (issue 3 item 10; DOMAIN.md §6 req. 17): reads every file under the
 * given paths once, in 4 MiB chunks with an overlap of the longest needle, and reports where any
 * canary value appears in any of its encodings. Hits name the file, byte offset, encoding and the
 * canary's line number, never the value. Used by `healthcode scan` and by disposal verification.
 */
import { open, lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ScanPathError } from './errors.js';
import { MultiPatternMatcher } from './matcher.js';
import {
  buildNeedles,
  toCanaries,
  type Canary,
  type Needle,
  type ScanEncoding,
} from './needles.js';

/** One occurrence of a canary. */
export interface ScanHit {
  readonly file: string;
  readonly encoding: ScanEncoding;
  /** For base64 encodings: the value's offset mod 3 in the encoded bytes. */
  readonly alignment?: 0 | 1 | 2;
  /** Byte offset of the encoded value in the file. */
  readonly offset: number;
  /** 1-based line of the canary in the canary file. */
  readonly canaryLine: number;
}

/**
 * Bytes read at a time: large, so the fixed cost of each read and of each matcher call (the
 * four cursors' set-up and tails) vanishes, yet small enough to stay in the CPU's caches' reach.
 */
const DEFAULT_CHUNK = 4 << 20;

export interface ScanOptions {
  /** Chunk size in bytes (default 4 MiB). */
  readonly chunkSize?: number;
  /** Hits kept per file; further hits are counted in `truncatedHits` (default 1,000). */
  readonly maxHitsPerFile?: number;
  /** Files never scanned (e.g. the canary file itself); compared by real path. */
  readonly exclude?: readonly string[];
  /** Called after each chunk with the bytes done so far and the total to do. */
  readonly onProgress?: (done: number, total: number) => void;
}

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

/** A compiled canary set, reusable across many scans. */
export class CanaryScanner {
  readonly #needles: Needle[];
  readonly #matcher: MultiPatternMatcher;

  constructor(canaries: ReadonlyArray<string | Canary>) {
    this.#needles = buildNeedles(toCanaries(canaries));
    this.#matcher = new MultiPatternMatcher(this.#needles.map((n) => n.bytes));
  }

  /** Number of distinct byte strings searched for. */
  get needleCount(): number {
    return this.#needles.length;
  }

  /** Scans one in-memory buffer; offsets are relative to it. */
  scanBuffer(data: Uint8Array, file = '(buffer)'): ScanHit[] {
    const hits: ScanHit[] = [];
    this.#matcher.scan(data, data.length, 0, (id, start) => {
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
    options: { chunkSize?: number; maxHits?: number; onChunk?: (bytes: number) => void } = {},
  ): Promise<{ hits: ScanHit[]; bytes: number; truncatedHits: number }> {
    const chunk = options.chunkSize ?? DEFAULT_CHUNK;
    const overlap = this.#matcher.maxLength - 1;
    const buf = Buffer.allocUnsafe(chunk + overlap);
    const hits: ScanHit[] = [];
    const count = { n: 0 };
    const cap = options.maxHits ?? 1000;
    let truncated = 0;
    let bytes = 0;
    const handle = await open(file, 'r');
    try {
      let carry = 0; // bytes at buf[0, carry) carried from the previous chunk
      let base = 0; // file offset of buf[0]
      for (;;) {
        const { bytesRead } = await handle.read(buf, carry, chunk, null);
        if (bytesRead === 0) {
          break;
        }
        bytes += bytesRead;
        const end = carry + bytesRead;
        this.#matcher.scan(buf, end, carry, (id, start) => {
          truncated += this.#emit(hits, file, id, base + start, cap, count);
        });
        options.onChunk?.(bytesRead);
        const keep = Math.min(overlap, end);
        buf.copyWithin(0, end - keep, end);
        base += end - keep;
        carry = keep;
      }
    } finally {
      await handle.close();
    }
    return { hits, bytes, truncatedHits: truncated };
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
    } catch {
      // An excluded file that does not exist cannot be scanned either.
    }
  }
  const files: string[] = [];
  let total = 0;
  for (const f of await listFiles(paths)) {
    let real: string;
    try {
      real = await realpath(f);
    } catch {
      real = f;
    }
    if (!excluded.has(real)) {
      files.push(f);
      total += (await stat(f).catch(() => ({ size: 0 }))).size;
    }
  }
  const hits: ScanHit[] = [];
  const unreadable: ScanResult['unreadable'] = [];
  let bytes = 0;
  let truncatedHits = 0;
  let scanned = 0;
  for (const file of files) {
    try {
      const r = await scanner.scanFile(file, {
        ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
        maxHits: options.maxHitsPerFile ?? 1000,
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
