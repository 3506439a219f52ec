// SPDX-License-Identifier: Apache-2.0
/**
 * @module ECDH private set intersection and PSI-cardinality between two holders (Huberman, Franklin
 * & Hogg 1999; as in SecretFlow's ECDH-PSI) over ristretto255 (RFC 9496) with libsodium's
 * hash-to-group `crypto_core_ristretto255_from_hash` (the RFC 9496 §4.3.4 one-way map of a 64-byte
 * hash). Each holder blinds H(x) with a secret scalar; points blinded by both compare equal exactly
 * when the items are equal. The sender learns only the receiver's set size; the receiver learns
 * the intersection (PSI) or only its size (PSI-cardinality, where the sender shuffles). Inputs —
 * keyed hashes of real-name register entries — never leave their holder. Semi-honest model.
 */
import { createHmac } from 'node:crypto';
import type { Random } from '../../kernel/shared/index.js';
import { systemRandom } from '../../kernel/shared/index.js';
import { parseJson, type FramedConnection } from './channel.js';
import { PsiError, ProtocolError } from './errors.js';
import { MSG } from './model.js';
import { RandomBits } from './random-bits.js';

/** Bytes of a ristretto255 point. */
export const POINT_BYTES = 32;
/** Bytes of a final comparison tag (truncated doubly blinded point): 128 bits. */
export const TAG_BYTES = 16;

/** The few libsodium calls PSI needs. */
export interface PsiCurve {
  fromHash(h: Uint8Array): Uint8Array;
  mult(scalar: Uint8Array, point: Uint8Array): Uint8Array;
  reduceScalar(wide: Uint8Array): Uint8Array;
}

let curvePromise: Promise<PsiCurve> | undefined;

/** Loads libsodium (WASM) once; PSI is the only user, so it is not loaded at start-up. */
export function loadPsiCurve(): Promise<PsiCurve> {
  curvePromise ??= (async () => {
    const mod = await import('libsodium-wrappers-sumo');
    const sodium = mod.default;
    await sodium.ready;
    return {
      fromHash: (h) => sodium.crypto_core_ristretto255_from_hash(h),
      mult: (s, p) => sodium.crypto_scalarmult_ristretto255(s, p),
      reduceScalar: (w) => sodium.crypto_core_ristretto255_scalar_reduce(w),
    };
  })();
  return curvePromise;
}

/**
 * The keyed hash of one register entry (an ID number, normalised): HMAC-SHA-512 under the run's
 * key, so even the value mapped to the curve is not a plain hash of an ID number.
 */
export function psiItem(key: Uint8Array, value: string): Uint8Array {
  const normalised = value.trim().toUpperCase();
  return createHmac('sha512', key)
    .update('healthcode/psi/v1\0')
    .update(normalised, 'utf8')
    .digest();
}

/** One holder's side of the computation (pure: no IO). */
export class PsiHolder {
  readonly #curve: PsiCurve;
  readonly #scalar: Uint8Array;
  readonly #bits: RandomBits;
  constructor(curve: PsiCurve, random: Random = systemRandom) {
    this.#curve = curve;
    const wide = random.bytes(64);
    this.#scalar = curve.reduceScalar(wide);
    wide.fill(0);
    this.#bits = new RandomBits(random);
  }

