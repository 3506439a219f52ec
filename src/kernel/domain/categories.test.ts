// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  DATA_CATEGORIES,
  DATA_GROUPS,
  categoriesOfGroup,
  categoryInfo,
  isDataCategory,
  isSensitive,
} from './categories.js';

describe('data categories and GB/T 38962 groups', () => {
  it('maps every category to exactly one group, and the groups partition the list', () => {
    const seen = DATA_GROUPS.flatMap((g) => categoriesOfGroup(g));
    expect([...seen].sort()).toEqual([...DATA_CATEGORIES].sort());
    expect(new Set(seen).size).toBe(DATA_CATEGORIES.length);
    expect(categoriesOfGroup('basic')).toEqual([
      'identity',
      'contact',
      'address',
      'medical-history',
    ]);
    expect(categoriesOfGroup('health')).toEqual(['temperature', 'symptoms']);
    expect(categoriesOfGroup('itinerary')).toEqual(['location-events', 'itinerary']);
    expect(categoriesOfGroup('certification')).toEqual([
      'test-results',
      'vaccination',
      'colour-decisions',
    ]);
  });

  it('flags health, whereabouts and identity sensitive, and everything for under-14s', () => {
    for (const c of DATA_CATEGORIES) {
      expect(isSensitive(c, { under14: true })).toBe(true);
      const { group } = categoryInfo(c);
      if (group === 'health' || group === 'itinerary' || group === 'certification') {
        expect(isSensitive(c, { under14: false }), c).toBe(true);
      }
    }
    expect(isSensitive('contact', { under14: false })).toBe(false);
    expect(isSensitive('address', { under14: false })).toBe(false);
    expect(isSensitive('identity', { under14: false })).toBe(true);
    expect(isSensitive('medical-history', { under14: false })).toBe(true);
  });

  it('refuses unknown names as caller bugs', () => {
    expect(isDataCategory('email')).toBe(false);
    expect(() => categoryInfo('email' as never)).toThrow(RangeError);
    expect(() => categoriesOfGroup('misc' as never)).toThrow(RangeError);
  });
});
