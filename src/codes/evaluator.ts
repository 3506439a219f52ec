// SPDX-License-Identifier: Apache-2.0
/**
 * @module The pure colour evaluator (赋码): rule set + inputs + instant + time zone → colour,
 * validity end and every rule that fired (PIPL art. 24: explainable automated decisions; DOMAIN.md
 * §6 req. 6, 8). No I/O, no clock, no randomness: the same inputs always give the same decision, so
 * a decision can be re-run to explain or correct it (纠错). The strongest colour among the fired
 * rules wins (red > yellow > gray > green); a `lifted` order sets aside all evidence older than it
 * (but not for absence conditions: lifting does not make a recent check-in disappear).
 */
import { ColourInputError } from './errors.js';
import { endOfLocalDay } from './local-day.js';
import type { Colour, ColourDecision, ColourInputs, FiredRule } from './model.js';
import type { Condition, RuleSet } from './rule-set.js';

const SEVERITY: Readonly<Record<Colour, number>> = { green: 0, gray: 1, yellow: 2, red: 3 };
const HOUR = 3_600_000;

function time(text: string, what: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) {
    throw new ColourInputError(`${what} is not a valid instant`);
  }
  return t;
}

/** True when a risk-area code covers a place (county within a designated prefecture or province). */
export function areaCovers(area: string, place: string): boolean {
  if (area === place) {
    return true;
  }
  if (area.endsWith('0000')) {
    return place.startsWith(area.slice(0, 2));
  }
  if (area.endsWith('00')) {
    // The four municipalities' single prefecture (xx0100) spans the whole municipality.
    const municipal = ['11', '12', '31', '50'].includes(area.slice(0, 2)) && area.endsWith('0100');
    return place.startsWith(area.slice(0, municipal ? 2 : 4));
  }
  return false;
}

/** The inputs with every instant parsed once (rules then compare numbers). */
interface Facts {
  readonly tests: readonly { sampled: number; resulted: number; result: string }[];
  readonly declarations: readonly { t: number; temperatureC?: number; symptoms: number }[];
  readonly stays: readonly { region: string; from: number; to: number }[];
  readonly risks: readonly { region: string; level: string; from: number; to: number }[];
  readonly orders: readonly { kind: string; at: number; until: number }[];
}

/**
 * Parsed facts per inputs object. Inputs are immutable values; a subject whose inputs did not
 * change is re-evaluated for every fresh token (every TTL), so the parse is done once per object.
 */
const parsedFacts = new WeakMap<ColourInputs, Facts>();

function facts(inputs: ColourInputs): Facts {
  let f = parsedFacts.get(inputs);
  if (f === undefined) {
    f = parseFacts(inputs);
    parsedFacts.set(inputs, f);
  }
  return f;
}

function parseFacts(inputs: ColourInputs): Facts {
  return {
    tests: inputs.tests.map((x) => ({
      sampled: time(x.sampledAt, 'test sample time'),
      resulted: time(x.resultAt, 'test result time'),
      result: x.result,
    })),
    declarations: inputs.declarations.map((d) => ({
      t: time(d.at, 'declaration time'),
      ...(d.temperatureC === undefined ? {} : { temperatureC: d.temperatureC }),
      symptoms: d.symptoms?.length ?? 0,
    })),
    stays: inputs.itinerary.map((x) => ({
      region: x.region,
      from: time(x.from, 'stay start'),
      to: time(x.to, 'stay end'),
    })),
    risks: inputs.riskAreas.map((r) => ({
      region: r.region,
      level: r.level,
      from: time(r.from, 'risk area start'),
      to: r.to === null ? Infinity : time(r.to, 'risk area end'),
    })),
    orders: inputs.orders.map((o) => ({
      kind: o.kind,
      at: time(o.at, 'order time'),
      until: o.until ? time(o.until, 'order end') : Infinity,
    })),
  };
}

interface Context {
  readonly at: number;
  /** Evidence before this instant is set aside (the latest `lifted` order). */
  readonly since: number;
  readonly f: Facts;
}

