// SPDX-License-Identifier: Apache-2.0
/**
 * @module The residual scan's hot loop as a small hand-written WebAssembly module (WebAssembly
 * Core Specification 1.0; text format, §6), generated below as WAT, compiled with wabt at first
 * use and cached per process (worker threads adopt the main thread's compiled module).
 *
 * Why WebAssembly: the loop reads every aligned 32-bit word of the data once and probes a byte
 * map (see words.ts). In JavaScript each step pays for typed-array bounds checks and, on an
 * unaligned Buffer, for assembling the word from four bytes; here it is one `i32.load`, one
 * multiply, one shift and one `i32.load8_u`, four words per iteration with a single branch on
 * the OR of their four map bytes, so the loads of one block overlap. The file reader reads
 * chunks straight into this module's memory: nothing is copied after the read.
 *
 * Measured on the 2-core bench machine (CPU time per MB, best of 5–6 runs under load, the chunk
 * copy included): the first-word filter as a byte map of 2^19 entries beat a 2^22-bit bitmap by
 * 5–10 %; 8 words per iteration was 5–10 % slower than 4; a SIMD hash of four words (i32x4.mul)
 * gained under 3 %, within the noise, so the module stays scalar MVP code.
 *
 * Memory layout (bytes; the memory is created by the caller and imported):
 * - `[0, A_BYTES)`: map A, one byte per `hashA(word)`, non-zero for the first word of every
 *   indexed entry (single or pair);
 * - `[S_BASE, P_BASE)`: bitmap S, one bit per `hashS(word)` of single-word entries;
 * - `[P_BASE, BITMAP_BYTES)`: bitmap P, one bit per `hashP(word, next word)` of pair entries;
 * - `[OUT_BASE, OUT_BASE + 4·OUT_CAP)`: candidate word addresses written by `scan`;
 * - `[DATA_BASE, …)`: the data, then at least DATA_SLACK bytes the loop may read past its end.
 *
 * `scan(p, end, out, outEnd)` examines the aligned words at p, p+4, … while p < end, in blocks of
 * four (so it reads up to 20 bytes past `end`; candidates there fail the verifier's bounds
 * checks), writes the address of every word that passes A and (S or P), and returns the address
 * where it stopped: `end` or beyond when done, earlier when the output area is full. The number
 * of addresses written is stored as an i32 at address OUT_COUNT.
 */
import wabtInit from 'wabt';

/** Bits of the first-word map A's hash (2^19 one-byte entries = 512 KiB). */
export const A_BITS = 19;
/** Words per loop iteration (one branch per block). */
export const UNROLL = 4;
/** Bits of the single-word bitmap S (a prefix of A's hash) and the pair bitmap P. */
export const S_BITS = 18;
export const P_BITS = 22;
export const A_BYTES = 1 << A_BITS;
export const S_BYTES = 1 << (S_BITS - 3);
export const P_BYTES = 1 << (P_BITS - 3);
export const S_BASE = A_BYTES;
export const P_BASE = A_BYTES + S_BYTES;
export const BITMAP_BYTES = A_BYTES + S_BYTES + P_BYTES;
const MUL_A = 0x9e3779b1;
const MUL_P = 0x85ebca77;
export const OUT_COUNT = BITMAP_BYTES;
export const OUT_BASE = OUT_COUNT + 64;
/** Candidate addresses per kernel call before it returns to let JavaScript verify them. */
export const OUT_CAP = 1 << 14;
export const DATA_BASE = OUT_BASE + 4 * OUT_CAP;
export const DATA_SLACK = 64;

/** The first-word hash (the same arithmetic as the kernel's). */
export function hashA(w: number): number {
  return Math.imul(w, MUL_A) >>> (32 - A_BITS);
}

/** The hash of bitmap S: independent of A's, so S filters the words that passed A. */
export function hashS(w: number): number {
  return Math.imul(w, MUL_P) >>> (32 - S_BITS);
}

/** The bitmap hash of a pair of consecutive aligned words. */
export function hashP(w0: number, w1: number): number {
  return Math.imul(w0 ^ Math.imul(w1, MUL_P), MUL_A) >>> (32 - P_BITS);
}

/** WAT that leaves 1 on the stack when bit `hash` of the bitmap at `base` is set. */
function bit(base: number, hash: string): string {
  return `(i32.and (i32.shr_u (i32.load offset=${base} (i32.and (i32.shr_u ${hash} (i32.const 3)) (i32.const -4))) ${hash}) (i32.const 1))`;
}

