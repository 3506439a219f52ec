// SPDX-License-Identifier: Apache-2.0
/**
 * @module Deterministic CBOR (RFC 8949 §4.2.1) for audit leaves. The common shapes — maps with
 * text keys, text, byte strings, safe integers, booleans and null — are written straight into a
 * reused buffer (an append encodes one leaf per event, and a general encoder's allocations
 * dominated that cost); anything else (non-integer numbers, arrays) goes to cborg with its
 * RFC 8949 options. Tests check both paths give cborg's bytes for every leaf shape.
 */
import { encode, rfc8949EncodeOptions } from 'cborg';

let buf = Buffer.allocUnsafe(4096);
let pos = 0;

function ensure(n: number): void {
  if (pos + n > buf.length) {
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  }
}

/** A major type and argument in preferred (shortest) serialization (RFC 8949 §3, §4.2.1). */
function head(major: number, n: number): void {
  ensure(9);
  const m = major << 5;
  if (n < 24) {
    buf[pos++] = m | n;
  } else if (n < 0x100) {
    buf[pos++] = m | 24;
    buf[pos++] = n;
  } else if (n < 0x10000) {
    buf[pos++] = m | 25;
    buf.writeUInt16BE(n, pos);
    pos += 2;
  } else if (n < 0x100000000) {
    buf[pos++] = m | 26;
    buf.writeUInt32BE(n, pos);
    pos += 4;
  } else {
    buf[pos++] = m | 27;
    buf.writeUInt32BE(Math.floor(n / 0x100000000), pos);
    buf.writeUInt32BE(n % 0x100000000, pos + 4);
    pos += 8;
  }
}

class Unsupported extends Error {}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      return false;
    }
  }
  return true;
}

function text(s: string): void {
  if (s.length < 64 && isAscii(s)) {
    // Short ASCII (keys, kinds, actors): byte for char, no native calls.
    head(3, s.length);
    ensure(s.length);
    for (let i = 0; i < s.length; i++) {
      buf[pos++] = s.charCodeAt(i);
    }
    return;
  }
  const n = Buffer.byteLength(s, 'utf8');
  head(3, n);
  ensure(n);
  pos += buf.write(s, pos, 'utf8');
}

/**
 * Map keys in bytewise order of their encodings: for text keys, shorter first, then bytes. For
 * ASCII, UTF-16 code-unit order is byte order; otherwise the UTF-8 bytes are compared.
 */
function compareKeys(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) {
    return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  }
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length !== y.length ? x.length - y.length : Buffer.compare(x, y);
}

/** Sorted key orders by map shape: leaves repeat a few shapes, so each is sorted once. */
const orders = new Map<string, readonly string[]>();
const MAX_SHAPES = 4096;

function sortedKeys(record: Record<string, unknown>): readonly string[] {
  const keys = Object.keys(record);
  // Two key lists that join alike (a key holding U+0000) have the same length only when they
  // are the same set or a key of the cached order is missing here, which `item` refuses.
  const shape = `${keys.length}:${keys.join('\u0000')}`;
  let order = orders.get(shape);
  if (!order || order.length !== keys.length) {
    order = [...keys].sort(compareKeys);
    if (orders.size < MAX_SHAPES) {
      orders.set(shape, order);
    }
  }
  return order;
}

function item(value: unknown): void {
  if (value === undefined) {
    throw new Unsupported();
  } else if (value === null) {
    ensure(1);
    buf[pos++] = 0xf6;
  } else if (value === true || value === false) {
    ensure(1);
    buf[pos++] = value ? 0xf5 : 0xf4;
  } else if (typeof value === 'string') {
    text(value);
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Unsupported();
    }
    if (value >= 0) {
      head(0, value);
    } else {
      head(1, -1 - value);
    }
  } else if (value instanceof Uint8Array) {
    head(2, value.length);
    ensure(value.length);
    buf.set(value, pos);
    pos += value.length;
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = sortedKeys(record);
    head(5, keys.length);
    for (const k of keys) {
      text(k);
      item(record[k]);
    }
  } else {
    throw new Unsupported();
  }
}

/** The deterministic CBOR encoding of `value`. */
export function cbor(value: unknown): Buffer {
  pos = 0;
  try {
    item(value);
  } catch (err) {
    if (!(err instanceof Unsupported)) {
      throw err;
    }
    const bytes = encode(value, rfc8949EncodeOptions);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return Buffer.from(buf.subarray(0, pos));
}
