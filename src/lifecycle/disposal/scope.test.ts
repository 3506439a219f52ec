// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { decideSubject, mergeRetirements, remainingNeeds, resolveRetirement } from './scope.js';
import { sampleCatalogue } from './testing.js';
import { RetireUnknownError } from './errors.js';
import type { DataCategory } from '../../kernel/domain/index.js';

const at = new Date('2026-12-01T00:00:00Z');
const cat = sampleCatalogue();

describe('retirement', () => {
  it('retires everything for all', () => {
    const r = resolveRetirement({ kind: 'all', id: 'all' }, cat, at);
    expect(r.retiredPurposes).toEqual([
      'epidemic-control',
      'hospital',
      'public-transit',
      'statistics',
    ]);
    expect(r.categories).toHaveLength(11);
  });

  it('retires a purpose with the services that run only on it', () => {
    const r = resolveRetirement({ kind: 'purpose', id: 'epidemic-control' }, cat, at);
    expect(r.retiredPurposes).toEqual(['epidemic-control']);
    expect(r.retiredServices).toEqual([
      'antigen-self-test',
      'e-certificates',
      'health-code',
      'health-declaration',
      'trip-card',
    ]);
  });

  it('retires a service but keeps a purpose other live services use', () => {
    const r = resolveRetirement({ kind: 'service', id: 'antigen-self-test' }, cat, at);
    expect(r).toEqual({
      retiredPurposes: [],
      retiredServices: ['antigen-self-test'],
      categories: ['identity', 'test-results'],
    });
    expect(() => resolveRetirement({ kind: 'service', id: 'nope' }, cat, at)).toThrow(
      RetireUnknownError,
    );
  });

  it('merges several retirements', () => {
    const m = mergeRetirements([
      resolveRetirement({ kind: 'service', id: 'e-certificates' }, cat, at),
      resolveRetirement({ kind: 'service', id: 'health-declaration' }, cat, at),
    ]);
    expect(m.categories).toEqual(['address', 'temperature', 'symptoms', 'vaccination']);
  });
});

describe('per-subject decisions', () => {
  const held: DataCategory[] = [
    'identity',
    'contact',
    'test-results',
    'colour-decisions',
    'location-events',
  ];

  it('the 随申码 case: epidemic data goes, transit keeps only what this subject consented to', () => {
    const r = resolveRetirement({ kind: 'purpose', id: 'epidemic-control' }, cat, at);
    const consented = new Map([['public-transit', ['identity'] as DataCategory[]]]);
    const needs = remainingNeeds(cat, r, consented, at);
    expect([...needs.keys()]).toEqual(['public-transit']);
    const d = decideSubject(held, new Set(r.categories), needs.get('public-transit')!, new Map());
    expect(d).toEqual({
      erase: ['contact', 'test-results', 'location-events', 'colour-decisions'],
      restrict: [],
      keep: ['identity'],
      wholeSubject: false,
    });
    // Without consent nothing is kept and the subject goes entirely.
    const none = remainingNeeds(cat, r, new Map(), at);
    expect(decideSubject(held, new Set(r.categories), new Set(), new Map()).wholeSubject).toBe(
      true,
    );
    expect(none.size).toBe(0);
  });

  it('a service retirement keeps what live services on the same purpose still use', () => {
    const r = resolveRetirement({ kind: 'service', id: 'antigen-self-test' }, cat, at);
    const needs = remainingNeeds(cat, r, new Map(), at);
    const needed = new Set([...needs.values()].flatMap((s) => [...s]));
    const d = decideSubject(held, new Set(r.categories), needed, new Map());
    // health-code still uses identity and test-results under epidemic control.
    expect(d.keep).toEqual(['identity', 'test-results']);
    expect(d.erase).toEqual([]);
  });

  it('retain actions restrict instead of erasing; a closed window no longer counts', () => {
    const r = resolveRetirement({ kind: 'all', id: 'all' }, cat, at);
    const d = decideSubject(
      held,
      new Set(r.categories),
      new Set(),
      new Map([['test-results', 'retain']]),
    );
    expect(d.restrict).toEqual(['test-results']);
    expect(d.wholeSubject).toBe(false);
    const closed = {
      ...cat,
      purposes: cat.purposes.map((p) => ({ ...p, validTo: new Date('2026-01-01T00:00:00Z') })),
    };
    const pr = resolveRetirement({ kind: 'service', id: 'e-certificates' }, closed, at);
    expect(remainingNeeds(closed, pr, new Map(), at).size).toBe(0);
  });
});

describe('several services at once (the 粤康码 case)', () => {
  it('retires the five services together; a purpose stays while another live service uses it', () => {
    const five = 'antigen-self-test,health-declaration,e-certificates';
    const r = resolveRetirement({ kind: 'service', id: five }, cat, at);
    expect(r.retiredServices).toEqual([
      'antigen-self-test',
      'e-certificates',
      'health-declaration',
    ]);
    expect(r.retiredPurposes).toEqual([]);
    expect(r.categories).toEqual([
      'identity',
      'address',
      'temperature',
      'symptoms',
      'test-results',
      'vaccination',
    ]);
    expect(() =>
      resolveRetirement({ kind: 'service', id: 'antigen-self-test,nope' }, cat, at),
    ).toThrow(RetireUnknownError);
  });
});