function hashAWat(w: string): string {
  return `(i32.shr_u (i32.mul ${w} (i32.const ${MUL_A | 0})) (i32.const ${32 - A_BITS}))`;
}

function hashPWat(w0: string, w1: string): string {
  return `(i32.shr_u (i32.mul (i32.xor ${w0} (i32.mul ${w1} (i32.const ${MUL_P | 0}))) (i32.const ${MUL_A | 0})) (i32.const ${32 - P_BITS}))`;
}

/** The module text; generated so the four unrolled words share one definition. */
export function kernelWat(): string {
  const words = Array.from({ length: UNROLL }, (_, k) => k);
  const block = 4 * UNROLL;
  const h = (k: number) => `(local.get $h${k})`;
  const slow = words
    .map(
      (k) => `
            (if (i32.and (i32.load8_u ${h(k)})
                  (i32.or ${bit(S_BASE, `(i32.shr_u (i32.mul (local.get $w${k}) (i32.const ${MUL_P | 0})) (i32.const ${32 - S_BITS}))`)}
                          ${bit(P_BASE, hashPWat(`(local.get $w${k})`, `(local.get $w${k + 1})`))}))
              (then
                (i32.store (local.get $out) (i32.add (local.get $p) (i32.const ${4 * k})))
                (local.set $out (i32.add (local.get $out) (i32.const 4)))))`,
    )
    .join('');
  // Balanced OR of the words' byte-map entries: one branch per block.
  const any = (ks: number[]): string =>
    ks.length === 1
      ? `(i32.load8_u ${h(ks[0])})`
      : `(i32.or ${any(ks.slice(0, ks.length / 2))} ${any(ks.slice(ks.length / 2))})`;
  return `(module
  (import "env" "mem" (memory 1))
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (param $outEnd i32) (result i32)
    ${[...words, UNROLL].map((k) => `(local $w${k} i32)`).join(' ')}
    ${words.map((k) => `(local $h${k} i32)`).join(' ')}
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ${words.map((k) => `(local.set $w${k} (i32.load offset=${4 * k} (local.get $p)))`).join('\n        ')}
        ${words.map((k) => `(local.set $h${k} ${hashAWat(`(local.get $w${k})`)})`).join('\n        ')}
        (if ${any(words)}
          (then
            ;; room for the block's candidates, else stop before it and let the caller drain
            (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const ${block})) (local.get $outEnd)))
            (local.set $w${UNROLL} (i32.load offset=${block} (local.get $p)))${slow}))
        (local.set $p (i32.add (local.get $p) (i32.const ${block})))
        (br $next)))
    (i32.store (i32.const ${OUT_COUNT}) (i32.shr_u (i32.sub (local.get $out) (i32.const ${OUT_BASE})) (i32.const 2)))
    (local.get $p)))
`;
}

/** The parts of the WebAssembly JS API we use (lib.dom is not in this project's libs). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export type KernelModule = object;
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<KernelModule>;
  instantiate(m: KernelModule, imports: object): Promise<{ exports: Record<string, unknown> }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type ScanFn = (p: number, end: number, out: number, outEnd: number) => number;

export interface Kernel {
  readonly memory: WasmMemory;
  readonly scan: ScanFn;
}

let compiled: Promise<KernelModule> | undefined;

/** The compiled module, built once per process (wabt's start-up costs a few hundred ms). */
export function kernelModule(): Promise<KernelModule> {
  compiled ??= (async () => {
    const wabt = await wabtInit();
    const mod = wabt.parseWat('scan-kernel.wat', kernelWat());
    try {
      mod.validate();
      return await wasm.compile(mod.toBinary({}).buffer);
    } finally {
      mod.destroy();
    }
  })();
  return compiled;
}

/**
 * Takes a module compiled by another thread (compiling costs each thread wabt's start-up), if it
 * was compiled from this module's text: a stale build's kernel would not match our layout.
 */
export function adoptKernelModule(module: KernelModule, wat: string): void {
  if (compiled === undefined && wat === kernelWat()) {
    compiled = Promise.resolve(module);
  }
}

/** A kernel instance with its own memory of at least `dataBytes` data bytes after DATA_BASE. */
export async function instantiateKernel(dataBytes: number): Promise<Kernel> {
  const pages = Math.ceil((DATA_BASE + dataBytes + DATA_SLACK) / 65536);
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const instance = await wasm.instantiate(await kernelModule(), { env: { mem: memory } });
  return { memory, scan: instance.exports.scan as ScanFn };
}
