// SPDX-License-Identifier: Apache-2.0
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataCategory } from '../../kernel/domain/index.js';
import { decideAccess, type ConsentFacts, type GuardFacts, type PurposeFacts } from './guard.js';
import type { LegalBasis } from './model.js';

const AT = new Date('2026-06-01T10:00:00+08:00');
const H = 3600_000;

type Window = 'before' | 'open' | 'inside' | 'after';
type ConsentKind =
  'none' | 'general' | 'separate' | 'general-guardian' | 'separate-guardian' | 'future';
type Withdrawal = 'none' | 'before' | 'after';

interface Row {
  known: boolean;
  inPurpose: boolean;
  basis: LegalBasis;
  window: Window;
  category: DataCategory;
  under14: boolean;
  consent: ConsentKind;
  withdrawal: Withdrawal;
  restricted: boolean;
}

function purposeFor(r: Row): PurposeFacts | undefined {
  if (!r.known) {
    return undefined;
  }
  const from =
    r.window === 'before' ? new Date(AT.getTime() + H) : new Date(AT.getTime() - 100 * H);
  const to =
    r.window === 'open' || r.window === 'before'
      ? null
      : r.window === 'inside'
        ? new Date(AT.getTime() + H)
        : AT; // validTo is exclusive: a window ending exactly now is closed
  // A purpose without the category still processes another one.
  const other: DataCategory = r.category === 'address' ? 'contact' : 'address';
  const categories: DataCategory[] = r.inPurpose ? [r.category, other] : [other];
  return { id: 'p', legalBasis: r.basis, validFrom: from, validTo: to, categories };
}

function consentFor(r: Row): ConsentFacts | undefined {
  if (r.consent === 'none') {
    return undefined;
  }
  const grantedAt =
    r.consent === 'future' ? new Date(AT.getTime() + H) : new Date(AT.getTime() - 10 * H);
  const withdrawnAt =
    r.withdrawal === 'none'
      ? null
      : r.withdrawal === 'before'
        ? new Date(AT.getTime() - H)
        : new Date(AT.getTime() + H);
  return {
    grantedAt,
    withdrawnAt,
    separate: r.consent === 'separate' || r.consent === 'separate-guardian',
    byGuardian: r.consent === 'general-guardian' || r.consent === 'separate-guardian',
  };
}

function facts(r: Row): GuardFacts {
  return {
    purpose: purposeFor(r),
    category: r.category,
    at: AT,
    restricted: r.restricted,
    under14: r.under14,
    consent: consentFor(r),
  };
}

/** The expected reason, written as the legal rule reads (DOMAIN.md §6 req. 9, 10, 13). */
function expected(r: Row): string {
  if (!r.known) {
    return 'unknown-purpose';
  }
  if (!r.inPurpose) {
    return 'category-not-in-purpose';
  }
  if (r.restricted) {
    return 'restricted'; // art. 47 para. 2: nothing but storage and security
  }
  if (r.window === 'before') {
    return 'basis-not-yet-valid';
  }
  if (r.window === 'after') {
    return 'basis-expired'; // a retired purpose's basis is closed
  }
  if (r.basis !== '13(1)') {
    return 'statutory-basis'; // art. 13(4): no consent needed
  }
  if (r.consent === 'none' || r.consent === 'future') {
    return 'no-consent';
  }
  if (r.withdrawal === 'before') {
    return 'consent-withdrawn';
  }
  const sensitive = r.category !== 'contact' || r.under14; // contact is the one non-sensitive here
  const separate = r.consent.startsWith('separate');
  if (sensitive && !separate) {
    return 'separate-consent-missing'; // art. 29
  }
  if (r.under14 && !r.consent.endsWith('guardian')) {
    return 'guardian-consent-missing'; // art. 31
  }
  return 'consent';
}

