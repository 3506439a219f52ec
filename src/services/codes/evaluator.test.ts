// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { areaCovers, evaluateColour } from './evaluator.js';
import { endOfLocalDay } from '../../kernel/shared/local-day.js';
import type { ColourInputs } from './model.js';
import { builtInRuleSet, parseRuleSet, ruleSetLabel } from './rule-set.js';

const AT = new Date('2026-12-01T10:00:00+08:00');
const h = (hoursBefore: number) => new Date(AT.getTime() - hoursBefore * 3_600_000).toISOString();
const rules = builtInRuleSet();

const base: ColourInputs = {
  tests: [],
  declarations: [{ at: h(2), temperatureC: 36.6, symptoms: [] }],
  itinerary: [],
  riskAreas: [],
  orders: [],
};
const evalWith = (patch: Partial<ColourInputs>) =>
  evaluateColour(rules, { ...base, ...patch }, AT, 'Asia/Shanghai');

describe('the colour evaluator', () => {
  it('is green with nothing abnormal, valid until 24:00 local time', () => {
    const d = evalWith({});
    expect(d.colour).toBe('green');
    expect(d.validUntil).toBe('2026-12-01T16:00:00.000Z');
    expect(d.decidedAt).toBe(AT.toISOString());
    expect(d.ruleSet).toEqual({ id: 'default', version: 1 });
    expect(d.fired).toEqual([
      { rule: 'otherwise', colour: 'green', reason: 'No anomaly in the data.' },
    ]);
    expect(ruleSetLabel(rules)).toBe('default@1');
  });

  it('is red after a positive test and green again once the order is lifted', () => {
    const positive = {
      tests: [
        {
          kind: 'nucleic-acid' as const,
          result: 'positive' as const,
          sampledAt: h(30),
          resultAt: h(20),
        },
      ],
    };
    expect(evalWith(positive).colour).toBe('red');
    expect(evalWith({ ...positive, orders: [{ kind: 'lifted', at: h(1) }] }).colour).toBe('green');
  });

  it('ignores a result that is not yet known at the evaluation time', () => {
    const pending = [
      { kind: 'antigen' as const, result: 'positive' as const, sampledAt: h(3), resultAt: h(-1) },
    ];
    expect(evalWith({ tests: pending }).colour).toBe('green');
  });

  it('is yellow for fever or symptoms within 24 h, not for older ones', () => {
    expect(evalWith({ declarations: [{ at: h(3), temperatureC: 37.3 }] }).colour).toBe('yellow');
    expect(evalWith({ declarations: [{ at: h(3), symptoms: ['cough'] }] }).colour).toBe('yellow');
    const old = evalWith({
      declarations: [
        { at: h(30), temperatureC: 38.5 },
        { at: h(1), temperatureC: 36.5 },
      ],
    });
    expect(old.colour).toBe('green');
  });

  it('turns gray when declarations lapsed for 3 days', () => {
    const d = evalWith({ declarations: [{ at: h(80), temperatureC: 36.5 }] });
    expect(d.colour).toBe('gray');
    expect(d.fired.map((f) => f.rule)).toEqual(['declaration.lapsed']);
  });

  it('matches itineraries against risk areas at county, prefecture and province level', () => {
    const stay = [{ region: '310104', from: h(100), to: h(90) }];
    const area = (region: string, level: 'high' | 'medium') => [
      { region, level, from: h(300), to: null },
    ];
    expect(evalWith({ itinerary: stay, riskAreas: area('310104', 'high') }).colour).toBe('yellow');
    expect(evalWith({ itinerary: stay, riskAreas: area('310100', 'high') }).colour).toBe('yellow');
    expect(evalWith({ itinerary: stay, riskAreas: area('310000', 'medium') }).colour).toBe(
      'yellow',
    );
    const tenDaysAgo = [{ region: '310104', from: h(250), to: h(240) }];
    expect(evalWith({ itinerary: tenDaysAgo, riskAreas: area('310000', 'medium') }).colour).toBe(
      'green',
    );
    expect(evalWith({ itinerary: tenDaysAgo, riskAreas: area('310000', 'high') }).colour).toBe(
      'yellow',
    );
    expect(evalWith({ itinerary: stay, riskAreas: area('320100', 'high') }).colour).toBe('green');
    // A designation that started after the stay ended does not count.
    const lateArea = [{ region: '310104', level: 'high' as const, from: h(50), to: null }];
    expect(evalWith({ itinerary: stay, riskAreas: lateArea }).colour).toBe('green');
    expect(areaCovers('440300', '440305')).toBe(true);
    expect(areaCovers('110100', '110105')).toBe(true);
    expect(areaCovers('440305', '440306')).toBe(false);
  });

  it('lets the strongest colour win and reports every fired rule', () => {
    const d = evalWith({
      declarations: [{ at: h(2), temperatureC: 38 }],
      orders: [{ kind: 'quarantine', at: h(5), until: null }],
    });
    expect(d.colour).toBe('red');
    expect(d.fired.map((f) => f.rule)).toEqual(['order.quarantine', 'declaration.fever']);
  });

  it('ends an order at its end time', () => {
    const order = [{ kind: 'home-observation' as const, at: h(200), until: h(1) }];
    expect(evalWith({ orders: order }).colour).toBe('green');
  });

  it('is deterministic: the recorded inputs reproduce the decision', () => {
    const d = evalWith({ declarations: [{ at: h(3), symptoms: ['fever'] }] });
    expect(evaluateColour(rules, d.inputs, new Date(d.decidedAt), 'Asia/Shanghai')).toEqual(d);
  });

  it('supports a validity of N hours', () => {
    const r = parseRuleSet({ ...rules, id: 'short', validity: { kind: 'hours', hours: 6 } });
    expect(evaluateColour(r, base, AT, 'Asia/Shanghai').validUntil).toBe(
      '2026-12-01T08:00:00.000Z',
    );
  });

  it('refuses malformed rule sets and inputs with typed errors', () => {
    expect(() => parseRuleSet({ ...rules, version: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_CODES_RULE_SET' }),
    );
    expect(() =>
      parseRuleSet({ ...rules, rules: [{ ...rules.rules[0], when: { moon: 'full' } }] }),
    ).toThrow(/rule set/);
    expect(() => parseRuleSet({ ...rules, rules: [rules.rules[0], rules.rules[0]] })).toThrow(
      /unique/,
    );
    expect(() => evalWith({ declarations: [{ at: 'yesterday' }] })).toThrow(
      expect.objectContaining({ code: 'ERR_CODES_COLOUR_INPUT' }),
    );
  });
});

describe('end of the local day', () => {
  it('is the next local midnight, in any zone', () => {
    expect(
      endOfLocalDay(new Date('2026-12-01T23:59:59+08:00'), 'Asia/Shanghai').toISOString(),
    ).toBe('2026-12-01T16:00:00.000Z');
    expect(
      endOfLocalDay(new Date('2026-12-02T00:00:00+08:00'), 'Asia/Shanghai').toISOString(),
    ).toBe('2026-12-02T16:00:00.000Z');
    // The day before a DST change in Berlin is 23 hours long.
    expect(
      endOfLocalDay(new Date('2026-03-29T01:00:00+01:00'), 'Europe/Berlin').toISOString(),
    ).toBe('2026-03-29T22:00:00.000Z');
    expect(endOfLocalDay(new Date('2026-12-31T20:00:00Z'), 'UTC').toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});
