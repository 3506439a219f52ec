// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { staysOf, visitedPlaces, type PlacedInstant } from './itinerary.js';
import { dayText, localDayNumber, startOfLocalDay } from '../../kernel/shared/local-day.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
/** Events every `stepMin` minutes from `from` to `to` (local times) in `place`. */
function run(place: string, from: string, to: string, stepMin = 30): PlacedInstant[] {
  const out: PlacedInstant[] = [];
  for (let t = at(from); t <= at(to); t += stepMin * 60_000) {
    out.push({ at: t, place });
  }
  return out;
}
const cities = (events: PlacedInstant[]) =>
  visitedPlaces(events, TZ).map((v) => ({ place: v.place, days: v.days.map(dayText) }));

describe('the stay rule', () => {
  it('counts a city only for a stay over 4 hours', () => {
    expect(cities(run('r:320200', '2026-11-20T08:00:00', '2026-11-20T12:00:00'))).toEqual([]);
    expect(cities(run('r:320200', '2026-11-20T08:00:00', '2026-11-20T12:30:00'))).toEqual([
      { place: 'r:320200', days: ['2026-11-20'] },
    ]);
  });

  it('keeps a stay across gaps of up to 2 hours and splits it at a longer gap', () => {
    const bridged = [
      ...run('r:320200', '2026-11-20T08:00:00', '2026-11-20T10:00:00'),
      ...run('r:320200', '2026-11-20T12:00:00', '2026-11-20T12:30:00'),
    ];
    expect(staysOf(bridged)).toHaveLength(1);
    expect(cities(bridged)).toHaveLength(1);
    const split = [
      ...run('r:320200', '2026-11-20T08:00:00', '2026-11-20T10:00:00'),
      ...run('r:320200', '2026-11-20T12:01:00', '2026-11-20T14:30:00'),
    ];
    expect(staysOf(split)).toHaveLength(2);
    expect(cities(split)).toEqual([]);
  });

  it('ends a stay when the phone is seen elsewhere', () => {
    const events = [
      ...run('r:320200', '2026-11-20T08:00:00', '2026-11-20T11:00:00'),
      { at: at('2026-11-20T11:10:00'), place: 'r:310100' },
      ...run('r:320200', '2026-11-20T11:20:00', '2026-11-20T13:00:00'),
    ];
    expect(staysOf(events).map((s) => s.place)).toEqual(['r:320200', 'r:310100', 'r:320200']);
    expect(cities(events)).toEqual([]);
  });

  it('never splits at midnight: a night stay counts on both days', () => {
    expect(cities(run('r:310100', '2026-11-20T22:00:00', '2026-11-21T02:30:00'))).toEqual([
      { place: 'r:310100', days: ['2026-11-20', '2026-11-21'] },
    ]);
  });

  it('lists foreign countries on any stay, latest first', () => {
    const events = [
      ...run('r:320200', '2026-11-18T08:00:00', '2026-11-18T18:00:00'),
      { at: at('2026-11-19T09:00:00'), place: 'c:JP' },
    ];
    expect(cities(events)).toEqual([
      { place: 'c:JP', days: ['2026-11-19'] },
      { place: 'r:320200', days: ['2026-11-18'] },
    ]);
  });
});

describe('local days', () => {
  it('numbers days in the zone and finds where they start', () => {
    const d = localDayNumber(at('2026-11-20T00:30:00'), TZ);
    expect(dayText(d)).toBe('2026-11-20');
    expect(localDayNumber(at('2026-11-19T23:59:59'), TZ)).toBe(d - 1);
    expect(startOfLocalDay(d, TZ)).toBe(at('2026-11-20T00:00:00'));
    expect(startOfLocalDay(d, 'America/New_York')).toBe(Date.parse('2026-11-20T00:00:00-05:00'));
  });
});
