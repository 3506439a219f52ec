// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import type { SubjectDecision } from './model.js';
import { retiredStores, withRetiredStores } from './service-stores.js';

const keepAll = (keep: SubjectDecision['keep']): SubjectDecision => ({
  erase: [],
  restrict: [],
  keep,
  wholeSubject: false,
});

describe('stores only retired services used', () => {
  it('the trip card’s event table is retired with the trip-card service alone', () => {
    expect(retiredStores(['trip-card']).map((s) => s.id)).toEqual(['db:tripcard_event']);
    expect(retiredStores(['health-code', 'transit-code'])).toEqual([]);
    const [s] = retiredStores(['trip-card', 'health-code']);
    expect(s).toMatchObject({ keyScope: 'itinerary', registration: ['contact'] });
  });

  const stores = retiredStores(['trip-card']);
  const rows = new Map([['db:tripcard_event', 3]]);

  it('a subscriber holding only its registration goes entirely', () => {
    const d = withRetiredStores(['contact'], keepAll(['contact']), rows, stores);
    expect(d).toEqual({
      erase: ['contact', 'location-events'],
      restrict: [],
      keep: [],
      wholeSubject: true,
    });
  });

  it('vault data of the same scope another purpose keeps keeps the key; the rows still go', () => {
    const held = ['contact', 'location-events'] as const;
    const d = withRetiredStores(held, keepAll(held), rows, stores);
    expect(d).toEqual(keepAll(held));
  });

  it('no vault data of the store’s scope: the scope’s key is destroyed, the rest stays', () => {
    const held = ['contact', 'test-results'] as const;
    const d = withRetiredStores(held, keepAll(held), rows, stores);
    expect(d).toEqual({ ...keepAll(held), erase: ['location-events'] });
  });

  it('restricted data keeps the subject', () => {
    const d: SubjectDecision = { erase: [], restrict: ['contact'], keep: [], wholeSubject: false };
    expect(withRetiredStores(['contact'], d, rows, stores).wholeSubject).toBe(false);
  });

  it('subjects without rows in a retired store are left as decided', () => {
    const d = keepAll(['contact']);
    expect(withRetiredStores(['contact'], d, new Map(), stores)).toBe(d);
    expect(withRetiredStores(['contact'], d, rows, [])).toBe(d);
  });
});