function* allRows(): Generator<Row> {
  for (const known of [true, false]) {
    for (const inPurpose of [true, false]) {
      for (const basis of ['13(1)', '13(4)', '13(3)'] as const) {
        for (const window of ['before', 'open', 'inside', 'after'] as const) {
          for (const category of ['contact', 'test-results'] as const) {
            for (const under14 of [false, true]) {
              for (const consent of [
                'none',
                'general',
                'separate',
                'general-guardian',
                'separate-guardian',
                'future',
              ] as const) {
                for (const withdrawal of ['none', 'before', 'after'] as const) {
                  for (const restricted of [false, true]) {
                    yield {
                      known,
                      inPurpose,
                      basis,
                      window,
                      category,
                      under14,
                      consent,
                      withdrawal,
                      restricted,
                    };
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

describe('the guard matrix: basis × window × sensitivity × age × consent × withdrawal × restriction', () => {
  it('decides every combination as the rules say, with exactly one reason', () => {
    let n = 0;
    let allowed = 0;
    for (const row of allRows()) {
      const d = decideAccess(facts(row));
      const want = expected(row);
      expect({ row, reason: d.reason }).toEqual({ row, reason: want });
      expect(d.allowed).toBe(want === 'statutory-basis' || want === 'consent');
      if (row.known) {
        expect(d.basis).toBe(row.basis);
      }
      n++;
      allowed += d.allowed ? 1 : 0;
    }
    expect(n).toBe(2 * 2 * 3 * 4 * 2 * 2 * 6 * 3 * 2);
    expect(allowed).toBeGreaterThan(0);
  });

  it.each([
    [
      'epidemic control needs no consent',
      { basis: '13(4)', consent: 'none' },
      true,
      'statutory-basis',
    ],
    [
      'transit with a separate consent',
      { category: 'test-results', consent: 'separate' },
      true,
      'consent',
    ],
    [
      'transit bundled into general terms',
      { category: 'test-results', consent: 'general' },
      false,
      'separate-consent-missing',
    ],
    [
      'a non-sensitive category with general consent',
      { category: 'contact', consent: 'general' },
      true,
      'consent',
    ],
    [
      'an under-14 without a guardian',
      { under14: true, consent: 'separate' },
      false,
      'guardian-consent-missing',
    ],
    [
      'an under-14 with a guardian',
      { under14: true, consent: 'separate-guardian' },
      true,
      'consent',
    ],
    [
      'under-14 contact data is sensitive too',
      { under14: true, category: 'contact', consent: 'general-guardian' },
      false,
      'separate-consent-missing',
    ],
    [
      'withdrawn an hour ago',
      { consent: 'separate', withdrawal: 'before' },
      false,
      'consent-withdrawn',
    ],
    [
      'withdrawal scheduled for later',
      { consent: 'separate', withdrawal: 'after' },
      true,
      'consent',
    ],
    [
      'restricted data, even under statute',
      { basis: '13(4)', restricted: true },
      false,
      'restricted',
    ],
    ['a retired purpose', { basis: '13(4)', window: 'after' }, false, 'basis-expired'],
  ] as const)('%s', (_name, over, allowed, reason) => {
    const row: Row = {
      known: true,
      inPurpose: true,
      basis: '13(1)',
      window: 'open',
      category: 'test-results',
      under14: false,
      consent: 'none',
      withdrawal: 'none',
      restricted: false,
      ...over,
    };
    expect(decideAccess(facts(row))).toMatchObject({ allowed, reason });
  });
});

describe('guard properties', () => {
  const arbRow = fc.record<Row>({
    known: fc.boolean(),
    inPurpose: fc.boolean(),
    basis: fc.constantFrom<LegalBasis>(
      '13(1)',
      '13(2)',
      '13(3)',
      '13(4)',
      '13(5)',
      '13(6)',
      '13(7)',
    ),
    window: fc.constantFrom<Window>('before', 'open', 'inside', 'after'),
    category: fc.constantFrom<DataCategory>(
      'identity',
      'contact',
      'address',
      'medical-history',
      'temperature',
      'symptoms',
      'test-results',
      'vaccination',
      'location-events',
      'itinerary',
      'colour-decisions',
    ),
    under14: fc.boolean(),
    consent: fc.constantFrom<ConsentKind>(
      'none',
      'general',
      'separate',
      'general-guardian',
      'separate-guardian',
      'future',
    ),
    withdrawal: fc.constantFrom<Withdrawal>('none', 'before', 'after'),
    restricted: fc.boolean(),
  });

  it('never allows restricted data, a closed window, or a category outside the purpose', () => {
    fc.assert(
      fc.property(arbRow, (r) => {
        const d = decideAccess(facts(r));
        if (
          r.restricted ||
          r.window === 'before' ||
          r.window === 'after' ||
          !r.inPurpose ||
          !r.known
        ) {
          expect(d.allowed).toBe(false);
        }
      }),
    );
  });

  it('under consent, allows only with a consent granted before and not withdrawn by then', () => {
    fc.assert(
      fc.property(arbRow, (r) => {
        const d = decideAccess(facts(r));
        if (r.basis === '13(1)' && d.allowed) {
          expect(r.consent).not.toBe('none');
          expect(r.consent).not.toBe('future');
          expect(r.withdrawal).not.toBe('before');
        }
      }),
    );
  });

  it('a statutory basis inside its window ignores consent entirely (art. 16: core never blocked)', () => {
    fc.assert(
      fc.property(
        arbRow,
        fc.constantFrom<ConsentKind>('none', 'general', 'separate'),
        (r, other) => {
          fc.pre(r.basis !== '13(1)');
          const a = decideAccess(facts(r));
          const b = decideAccess(facts({ ...r, consent: other }));
          expect(a).toEqual(b);
        },
      ),
    );
  });
});
