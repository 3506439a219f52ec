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
import { endOfLocalDay } from '../../kernel/shared/local-day.js';
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

type Test = (x: Context) => boolean;

/** Evidence within `hours` before `at`, and not set aside by a `lifted` order. */
const recent = (t: number, hours: number, x: Context) =>
  t >= x.since && t <= x.at && x.at - t <= hours * HOUR;
/** Absence conditions look at all evidence: a lifted order does not erase a recent check-in. */
const within = (t: number, hours: number, at: number) => t <= at && at - t <= hours * HOUR;

/** One condition as a predicate over parsed facts (built once per rule set). */
function compileCondition(c: Condition): Test {
  if ('order' in c) {
    const kind = c.order;
    return ({ at, since, f }) =>
      f.orders.some((o) => o.kind === kind && o.at >= since && o.at <= at && at < o.until);
  }
  if ('latestTest' in c) {
    const { result, withinHours } = c.latestTest;
    return (x) => {
      let latest: Facts['tests'][number] | undefined;
      for (const t of x.f.tests) {
        if (t.resulted <= x.at && (latest === undefined || t.sampled > latest.sampled)) {
          latest = t;
        }
      }
      return (
        latest !== undefined && latest.result === result && recent(latest.sampled, withinHours, x)
      );
    };
  }
  if ('noNegativeTestWithinHours' in c) {
    const hours = c.noNegativeTestWithinHours;
    return ({ at, f }) =>
      !f.tests.some(
        (t) => t.result === 'negative' && t.resulted <= at && within(t.sampled, hours, at),
      );
  }
  if ('temperatureAtLeast' in c) {
    const { celsius, withinHours } = c.temperatureAtLeast;
    return (x) =>
      x.f.declarations.some(
        (d) =>
          d.temperatureC !== undefined && d.temperatureC >= celsius && recent(d.t, withinHours, x),
      );
  }
  if ('symptoms' in c) {
    const hours = c.symptoms.withinHours;
    return (x) => x.f.declarations.some((d) => d.symptoms > 0 && recent(d.t, hours, x));
  }
  if ('riskArea' in c) {
    const { level, withinDays } = c.riskArea;
    return ({ at, since, f }) => {
      const from = Math.max(since, at - withinDays * 24 * HOUR);
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
    };
  }
  const hours = c.noDeclarationForHours;
  return ({ at, f }) => !f.declarations.some((d) => within(d.t, hours, at));
}

interface Compiled {
  readonly rules: ReadonlyArray<{ readonly test: Test; readonly fired: FiredRule }>;
  readonly otherwise: FiredRule;
  readonly ruleSet: { readonly id: string; readonly version: number };
}

/** Rule sets are frozen values; each is compiled once into predicates and shared fired-rule records. */
const compiledRuleSets = new WeakMap<RuleSet, Compiled>();

function compile(ruleSet: RuleSet): Compiled {
  let c = compiledRuleSets.get(ruleSet);
  if (c === undefined) {
    c = {
      rules: ruleSet.rules.map((r) => ({
        test: compileCondition(r.when),
        fired: Object.freeze({ rule: r.id, colour: r.colour, reason: r.reason }),
      })),
      otherwise: Object.freeze({
        rule: 'otherwise',
        colour: ruleSet.otherwise.colour,
        reason: ruleSet.otherwise.reason,
      }),
      ruleSet: Object.freeze({ id: ruleSet.id, version: ruleSet.version }),
    };
    compiledRuleSets.set(ruleSet, c);
  }
  return c;
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
  const compiled = compile(ruleSet);
  const fired: FiredRule[] = [];
  let colour: Colour = ruleSet.otherwise.colour;
  for (const rule of compiled.rules) {
    if (rule.test(x)) {
      if (fired.length === 0 || SEVERITY[rule.fired.colour] > SEVERITY[colour]) {
        colour = rule.fired.colour;
      }
      fired.push(rule.fired);
    }
  }
  if (fired.length === 0) {
    fired.push(compiled.otherwise);
  }
  const validUntil =
    ruleSet.validity.kind === 'end-of-day'
      ? endOfLocalDay(at, timeZone)
      : new Date(now + ruleSet.validity.hours * HOUR);
  return {
    colour,
    decidedAt: at.toISOString(),
    validUntil: validUntil.toISOString(),
    ruleSet: compiled.ruleSet,
    fired,
    inputs,
  };
}
