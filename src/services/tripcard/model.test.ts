// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseRecord, parseRfc3339Instant, placeOf } from './model.js';

const cells = new Map([['883098d0a3fffff', '320200']]);
const ctx = {
  cells,
  from: Date.parse('2026-11-13T00:00:00+08:00'),
  to: Date.parse('2026-11-27T12:00:00+08:00'),
};
const base = { id: 'ev.1', phone: '13912345678', time: '2026-11-20T08:00:00+08:00' };

const reason = (raw: unknown) => {
  const r = parseRecord(raw, ctx);
  return r.ok ? 'ok' : r.reason;
};

describe('parseRecord', () => {
  it('maps a cell to its prefecture-level city and normalises the phone', () => {
    const r = parseRecord({ ...base, cell: '883098D0A3FFFFF' }, ctx);
    expect(r).toEqual({
      ok: true,
      event: { id: 'ev.1', phone: '+8613912345678', at: Date.parse(base.time), place: 'r:320200' },
    });
  });

  it('folds regions to prefecture level, municipalities as xx0100, and keeps countries', () => {
    const place = (extra: object) => {
      const r = parseRecord({ ...base, ...extra }, ctx);
      return r.ok ? placeOf(r.event.place) : r.reason;
    };
    expect(place({ region: '110105' })).toEqual({ region: '110100' });
    expect(place({ region: '310000' })).toEqual({ region: '310100' });
    expect(place({ region: '440507' })).toEqual({ region: '440500' });
    expect(place({ country: 'jp' })).toEqual({ country: 'JP' });
  });

  it('rejects each kind of bad input with its reason', () => {
    expect(reason(null)).toBe('malformed');
    expect(reason({ phone: '13912345678', time: base.time, cell: 'x' })).toBe('malformed');
    expect(reason({ ...base, id: 'has space', region: '320200' })).toBe('invalid-id');
    expect(reason({ ...base, phone: '010-12345678', region: '320200' })).toBe('invalid-phone');
    expect(reason({ ...base, phone: '+4412345678901', region: '320200' })).toBe('invalid-phone');
    expect(reason({ ...base, time: '2026-11-20 08:00', region: '320200' })).toBe('invalid-time');
    expect(reason({ ...base, time: '2026-02-30T08:00:00Z', region: '320200' })).toBe(
      'invalid-time',
    );
    expect(reason({ ...base, time: '2026-11-28T08:00:00+08:00', region: '320200' })).toBe(
      'future-time',
    );
    expect(reason({ ...base, time: '2026-11-12T23:59:59+08:00', region: '320200' })).toBe(
      'out-of-window',
    );
    expect(reason({ ...base })).toBe('missing-place');
    expect(reason({ ...base, region: '320200', country: 'JP' })).toBe('several-places');
    expect(reason({ ...base, cell: '883098d0a3ffffe' })).toBe('unknown-cell');
    expect(reason({ ...base, region: '999999' })).toBe('unknown-region');
    expect(reason({ ...base, region: '320200001' })).toBe('unknown-region');
    expect(reason({ ...base, country: 'XX' })).toBe('unknown-country');
    expect(reason({ ...base, country: 'CN' })).toBe('unknown-country');
    expect(reason({ ...base, country: 'JPN' })).toBe('unknown-country');
  });

  it('parses RFC 3339 instants with an offset only', () => {
    expect(parseRfc3339Instant('2026-11-20T08:00:00.5+08:00')).toBe(
      Date.parse('2026-11-20T00:00:00.5Z'),
    );
    expect(parseRfc3339Instant('2026-11-20T08:00:00')).toBeNaN();
  });
});
