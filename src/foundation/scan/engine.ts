// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan's matching engine: needles of 7 bytes or more go through the
 * aligned-word filter (words.ts) run by the WebAssembly kernel (kernel.ts) over file chunks read
 * straight into the kernel's memory; shorter needles (a 6-byte canary's UTF-8) keep the
 * Wu–Manber matcher (matcher.ts), run over those needles only, so every canary set is covered.
 */
import type { FileHandle } from 'node:fs/promises';
import {
  DATA_BASE,
  DATA_SLACK,
  OUT_BASE,
  OUT_CAP,
  OUT_COUNT,
  instantiateKernel,
  type Kernel,
} from './kernel.js';
import { MultiPatternMatcher } from './matcher.js';
import { AlignedWordIndex, MIN_WORD_NEEDLE } from './words.js';

/**
 * Bytes read per chunk by default: 4 MiB; on the bench machine 1 MiB chunks scanned at about
 * 2.3 GB/s and 4 MiB at 2.7 (fewer reads and promise round trips), 256 KiB at 1.7.
 */
export const DEFAULT_CHUNK = 4 << 20;

/** Calls `onMatch` for the (start, needle) pairs in `found`, by start, ties by needle. */
function emitSorted(found: number[], onMatch: (needle: number, start: number) => void): void {
  if (found.length === 2) {
    onMatch(found[1], found[0]);
    return;
  }
  const order = Array.from({ length: found.length / 2 }, (_, k) => k);
  order.sort((a, b) => found[2 * a] - found[2 * b] || found[2 * a + 1] - found[2 * b + 1]);
  for (const k of order) {
    onMatch(found[2 * k + 1], found[2 * k]);
  }
}

export class ScanEngine {
  /** Longest needle length: the overlap carried between chunks and ranges. */
  readonly maxLength: number;
  readonly #index: AlignedWordIndex | undefined;
  readonly #short: MultiPatternMatcher | undefined;
  readonly #shortIds: readonly number[];
  /** Idle kernel instances (one per concurrent file scan, each with its own memory). */
  readonly #free: Kernel[] = [];

  constructor(needles: readonly Uint8Array[]) {
    if (needles.length === 0) {
      throw new RangeError('"needles" expected at least one needle');
    }
    const long: number[] = [];
    const short: number[] = [];
    let max = 0;
    needles.forEach((n, id) => {
      if (!(n instanceof Uint8Array) || n.length < 2) {
        throw new RangeError('"needles" expected Uint8Arrays of 2 bytes or more');
      }
      (n.length >= MIN_WORD_NEEDLE ? long : short).push(id);
      max = Math.max(max, n.length);
    });
    this.maxLength = max;
    this.#index = long.length > 0 ? new AlignedWordIndex(needles, long) : undefined;
    this.#shortIds = short;
    this.#short =
      short.length > 0 ? new MultiPatternMatcher(short.map((id) => needles[id])) : undefined;
  }

  /**
   * Every occurrence lying in `data[0, end)` and ending after `reportAfter`, in increasing order
   * of start (ties by needle), in JavaScript (synchronous; for in-memory buffers).
   */
  scan(
    data: Uint8Array,
    end: number,
    reportAfter: number,
    onMatch: (needle: number, start: number) => void,
  ): void {
    if (end > data.length) {
      throw new RangeError('"end" lies beyond the data');
    }
    const found: number[] = [];
    this.#index?.scanJs(data, end, reportAfter, found);
    this.#scanShort(data, end, reportAfter, found);
    emitSorted(found, onMatch);
  }

