// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 6 — colour model: colour is one of `green|yellow|red|gray` plus the rule-set
 * version and inputs used; no colour without its issue time and validity end (e.g. 24:00 the same
 * day, as in Beijing); a code past its validity verifies as not valid.
 */
import { describe, expect, it } from 'vitest';
import { FixedClock, systemRandom } from '../../src/kernel/shared/index.js';
import {
  COLOURS,
  MemoryIssuer,
  builtInRuleSet,
  evaluateColour,
  ruleSetLabel,
  verifyToken,
  type ColourInputs,
} from '../../src/services/codes/index.js';

const AT = new Date('2026-12-01T10:00:00+08:00');
const inputs: ColourInputs = {
  tests: [],
  declarations: [{ at: '2026-12-01T09:00:00+08:00', temperatureC: 36.4 }],
  itinerary: [],
  riskAreas: [],
  orders: [],
};

describe('req. 6: colour model', () => {
  it('has exactly four string colours, gray meaning expired or unavailable', () => {
    expect(COLOURS).toEqual(['green', 'yellow', 'red', 'gray']);
    const lapsed = evaluateColour(
      builtInRuleSet(),
      { ...inputs, declarations: [{ at: '2026-11-27T09:00:00+08:00', temperatureC: 36.4 }] },
      AT,
      'Asia/Shanghai',
    );
    expect(lapsed.colour).toBe('gray');
  });

  it('records rule-set version and inputs, and never gives a colour without issue time and validity end', () => {
    const d = evaluateColour(builtInRuleSet(), inputs, AT, 'Asia/Shanghai');
    expect(d).toMatchObject({
      colour: 'green',
      decidedAt: '2026-12-01T02:00:00.000Z',
      validUntil: '2026-12-01T16:00:00.000Z', // 24:00 Beijing time that day
      ruleSet: { id: 'default', version: 1 },
      inputs,
    });
  });

  it('puts the colour, its window and the rule-set version in the token; past its validity it is not valid', () => {
    const clock = new FixedClock('2026-12-01T23:50:00+08:00');
    const issuer = new MemoryIssuer({ issuer: 'hc.example/req6', clock, random: systemRandom });
    const d = evaluateColour(builtInRuleSet(), inputs, clock.now(), 'Asia/Shanghai');
    const t = issuer.issue({
      colour: d.colour,
      validUntil: new Date(d.validUntil),
      maskedName: '赵*',
      ruleSet: ruleSetLabel(builtInRuleSet()),
    });
    const bundle = issuer.trustBundle();
    const ok = verifyToken(t.text, { ...bundle, at: new Date('2026-12-01T23:55:00+08:00') });
    expect(ok).toMatchObject({ ok: true, colour: 'green', validUntil: '2026-12-01T16:00:00.000Z' });
    expect(ok.validFrom).toBeDefined();
    const after = verifyToken(t.text, { ...bundle, at: new Date('2026-12-02T00:00:00+08:00') });
    expect(after).toMatchObject({ ok: false, reason: 'expired' });
    expect(after.colour).toBeUndefined();
  });
});
