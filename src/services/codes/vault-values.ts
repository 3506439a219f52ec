// SPDX-License-Identifier: Apache-2.0
/**
 * @module Pure mapping from decrypted vault records to colour inputs (DOMAIN.md §6 req. 6, 8):
 * `test-results` `{ kind, result, at | sampledAt/resultAt }`, `temperature` `{ celsius, at }` and
 * `symptoms` `{ symptoms, at }` (merged into one declaration per instant), `itinerary`
 * `{ region, from, to }` or `{ stays: [...] }`, and the `colour-decisions` category's manual
 * orders and stored decisions. A record of an unreadable shape is skipped, not guessed at: a
 * decision must rest only on facts the evaluator can state as reasons.
 */
import type { VaultRecord } from '../../personal/vault/index.js';
import { isColour } from './model.js';
import type {
  ColourDecision,
  DeclarationInput,
  OrderInput,
  StayInput,
  TestInput,
} from './model.js';

export interface StoredOrder {
  readonly recordId: string;
  readonly order: OrderInput;
}

export interface VaultValues {
  readonly tests: TestInput[];
  readonly declarations: DeclarationInput[];
  readonly itinerary: StayInput[];
  readonly orders: StoredOrder[];
  /** Oldest first (by decision time, then storage time). */
  readonly decisions: Array<{ recordId: string; decision: ColourDecision }>;
  /** Records whose shape could not be read (counted, never shown). */
  readonly skipped: number;
}

const isInstant = (v: unknown): v is string =>
  typeof v === 'string' && !Number.isNaN(Date.parse(v));
const REGION = /^\d{6}$/;
const ORDER_KINDS = ['quarantine', 'home-observation', 'lifted'] as const;

type Obj = Readonly<Record<string, unknown>>;
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

function test(v: Obj): TestInput | undefined {
  const kind = v.kind;
  const result = v.result;
  const sampledAt = v.sampledAt ?? v.at;
  const resultAt = v.resultAt ?? v.at;
  if (
    (kind !== 'nucleic-acid' && kind !== 'antigen') ||
    (result !== 'negative' && result !== 'positive' && result !== 'invalid') ||
    !isInstant(sampledAt) ||
    !isInstant(resultAt)
  ) {
    return undefined;
  }
  return { kind, result, sampledAt, resultAt };
}

function stay(v: Obj): StayInput | undefined {
  const { region, from, to } = v;
  if (typeof region !== 'string' || !REGION.test(region) || !isInstant(from) || !isInstant(to)) {
    return undefined;
  }
  return { region, from, to };
}

function order(v: Obj): OrderInput | undefined {
  const kind = v.kind;
  if (!(ORDER_KINDS as readonly unknown[]).includes(kind) || !isInstant(v.at)) {
    return undefined;
  }
  const until = v.until;
  if (until !== undefined && until !== null && !isInstant(until)) {
    return undefined;
  }
  return {
    kind: kind as OrderInput['kind'],
    at: v.at,
    ...(until === undefined ? {} : { until }),
  };
}

function decision(v: Obj): ColourDecision | undefined {
  const rs = asObj(v.ruleSet);
  const inputs = asObj(v.inputs);
  if (
    !isColour(v.colour) ||
    !isInstant(v.decidedAt) ||
    !isInstant(v.validUntil) ||
    rs === undefined ||
    typeof rs.id !== 'string' ||
    typeof rs.version !== 'number' ||
    !Array.isArray(v.fired) ||
    inputs === undefined
  ) {
    return undefined;
  }
  const { type: _type, ...rest } = v;
  void _type;
  return rest as unknown as ColourDecision;
}

/** Maps decrypted records to colour inputs, orders and stored decisions. */
export function readVaultValues(records: readonly VaultRecord[]): VaultValues {
  const out: VaultValues = {
    tests: [],
    declarations: [],
    itinerary: [],
    orders: [],
    decisions: [],
    skipped: 0,
  };
  let skipped = 0;
  const declared = new Map<string, { at: string; temperatureC?: number; symptoms?: string[] }>();
  const declaration = (at: string) => {
    let d = declared.get(at);
    if (d === undefined) {
      d = { at };
      declared.set(at, d);
    }
    return d;
  };
  const decisions: Array<{ recordId: string; decision: ColourDecision; created: number }> = [];
  for (const r of records) {
    const v = asObj(r.value);
    let ok = false;
    if (v !== undefined) {
      switch (r.category) {
        case 'test-results': {
          const t = test(v);
          ok = t !== undefined && (out.tests.push(t), true);
          break;
        }
        case 'temperature': {
          const c = v.celsius ?? v.temperatureC;
          if (isInstant(v.at) && typeof c === 'number' && Number.isFinite(c)) {
            declaration(v.at).temperatureC = c;
            ok = true;
          }
          break;
        }
        case 'symptoms': {
          const s = v.symptoms;
          if (isInstant(v.at) && Array.isArray(s) && s.every((x) => typeof x === 'string')) {
            // `none` is the explicit "no symptoms" answer (src/kernel/domain/health.ts).
            declaration(v.at).symptoms = s.filter((x) => x !== 'none');
            ok = true;
          }
          break;
        }
        case 'itinerary': {
          const stays = Array.isArray(v.stays) ? v.stays : [v];
          const read = stays.map((x) => asObj(x)).map((x) => (x ? stay(x) : undefined));
          ok = read.length > 0 && read.every((x) => x !== undefined);
          if (ok) {
            out.itinerary.push(...read.filter((x) => x !== undefined));
          }
          break;
        }
        case 'colour-decisions': {
          if (v.type === 'order') {
            const o = order(v);
            ok = o !== undefined && (out.orders.push({ recordId: r.recordId, order: o }), true);
          } else if (v.type === 'decision') {
            const d = decision(v);
            ok =
              d !== undefined &&
              (decisions.push({
                recordId: r.recordId,
                decision: d,
                created: r.createdAt.getTime(),
              }),
              true);
          }
          break;
        }
        case 'identity':
        case 'contact':
        case 'address':
        case 'medical-history':
        case 'vaccination':
        case 'location-events':
          // Not colour inputs under the built-in rule vocabulary; never asked for.
          break;
      }
    }
    if (!ok) {
      skipped++;
    }
  }
  out.declarations.push(...[...declared.values()].sort((a, b) => a.at.localeCompare(b.at)));
  decisions.sort(
    (a, b) =>
      Date.parse(a.decision.decidedAt) - Date.parse(b.decision.decidedAt) ||
      a.created - b.created ||
      a.recordId.localeCompare(b.recordId),
  );
  out.decisions.push(...decisions.map(({ recordId, decision: d }) => ({ recordId, decision: d })));
  out.orders.sort((a, b) => Date.parse(a.order.at) - Date.parse(b.order.at));
  return { ...out, skipped };
}