  #scanShort(data: Uint8Array, end: number, reportAfter: number, found: number[]): void {
    const ids = this.#shortIds;
    this.#short?.scan(data, end, reportAfter, (k, start) => found.push(start, ids[k]));
  }

  async #newKernel(): Promise<Kernel> {
    // Two regions of a chunk and the overlap (scanHandle reads one while it scans the other).
    const kernel = await instantiateKernel(2 * (DEFAULT_CHUNK + this.maxLength - 1 + 4));
    if (this.#index !== undefined) {
      new Uint8Array(kernel.memory.buffer).set(this.#index.bitmaps, 0);
    }
    return kernel;
  }

  /**
   * Scans the occurrences of a file that start in `[from, to)` (`to` = Infinity: to the end of
   * the file), reading `[from, to + maxLength − 1)` once in chunks into the kernel's memory.
   * `onMatch(needle, fileOffset)` comes in file order; `onChunk` gets the bytes of `[from, to)`
   * read so far. Returns the bytes of `[from, to)` read. `kernel: false` runs the same filter in
   * JavaScript over a plain buffer: for small scans, which should not pay for compiling the
   * kernel (wabt's start-up takes a few hundred ms).
   */
  async scanHandle(
    handle: FileHandle,
    from: number,
    to: number,
    options: { chunkSize?: number; kernel?: boolean },
    onMatch: (needle: number, offset: number) => void,
    onChunk?: (bytes: number) => void,
  ): Promise<number> {
    const overlap = this.maxLength - 1;
    const kernel =
      options.kernel === false ? undefined : (this.#free.pop() ?? (await this.#newKernel()));
    let pending: Promise<{ bytesRead: number }> | undefined;
    try {
      // Two regions, each a chunk plus the carried overlap: the next chunk is read into one while
      // the other is scanned (the read runs on libuv's thread pool; in sequence, this thread
      // would wait for each read and the pool thread for each scan).
      const region =
        kernel === undefined
          ? (options.chunkSize ?? DEFAULT_CHUNK) + overlap
          : Math.floor((kernel.memory.buffer.byteLength - DATA_BASE - DATA_SLACK) / 8) * 4;
      const chunk = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK, region - overlap));
      const regions = [0, 1].map((r) =>
        kernel === undefined
          ? Buffer.allocUnsafeSlow(region)
          : Buffer.from(kernel.memory.buffer, DATA_BASE + r * region, region),
      );
      const i32 = kernel === undefined ? undefined : new Int32Array(kernel.memory.buffer);
      let cur = 0; // the region being scanned
      let carry = 0; // bytes at data[0, carry) carried from the previous chunk
      let base = from; // file offset of data[0]
      let pos = from; // next file offset to read
      let owned = 0;
      const readInto = (r: number, at: number) => {
        const want = Math.min(chunk, to + overlap - pos);
        return want <= 0 ? undefined : handle.read(regions[r], at, want, pos);
      };
      pending = readInto(cur, 0);
      while (pending !== undefined) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) {
          break;
        }
        const data = regions[cur];
        const mine = Math.min(pos + bytesRead, to) - Math.min(pos, to);
        pos += bytesRead;
        owned += mine;
        const end = carry + bytesRead;
        const keep = Math.min(overlap, end);
        // The next chunk lands after the carry in the other region, which nothing reads now.
        pending = readInto(1 - cur, keep);
        const found: number[] = [];
        const index = this.#index;
        if (index !== undefined && (kernel === undefined || i32 === undefined)) {
          index.scanJs(data, end, carry, found);
        } else if (index !== undefined && kernel !== undefined && i32 !== undefined) {
          const at = DATA_BASE + cur * region;
          const stop = at + end;
          for (let p = at; p < stop;) {
            p = kernel.scan(p, stop, OUT_BASE, OUT_BASE + 4 * OUT_CAP);
            const n = i32[OUT_COUNT >>> 2];
            for (let k = 0; k < n; k++) {
              index.verify(data, i32[(OUT_BASE >>> 2) + k] - at, end, carry, found);
            }
          }
        }
        this.#scanShort(data, end, carry, found);
        emitSorted(found, (id, start) => {
          if (base + start < to) {
            onMatch(id, base + start);
          }
        });
        if (mine > 0) {
          onChunk?.(mine);
        }
        data.copy(regions[1 - cur], 0, end - keep, end);
        base += end - keep;
        carry = keep;
        cur = 1 - cur;
      }
      return owned;
    } finally {
      // A read still in flight (an error ended the loop) must not land in a kernel reused later.
      await pending?.catch(() => undefined);
      if (kernel !== undefined) {
        this.#free.push(kernel);
      }
    }
  }
}
