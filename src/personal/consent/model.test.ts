// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { BUILTIN_PURPOSES } from './catalogue/purposes.js';
import { BUILTIN_SERVICES } from './catalogue/services.js';
import { isOpaqueSubjectId } from './internal.js';
import {
  addRetention,
  derivedConsentRules,
  isRetention,
  purposeProblems,
  serviceProblems,
  type Purpose,
  type Service,
} from './model.js';
import { noticeHash, renderPrivacyPolicy, renderUserAgreement } from './notice-render.js';

const purposes: Purpose[] = BUILTIN_PURPOSES.map((s) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  legalBasis: s.legalBasis,
  validFrom: new Date(s.validFrom),
  validTo: null,
  categories: s.categories,
  retention: s.retention,
  recipients: s.recipients,
  builtin: true,
  ...derivedConsentRules(s.legalBasis, s.categories),
}));
const byId = new Map(purposes.map((p) => [p.id, p]));
const services: Service[] = BUILTIN_SERVICES.map((s) => ({
  ...s,
  validFrom: new Date(s.validFrom),
  validTo: null,
  builtin: true,
}));

describe('the built-in catalogue', () => {
  it('has the five purposes with their PIPL art. 13 bases, and every entry is sound', () => {
    expect(purposes.map((p) => [p.id, p.legalBasis])).toEqual([
      ['epidemic-control', '13(4)'],
      ['public-transit', '13(1)'],
      ['hospital', '13(1)'],
      ['government-services', '13(1)'],
      ['statistics', '13(1)'],
    ]);
    for (const p of purposes) {
      expect(purposeProblems(p), p.id).toEqual([]);
      expect(BUILTIN_PURPOSES.find((s) => s.id === p.id)?.pia, p.id).toBeDefined();
    }
  });

  it('maps the nine services onto purposes that cover their categories; core ones are statutory', () => {
    expect(services.map((s) => s.id)).toEqual([
      'health-code',
      'antigen-self-test',
      'elderly-child-help',
      'health-declaration',
      'e-certificates',
      'epidemic-workbench',
      'trip-card',
      'transit-code',
      'hospital-code',
    ]);
    for (const s of services) {
      expect(serviceProblems(s, byId), s.id).toEqual([]);
    }
  });

  it('derives separate consent (art. 29) and guardian rules (art. 31) from basis and categories', () => {
    expect(derivedConsentRules('13(1)', ['contact'])).toEqual({
      separateConsent: false,
      guardianRule: 'guardian-under-14',
    });
    expect(derivedConsentRules('13(1)', ['contact', 'itinerary'])).toEqual({
      separateConsent: true,
      guardianRule: 'guardian-under-14',
    });
    expect(derivedConsentRules('13(4)', ['itinerary'])).toEqual({
      separateConsent: false,
      guardianRule: 'none',
    });
    const wrong = { ...byId.get('hospital')!, separateConsent: false };
    expect(purposeProblems(wrong).join()).toMatch(/art\. 29/);
  });
});

describe('retention and ids', () => {
  it('reads ISO 8601 date durations', () => {
    expect(['P30D', 'P1Y', 'P1Y6M', 'P2W', 'P3Y2M1W4D'].every(isRetention)).toBe(true);
    expect(['P', '30D', 'PT1H', 'P1.5Y', ''].some(isRetention)).toBe(false);
    const from = new Date('2026-01-31T00:00:00Z');
    expect(addRetention(from, 'P30D').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(addRetention(from, 'P1Y').toISOString()).toBe('2027-01-31T00:00:00.000Z');
    expect(() => addRetention(from, 'soon')).toThrow(RangeError);
  });

  it('accepts opaque subject ids and refuses ID numbers and phones in their place', () => {
    expect(
      ['subj-1', '9f1c2d3e-aaaa-4bbb-8ccc-123456789abc', 'resident:42'].every(isOpaqueSubjectId),
    ).toBe(true);
    expect(
      ['11010519491231002X', '110105491231002', '+8613800138000', '13800138000', 'a', ''].some(
        isOpaqueSubjectId,
      ),
    ).toBe(false);
  });
});

describe('notices (PIPL art. 17)', () => {
  const input = {
    controller: { name: 'Test City Big-Data Centre', contact: 'privacy@test.example' },
    purposes,
    services,
  };

  it('state controller, purposes, categories, retention and rights, in Chinese and English', () => {
    for (const lang of ['zh', 'en'] as const) {
      const body = renderPrivacyPolicy(input, lang);
      expect(body).toContain('Test City Big-Data Centre');
      expect(body).toContain('privacy@test.example');
      for (const p of purposes) {
        expect(body).toContain(`(${p.id})`);
        expect(body).toContain(p.retention);
      }
      expect(body).toContain('location-events');
      expect(body).toContain('healthcode request open');
      expect(body).toMatch(lang === 'zh' ? /15 个工作日/ : /15 working days/);
    }
    expect(renderPrivacyPolicy(input, 'zh')).toContain('第二十九条');
  });

  it('are identified by the SHA-256 of their text, which is stable and changes with the content', () => {
    const a = renderPrivacyPolicy(input, 'en');
    expect(noticeHash(a)).toBe(noticeHash(renderPrivacyPolicy(input, 'en')));
    expect(noticeHash(a)).toMatch(/^[0-9a-f]{64}$/);
    const fewer = renderPrivacyPolicy({ ...input, purposes: purposes.slice(0, 4) }, 'en');
    expect(noticeHash(fewer)).not.toBe(noticeHash(a));
    const ua = renderUserAgreement(input, 'en', noticeHash(a));
    expect(ua).toContain(`sha256:${noticeHash(a)}`);
    expect(ua).toContain('Transit code (transit-code, optional service)');
  });
});
