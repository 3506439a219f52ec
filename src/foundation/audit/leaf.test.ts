// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { encode } from 'cborg';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { AuditLeafMalformedError } from './errors.js';
import { decodeLeaf, encodeLeaf, openSealed } from './leaf.js';

const at = new Date('2026-12-03T01:00:00Z');
const access: AuditEvent = {
  kind: 'access',
  actor: 'operator:alice',
  purpose: 'epidemic-control',
  subjectAuditId: 'a1b2c3d4e5f6a7b8',
  category: 'health',
  action: 'get',
  outcome: 'ok',
  at,
  details: { record: 'r-7', rows: 2, cached: false, note: null },
};

describe('leaf encoding', () => {
  it('is deterministic CBOR: the same event gives the same bytes whatever the key order', () => {
    const write: AuditEvent = { ...access, kind: 'write' };
    const reordered: AuditEvent = {
      outcome: 'ok',
      details: { note: null, cached: false, rows: 2, record: 'r-7' },
      at,
      action: 'get',
      category: 'health',
      subjectAuditId: 'a1b2c3d4e5f6a7b8',
      purpose: 'epidemic-control',
      actor: 'operator:alice',
      kind: 'write',
    };
    expect(encodeLeaf(write).equals(encodeLeaf(reordered))).toBe(true);
    const decoded = decodeLeaf(encodeLeaf(write));
    expect(decoded).toMatchObject({
      kind: 'write',
      sealed: false,
      subjectAuditId: 'a1b2c3d4e5f6a7b8',
    });
    expect(decoded.at.getTime()).toBe(at.getTime());
  });

  it('seals access details: only kind, time and the pseudonym stay in clear', () => {
    const key = randomBytes(32);
    const leaf = encodeLeaf(access, { period: '2026-12', key }, randomBytes(12));
    for (const secret of ['operator:alice', 'epidemic-control', 'health', 'r-7']) {
      expect(leaf.includes(Buffer.from(secret))).toBe(false);
    }
    const decoded = decodeLeaf(leaf);
    if (!decoded.sealed) {
      throw new Error('expected a sealed leaf');
    }
    expect(decoded.period).toBe('2026-12');
    expect(openSealed(decoded, key)).toEqual({
      actor: 'operator:alice',
      purpose: 'epidemic-control',
      category: 'health',
      action: 'get',
      outcome: 'ok',
      details: { record: 'r-7', rows: 2, cached: false, note: null },
    });
    expect(() => openSealed(decoded, randomBytes(32))).toThrow(AuditLeafMalformedError);
    // The header is bound: the box moved under another subject does not open.
    const moved = { ...decoded, subjectAuditId: 'ffffffffffffffff' };
    expect(() => openSealed(moved, key)).toThrow(AuditLeafMalformedError);
  });

  it('needs a key and nonce to seal, and refuses personal data', () => {
    expect(() => encodeLeaf(access)).toThrow(TypeError);
    expect(() => encodeLeaf({ ...access, kind: 'write', actor: 'citizen:13912345678' })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeLeaf({ ...access, kind: 'write', details: { who: '110105 19491231 002X' } }),
    ).toThrow(RangeError);
    expect(() => encodeLeaf({ ...access, kind: 'write', details: { x: Number.NaN } })).toThrow(
      RangeError,
    );
  });

  it('decodes strictly: not CBOR, not canonical, unknown version or kind are malformed', () => {
    const bad = [
      Buffer.from([0xff]),
      Buffer.from(encode([1, 2])),
      Buffer.from(encode({ v: 2, kind: 'write', at: 1, actor: 'a', action: 'b', outcome: 'c' })),
      Buffer.from(encode({ v: 1, kind: 'nope', at: 1, actor: 'a', action: 'b', outcome: 'c' })),
      Buffer.from(encode({ v: 1, kind: 'write', at: -1, actor: 'a', action: 'b', outcome: 'c' })),
      Buffer.from(encode({ v: 1, kind: 'access', at: 1, sealed: { period: '2026-13' } })),
      // Non-canonical: the same map with its keys out of RFC 8949 order.
      Buffer.from('a4616b6577726974656176016261740162786101', 'hex'),
    ];
    for (const b of bad) {
      expect(() => decodeLeaf(b)).toThrow(AuditLeafMalformedError);
    }
  });
});

describe('the personal-data guard', () => {
  it('never mistakes random ids for ID numbers or phones', async () => {
    const { randomUUID } = await import('node:crypto');
    for (let i = 0; i < 5000; i++) {
      const id = i % 2 ? randomUUID() : randomBytes(16).toString('base64url');
      expect(() =>
        encodeLeaf({ ...access, kind: 'write', subjectAuditId: id, details: { id } }),
      ).not.toThrow();
    }
  });
});

describe('deterministic CBOR', () => {
  it('our encoder gives cborg RFC 8949 §4.2.1 bytes for every leaf-shaped value', async () => {
    const { encode, rfc8949EncodeOptions } = await import('cborg');
    const { cbor } = await import('./cbor.js');
    const fc = (await import('fast-check')).default;
    const scalar = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: -300, max: 70_000 }),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.uint8Array({ maxLength: 300 }),
    );
    const leafShaped = fc.dictionary(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
      fc.oneof(scalar, fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 30 }), scalar)),
      { maxKeys: 70 },
    );
    // Regressions: an empty map and a map with an empty key share no cached key order.
    for (const v of [{}, { ' ': { '': false } }, { a: {} }, { a: { '': 1 } }]) {
      expect(cbor(v).equals(Buffer.from(encode(v, rfc8949EncodeOptions)))).toBe(true);
    }
    fc.assert(
      fc.property(leafShaped, (v) => {
        expect(cbor(v).equals(Buffer.from(encode(v, rfc8949EncodeOptions)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
