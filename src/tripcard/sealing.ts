// SPDX-License-Identifier: Apache-2.0
/**
 * @module How events are kept (docs/tripcard.md "Row layout"): each carrier event id becomes a
 * keyed blind index (HMAC-SHA-256, RFC 2104, under the instance lookup key with its own label,
 * truncated to 128 bits), and a bundle's instants and places are sealed with AES-256-GCM (NIST SP
 * 800-38D) under the subscriber's `itinerary` data key, the row's table, subject, day, bundle id,
 * event indexes and key generation bound as associated data — a ciphertext moved to another row,
 * subject or day, or with its index list edited, does not open.
 */
import { associatedData, hmacSha256, open, seal, type NonceSource } from '../crypto/index.js';

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
