// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 5 — four data groups: every stored field is tagged with exactly one group
 * (basic / health / itinerary / certification) and a sensitivity flag; health, itinerary
 * (whereabouts) and all data of under-14s are sensitive (GB/T 38962-2020 §4; PIPL art. 28).
 */
import { describe, expect, it } from 'vitest';
import {
  categoriesOfGroup,
  categoryInfo,
  DATA_CATEGORIES,
  DATA_GROUPS,
  isSensitive,
} from '../../src/domain/index.js';

describe('req. 5: four data groups', () => {
  it('has exactly the four GB/T 38962 groups', () => {
    expect([...DATA_GROUPS]).toEqual(['basic', 'health', 'itinerary', 'certification']);
  });

  it('tags every category with exactly one group and a boolean sensitivity', () => {
    for (const c of DATA_CATEGORIES) {
      const info = categoryInfo(c);
      expect(
        DATA_GROUPS.filter((g) => categoriesOfGroup(g).includes(c)),
        c,
      ).toEqual([info.group]);
      expect(typeof info.sensitive).toBe('boolean');
    }
    expect(DATA_GROUPS.every((g) => categoriesOfGroup(g).length > 0)).toBe(true);
  });

  it('flags health, itinerary and certification data sensitive for everyone', () => {
    for (const g of ['health', 'itinerary', 'certification'] as const) {
      for (const c of categoriesOfGroup(g)) {
        expect(isSensitive(c, { under14: false }), c).toBe(true);
      }
    }
    expect(isSensitive('medical-history', { under14: false })).toBe(true);
  });

  it('flags every category of an under-14 sensitive', () => {
    for (const c of DATA_CATEGORIES) {
      expect(isSensitive(c, { under14: true }), c).toBe(true);
    }
    expect(isSensitive('contact', { under14: false })).toBe(false);
  });
});
