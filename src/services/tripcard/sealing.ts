// SPDX-License-Identifier: Apache-2.0
/**
 * @module How events are kept (docs/tripcard.md "Row layout"): each carrier event id becomes a
 * keyed blind index (HMAC-SHA-256, RFC 2104, under the instance lookup key with its own label,
 * truncated to 128 bits), and a bundle's instants and places are sealed with AES-256-GCM (NIST SP
 * 800-38D) under the subscriber's `itinerary` data key, the row's table, subject, day, bundle id,
 * event indexes and key generation bound as associated data — a ciphertext moved to another row,
 * subject or day, or with its index list edited, does not open.
 */
import {
  associatedData,
  hmacSha256,
  open,
  seal,
  type NonceSource,
} from '../../kernel/crypto/index.js';

/** The data group (key scope) trip-card events are sealed under (GB/T 38962 itinerary). */
export const EVENT_SCOPE = 'itinerary';
/** The data category of an event. */
export const EVENT_CATEGORY = 'location-events';

const EID_LABEL = 'healthcode/tripcard/event-id/v1\u0000';

/** The 16-byte blind index of a carrier event id. */
export function eventIndex(lookupKey: Uint8Array, id: string): Buffer {
  return hmacSha256(lookupKey, EID_LABEL + id).subarray(0, 16);
}

/** What the associated data of a bundle binds. */
export interface BundlePlace {
  readonly subject_id: string;
  readonly day: number;
  readonly bid: Buffer;
  readonly eids: Buffer;
  readonly gen: number;
}

/** Associated data of a bundle row. */
export function bundleAad(r: BundlePlace): Buffer {
  return associatedData(
    'tripcard_event',
    EVENT_SCOPE,
    EVENT_CATEGORY,
    r.subject_id,
    r.day,
    r.bid.toString('base64url'),
    r.eids.toString('base64url'),
    r.gen,
  );
}

/** Seals events (`at` epoch ms, compact place), one per line. */
export function sealBundle(
  key: Uint8Array,
  nonces: NonceSource,
  row: BundlePlace,
  events: readonly { at: number; place: string }[],
): Buffer {
  const text = events.map((e) => `${e.at} ${e.place}`).join('\n');
  return seal(key, Buffer.from(text, 'utf8'), bundleAad(row), nonces);
}

/** Opens a bundle; throws the crypto layer's IntegrityError when it does not authenticate. */
export function openBundle(
  key: Uint8Array,
  row: BundlePlace & { ct: Buffer },
): { at: number; place: string }[] {
  const text = open(key, row.ct, bundleAad(row)).toString('utf8');
  return text.split('\n').map((line) => {
    const space = line.indexOf(' ');
    return { at: Number(line.slice(0, space)), place: line.slice(space + 1) };
  });
}

/** A bundle row of one subject, as the itinerary read has it. */
export interface SubjectBundle {
  readonly day: number;
  readonly bid: Buffer;
  readonly eids: Buffer;
  readonly gen: number;
  readonly ct: Buffer;
}

/**
 * Opens many bundles of one subject under one key and appends their events within
 * `[from, to]` to `out` — the itinerary read's loop, equal in result to {@link openBundle} per
 * row but cheaper: the associated data's constant head (table, scope, category, subject) is
 * encoded once and each row's tail written into one buffer (the same bytes as
 * {@link bundleAad}); lines are parsed in place, and a place repeated from the previous line is
 * the same string. Throws IntegrityError when a row does not authenticate.
 */
export function openBundlesInto(
  key: Uint8Array,
  subjectId: string,
  rows: readonly SubjectBundle[],
  window: { readonly from: number; readonly to: number },
  out: { at: number; place: string }[],
): void {
  const head = associatedData('tripcard_event', EVENT_SCOPE, EVENT_CATEGORY, subjectId);
  let scratch = Buffer.alloc(0);
  let place = '';
  let placeAscii = false;
  for (const r of rows) {
    const tail = [
      String(r.day),
      r.bid.toString('base64url'),
      r.eids.toString('base64url'),
      String(r.gen),
    ];
    // One scratch buffer for every row's associated data: GCM consumes it during the call.
    const size = tail.reduce((n, p) => n + 2 + p.length, head.length);
    if (scratch.length < size) {
      scratch = Buffer.allocUnsafeSlow(Math.max(size, 2 * scratch.length));
      head.copy(scratch, 0);
    }
    const pt = open(key, r.ct, aadWithTail(scratch, head.length, tail, size));
    // Lines `<epoch ms> <place>` parsed from the bytes (no string of the whole bundle).
    let start = 0;
    while (start < pt.length) {
      let end = pt.indexOf(NL, start);
      if (end < 0) {
        end = pt.length;
      }
      let at = 0;
      let i = start;
      for (; i < end && pt[i] >= 48 && pt[i] <= 57; i++) {
        at = at * 10 + (pt[i] - 48);
      }
      if (i === start || pt[i] !== 32) {
        i = pt.indexOf(32, start); // not written by sealBundle: parse as the general rule does
        at = Number(pt.toString('utf8', start, i));
      }
      if (!(placeAscii && sameAscii(pt, i + 1, end, place))) {
        place = pt.toString('utf8', i + 1, end);
        placeAscii = isAsciiRange(pt, i + 1, end);
      }
      if (at >= window.from && at <= window.to) {
        out.push({ at, place });
      }
      start = end + 1;
    }
    pt.fill(0);
  }
}

const NL = 0x0a;

/** Whether `buf[from, to)` spells the ASCII string `s`. */
function sameAscii(buf: Buffer, from: number, to: number, s: string): boolean {
  if (to - from !== s.length) {
    return false;
  }
  for (let k = 0; k < s.length; k++) {
    if (buf[from + k] !== s.charCodeAt(k)) {
      return false;
    }
  }
  return true;
}

function isAsciiRange(buf: Buffer, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    if (buf[k] >= 0x80) {
      return false;
    }
  }
  return true;
}

/**
 * Writes the ASCII `tail` parts after the head already in `buf`, in associatedData's encoding
 * (2-byte big-endian length, then the bytes), and returns the first `size` bytes.
 */
function aadWithTail(buf: Buffer, at: number, tail: readonly string[], size: number): Buffer {
  for (const p of tail) {
    buf.writeUInt16BE(p.length, at);
    buf.write(p, at + 2, 'latin1');
    at += 2 + p.length;
  }
  return buf.subarray(0, size);
}