  /** H(x)^s for every item, concatenated (32 bytes each). */
  blindItems(items: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(items.length * POINT_BYTES);
    for (let i = 0; i < items.length; i++) {
      out.set(this.#curve.mult(this.#scalar, this.#curve.fromHash(items[i])), i * POINT_BYTES);
    }
    return out;
  }

  /** P^s for every received point; throws {@link PsiError} on a point that is not valid. */
  blindPoints(points: Uint8Array, truncate = POINT_BYTES): Uint8Array {
    if (points.length % POINT_BYTES !== 0) {
      throw new PsiError('received points have a bad length');
    }
    const n = points.length / POINT_BYTES;
    const out = new Uint8Array(n * truncate);
    for (let i = 0; i < n; i++) {
      let p: Uint8Array;
      try {
        p = this.#curve.mult(this.#scalar, points.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES));
      } catch {
        throw new PsiError(`received point ${i} is not a valid ristretto255 element`);
      }
      out.set(p.subarray(0, truncate), i * truncate);
    }
    return out;
  }

  /** Shuffles fixed-size records in place (Fisher–Yates), for PSI-cardinality and sets. */
  shuffle(records: Uint8Array, size: number): void {
    const n = records.length / size;
    const tmp = new Uint8Array(size);
    for (let i = n - 1; i > 0; i--) {
      const j = this.#bits.uniform(i + 1);
      if (j !== i) {
        tmp.set(records.subarray(i * size, (i + 1) * size));
        records.copyWithin(i * size, j * size, (j + 1) * size);
        records.set(tmp, j * size);
      }
    }
  }

  /** Zeroes the secret scalar. */
  destroy(): void {
    this.#scalar.fill(0);
  }
}

/** What the receiver learns. */
export interface PsiOutcome {
  readonly mode: 'psi' | 'cardinality';
  readonly senderSize: number;
  readonly receiverSize: number;
  readonly intersectionSize: number;
  /** Indices into the receiver's items (PSI mode only). */
  readonly intersection?: number[];
  /** Bytes this side sent and received. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

const CHUNK_POINTS = 8192;

async function sendStream(
  conn: FramedConnection,
  data: Uint8Array,
  record: number,
): Promise<number> {
  const step = CHUNK_POINTS * record;
  for (let off = 0; off < data.length; off += step) {
    await conn.send(MSG.PSI, data.subarray(off, Math.min(data.length, off + step)));
  }
  return data.length;
}

async function receiveStream(
  conn: FramedConnection,
  bytes: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(bytes);
  let at = 0;
  while (at < bytes) {
    const f = await conn.next(timeoutMs);
    if (f.type === MSG.ABORT) {
      throw new PsiError(`PSI aborted by ${conn.peer}`);
    }
    if (f.type !== MSG.PSI || at + f.payload.length > bytes) {
      throw new ProtocolError(`malformed PSI stream from ${conn.peer}`);
    }
    out.set(f.payload, at);
    at += f.payload.length;
  }
  return out;
}

/** The sender's side over an authenticated link: learns only the receiver's set size. */
export async function runPsiSender(
  conn: FramedConnection,
  items: readonly Uint8Array[],
  options: { random?: Random; timeoutMs?: number } = {},
): Promise<{ receiverSize: number; bytesSent: number }> {
  const timeout = options.timeoutMs ?? 120_000;
  const curve = await loadPsiCurve();
  const holder = new PsiHolder(curve, options.random);
  try {
    const start = parseJson(await conn.next(timeout), conn.peer) as {
      mode?: unknown;
      size?: unknown;
    };
    if ((start.mode !== 'psi' && start.mode !== 'cardinality') || !Number.isInteger(start.size)) {
      throw new ProtocolError('malformed PSI start');
    }
    const receiverSize = start.size as number;
    await conn.sendJson(MSG.PSI, { size: items.length });
    const mine = holder.blindItems(items);
    holder.shuffle(mine, POINT_BYTES);
    let sent = await sendStream(conn, mine, POINT_BYTES);
    const theirs = await receiveStream(conn, receiverSize * POINT_BYTES, timeout);
    const tags = holder.blindPoints(theirs, TAG_BYTES);
    if (start.mode === 'cardinality') {
      // Unlinks the tags from the receiver's order, so only the count can be learnt.
      holder.shuffle(tags, TAG_BYTES);
    }
    sent += await sendStream(conn, tags, TAG_BYTES);
    return { receiverSize, bytesSent: sent };
  } finally {
    holder.destroy();
  }
}

/** The receiver's side: learns the intersection (PSI) or only its size (PSI-cardinality). */
export async function runPsiReceiver(
  conn: FramedConnection,
  items: readonly Uint8Array[],
  mode: 'psi' | 'cardinality',
  options: { random?: Random; timeoutMs?: number } = {},
): Promise<PsiOutcome> {
  const timeout = options.timeoutMs ?? 120_000;
  const curve = await loadPsiCurve();
  const holder = new PsiHolder(curve, options.random);
  try {
    await conn.sendJson(MSG.PSI, { mode, size: items.length });
    const hello = parseJson(await conn.next(timeout), conn.peer) as { size?: unknown };
    if (!Number.isInteger(hello.size) || (hello.size as number) < 0) {
      throw new ProtocolError('malformed PSI reply');
    }
    const senderSize = hello.size as number;
    const mine = holder.blindItems(items);
    const [theirs] = await Promise.all([
      receiveStream(conn, senderSize * POINT_BYTES, timeout),
      sendStream(conn, mine, POINT_BYTES),
    ]);
    const doubled = holder.blindPoints(theirs, TAG_BYTES);
    const set = new Set<string>();
    for (let i = 0; i < senderSize; i++) {
      set.add(
        Buffer.from(doubled.buffer, doubled.byteOffset + i * TAG_BYTES, TAG_BYTES).toString(
          'base64',
        ),
      );
    }
    const tags = await receiveStream(conn, items.length * TAG_BYTES, timeout);
    const hits: number[] = [];
    for (let i = 0; i < items.length; i++) {
      if (
        set.has(
          Buffer.from(tags.buffer, tags.byteOffset + i * TAG_BYTES, TAG_BYTES).toString('base64'),
        )
      ) {
        hits.push(i);
      }
    }
    return {
      mode,
      senderSize,
      receiverSize: items.length,
      intersectionSize: hits.length,
      ...(mode === 'psi' ? { intersection: hits } : {}),
      bytesSent: mine.length,
      bytesReceived: theirs.length + tags.length,
    };
  } finally {
    holder.destroy();
  }
}