function holds(c: Condition, x: Context): boolean {
  const { at, since, f } = x;
  const recent = (t: number, hours: number) => t >= since && t <= at && at - t <= hours * HOUR;
  // Absence conditions look at all evidence: a lifted order does not erase a recent check-in.
  const within = (t: number, hours: number) => t <= at && at - t <= hours * HOUR;
  if ('order' in c) {
    return f.orders.some((o) => o.kind === c.order && o.at >= since && o.at <= at && at < o.until);
  }
  if ('latestTest' in c) {
    let latest: Facts['tests'][number] | undefined;
    for (const t of f.tests) {
      if (t.resulted <= at && (latest === undefined || t.sampled > latest.sampled)) {
        latest = t;
      }
    }
    return (
      latest !== undefined &&
      latest.result === c.latestTest.result &&
      recent(latest.sampled, c.latestTest.withinHours)
    );
  }
  if ('noNegativeTestWithinHours' in c) {
    return !f.tests.some(
      (t) =>
        t.result === 'negative' &&
        t.resulted <= at &&
        within(t.sampled, c.noNegativeTestWithinHours),
    );
  }
  if ('temperatureAtLeast' in c) {
    const { celsius, withinHours } = c.temperatureAtLeast;
    return f.declarations.some(
      (d) => d.temperatureC !== undefined && d.temperatureC >= celsius && recent(d.t, withinHours),
    );
  }
  if ('symptoms' in c) {
    return f.declarations.some((d) => d.symptoms > 0 && recent(d.t, c.symptoms.withinHours));
  }
  if ('riskArea' in c) {
    const from = Math.max(since, at - c.riskArea.withinDays * 24 * HOUR);
    const level = c.riskArea.level;
    return f.stays.some((s) => {
      // A stay overlapping [from, at] in a place designated at `level` or higher during the overlap.
      const a = Math.max(s.from, from);
      const b = Math.min(s.to, at);
      return (
        a < b &&
        f.risks.some(
          (r) =>
            (level === 'medium' || r.level === 'high') &&
            r.from < b &&
            a < r.to &&
            areaCovers(r.region, s.region),
        )
      );
    });
  }
  return !f.declarations.some((d) => within(d.t, c.noDeclarationForHours));
}

/**
 * Evaluates a rule set at an instant.
 *
 * @example
 * const d = evaluateColour(builtInRuleSet(), inputs, new Date(), 'Asia/Shanghai');
 * d.colour; d.validUntil; d.fired.map((f) => f.reason);
 */
export function evaluateColour(
  ruleSet: RuleSet,
  inputs: ColourInputs,
  at: Date,
  timeZone: string,
): ColourDecision {
  const now = at.getTime();
  if (Number.isNaN(now)) {
    throw new RangeError('"at" expected a valid Date');
  }
  const f = facts(inputs);
  let since = -Infinity;
  for (const o of f.orders) {
    if (o.kind === 'lifted' && o.at <= now && o.at > since) {
      since = o.at;
    }
  }
  const x: Context = { at: now, since, f };
  const fired: FiredRule[] = [];
  let colour: Colour = ruleSet.otherwise.colour;
  for (const rule of ruleSet.rules) {
    if (holds(rule.when, x)) {
      fired.push({ rule: rule.id, colour: rule.colour, reason: rule.reason });
    }
  }
  if (fired.length === 0) {
    fired.push({ rule: 'otherwise', colour, reason: ruleSet.otherwise.reason });
  } else {
    colour = fired.reduce<Colour>(
      (c, f) => (SEVERITY[f.colour] > SEVERITY[c] ? f.colour : c),
      fired[0].colour,
    );
  }
  const validUntil =
    ruleSet.validity.kind === 'end-of-day'
      ? endOfLocalDay(at, timeZone)
      : new Date(now + ruleSet.validity.hours * HOUR);
  return {
    colour,
    decidedAt: at.toISOString(),
    validUntil: validUntil.toISOString(),
    ruleSet: { id: ruleSet.id, version: ruleSet.version },
    fired,
    inputs,
  };
}
