// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { VaultRecord } from '../../personal/vault/index.js';
import { relevantAreas } from './vault-source.js';
import { readVaultValues } from './vault-values.js';

let n = 0;
function rec(category: string, value: unknown, created = '2026-12-01T00:00:00Z'): VaultRecord {
  n++;
  return {
    recordId: `r${n}`,
    subjectId: 'subject-1',
    group: 'health',
    category: category as VaultRecord['category'],
    createdAt: new Date(created),
    updatedAt: new Date(created),
    value,
  };
}

describe('readVaultValues', () => {
  it('maps tests, merges temperature and symptoms of one instant, reads stays and orders', () => {
    const v = readVaultValues([
      rec('test-results', { kind: 'antigen', result: 'positive', at: '2026-11-30T08:00:00+08:00' }),
      rec('test-results', {
        kind: 'nucleic-acid',
        result: 'negative',
        sampledAt: '2026-11-29T08:00:00+08:00',
        resultAt: '2026-11-29T20:00:00+08:00',
      }),
      rec('temperature', { celsius: 37.5, at: '2026-12-01T08:00:00+08:00' }),
      rec('symptoms', { symptoms: ['cough'], at: '2026-12-01T08:00:00+08:00' }),
      rec('symptoms', { symptoms: ['none'], at: '2026-11-30T08:00:00+08:00' }),
      rec('itinerary', {
        region: '440305',
        from: '2026-11-25T00:00:00Z',
        to: '2026-11-26T00:00:00Z',
      }),
      rec('itinerary', {
        stays: [{ region: '310104', from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' }],
      }),
      rec('colour-decisions', { type: 'order', kind: 'quarantine', at: '2026-11-28T00:00:00Z' }),
    ]);
    expect(v.tests).toEqual([
      {
        kind: 'antigen',
        result: 'positive',
        sampledAt: '2026-11-30T08:00:00+08:00',
        resultAt: '2026-11-30T08:00:00+08:00',
      },
      {
        kind: 'nucleic-acid',
        result: 'negative',
        sampledAt: '2026-11-29T08:00:00+08:00',
        resultAt: '2026-11-29T20:00:00+08:00',
      },
    ]);
    expect(v.declarations).toEqual([
      { at: '2026-11-30T08:00:00+08:00', symptoms: [] },
      { at: '2026-12-01T08:00:00+08:00', temperatureC: 37.5, symptoms: ['cough'] },
    ]);
    expect(v.itinerary.map((s) => s.region)).toEqual(['440305', '310104']);
    expect(v.orders.map((o) => o.order.kind)).toEqual(['quarantine']);
    expect(v.skipped).toBe(0);
  });

  it('skips what it cannot read instead of guessing', () => {
    const v = readVaultValues([
      rec('test-results', { kind: 'pcr', result: 'negative', at: '2026-11-30T08:00:00Z' }),
      rec('temperature', { celsius: 'hot', at: '2026-12-01T08:00:00Z' }),
      rec('itinerary', { region: '4403', from: 'x', to: 'y' }),
      rec('colour-decisions', { type: 'order', kind: 'banish', at: '2026-11-28T00:00:00Z' }),
      rec('colour-decisions', { type: 'decision', colour: 'purple' }),
      rec('test-results', null),
    ]);
    expect(v).toMatchObject({
      tests: [],
      declarations: [],
      itinerary: [],
      orders: [],
      decisions: [],
    });
    expect(v.skipped).toBe(6);
  });

  it('orders stored decisions by decision time', () => {
    const d = (colour: string, decidedAt: string) => ({
      type: 'decision',
      colour,
      decidedAt,
      validUntil: '2026-12-02T00:00:00Z',
      ruleSet: { id: 'default', version: 1 },
      fired: [],
      inputs: { tests: [], declarations: [], itinerary: [], riskAreas: [], orders: [] },
    });
    const v = readVaultValues([
      rec('colour-decisions', d('green', '2026-12-01T10:00:00Z')),
      rec('colour-decisions', d('yellow', '2026-12-01T09:00:00Z')),
    ]);
    expect(v.decisions.map((x) => x.decision.colour)).toEqual(['yellow', 'green']);
    expect(v.decisions[0].decision).not.toHaveProperty('type');
  });
});

describe('relevantAreas', () => {
  it('keeps only designations in the provinces the itinerary touched (minimum necessary)', () => {
    const areas = [
      { region: '440300', level: 'high' as const, from: '2026-11-01T00:00:00Z', to: null },
      { region: '110105', level: 'medium' as const, from: '2026-11-01T00:00:00Z', to: null },
    ];
    expect(
      relevantAreas(areas, [
        { region: '440305', from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' },
      ]),
    ).toEqual([areas[0]]);
    expect(relevantAreas(areas, [])).toEqual([]);
  });
});
