// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault behind the {@link ColourInputsSource} / {@link DecisionStore} ports (DESIGN.md
 * §3–§4; DOMAIN.md §6 req. 6, 8; PIPL art. 24): a subject's colour inputs are read through one
 * purpose-scoped, audited vault repository (`epidemic-control`) — test results, temperature and
 * symptom declarations, declared itinerary, and the manual orders of health authorities — the
 * itinerary is matched against the instance's risk-area list, and every decision is stored,
 * encrypted, in category `colour-decisions` with its inputs and rule-set version and logged in
 * the audit log (kind `colour`) with its fired rules.
 *
 * Manual orders (quarantine, home observation, lifted) have no category of their own in the
 * GB/T 38962 list; they are colour-deciding facts, so they are kept beside the decisions in
 * `colour-decisions`, tagged `type: "order"`.
 */
import type { InstanceVault } from '../../personal/vault/index.js';
import type {
  ColourDecision,
  ColourInputs,
  ColourInputsSource,
  DecisionStore,
  OrderInput,
  RiskAreaInput,
  StayInput,
} from './model.js';
import { readVaultValues, type StoredOrder } from './vault-values.js';

/** The purpose colour decisions are made under (PIPL art. 13(4)). */
export const CODES_PURPOSE = 'epidemic-control';
/** The vault category decisions (and manual orders) live in. */
export const DECISIONS_CATEGORY = 'colour-decisions';

/** Who acts: `operator:cli`, `citizen`, `job:…` (never a person's identifier). */
export interface VaultColourOptions {
  readonly actor: string;
  readonly role: string;
  /** The instance's risk-area designations (the sim writes `DATA/risk-areas.json`). */
  readonly riskAreas: readonly RiskAreaInput[];
}

/** A stored decision as `code explain` shows it. */
export interface StoredDecision {
  readonly recordId: string;
  readonly decision: ColourDecision;
}

/** The vault-backed ports, plus what `explain`, orders and guardians need. */
export interface VaultColourPorts {
  readonly source: ColourInputsSource;
  readonly decisions: DecisionStore & {
    /** The latest decision with its vault record id, or undefined. */
    latestStored(subjectId: string): Promise<StoredDecision | undefined>;
    /** Every stored decision, oldest first (the colour history, PIPL art. 45). */
    history(subjectId: string): Promise<StoredDecision[]>;
  };
  /** Stores a manual order; returns its record id. */
  addOrder(subjectId: string, order: OrderInput): Promise<string>;
  /** The guardian recorded for an under-14 (the vault's identity record or subject facts). */
  guardianOf(subjectId: string): Promise<string | undefined>;
}

/**
 * Builds the ports over an instance's vault.
 *
 * @example
 * const iv = await instanceVault(store);
 * const ports = vaultColourPorts(iv, { actor: 'operator:cli', role: 'operator', riskAreas });
 * await codes.issueForSubject(subjectId, ports);
 */
export function vaultColourPorts(iv: InstanceVault, options: VaultColourOptions): VaultColourPorts {
  const ctx = { actor: options.actor, role: options.role, purpose: CODES_PURPOSE };
  const repo = () => iv.vault.repository(ctx);
  const stored = async (subjectId: string) => {
    const records = await repo().list(subjectId, { categories: [DECISIONS_CATEGORY] });
    return readVaultValues(records);
  };
  const history = async (subjectId: string): Promise<StoredDecision[]> =>
    (await stored(subjectId)).decisions;
  // Name and guardian come from one identity read per call (cached per subject for this call).
  const identity = async (subjectId: string) => {
    const [rec] = await repo().list(subjectId, { categories: ['identity'] });
    const v = (rec?.value ?? {}) as { name?: unknown; guardian?: unknown };
    return {
      name: typeof v.name === 'string' ? v.name : '',
      guardian: typeof v.guardian === 'string' ? v.guardian : undefined,
    };
  };

  const source: ColourInputsSource = {
    async load(subjectId) {
      const records = await repo().list(subjectId, {
        categories: ['test-results', 'temperature', 'symptoms', 'itinerary', DECISIONS_CATEGORY],
      });
      const values = readVaultValues(records);
      const { name } = await identity(subjectId);
      const inputs: ColourInputs = {
        tests: values.tests,
        declarations: values.declarations,
        itinerary: values.itinerary,
        riskAreas: relevantAreas(options.riskAreas, values.itinerary),
        orders: values.orders.map((o: StoredOrder) => o.order),
      };
      return { inputs, displayName: name };
    },
  };

  const decisions: VaultColourPorts['decisions'] = {
    async record(subjectId, decision) {
      const before = (await history(subjectId)).at(-1)?.decision;
      const recordId = await repo().put(subjectId, DECISIONS_CATEGORY, {
        type: 'decision',
        ...decision,
      });
      const auditId = await iv.vault.auditIdOf(iv.core.db, subjectId);
      await iv.core.emit(iv.core.db, [
        iv.core.event(ctx, {
          kind: 'colour',
          action: 'decide',
          outcome: 'ok',
          category: DECISIONS_CATEGORY,
          ...(auditId === undefined ? {} : { subjectAuditId: auditId }),
          details: {
            recordId,
            colour: decision.colour,
            changed: before === undefined || before.colour !== decision.colour,
            ruleSet: `${decision.ruleSet.id}@${decision.ruleSet.version}`,
            rules: decision.fired.map((f) => f.rule).join(','),
            validUntil: decision.validUntil,
          },
        }),
      ]);
    },
    async latest(subjectId) {
      return (await history(subjectId)).at(-1)?.decision;
    },
    async latestStored(subjectId) {
      return (await history(subjectId)).at(-1);
    },
    history,
  };

  return {
    source,
    decisions,
    async addOrder(subjectId, order) {
      return repo().put(subjectId, DECISIONS_CATEGORY, { type: 'order', ...order });
    },
    async guardianOf(subjectId) {
      const fromIdentity = (await identity(subjectId)).guardian;
      if (fromIdentity !== undefined) {
        return fromIdentity;
      }
      // Subjects created with `ensureCitizen(…, { guardian })` keep the link in the subject's
      // encrypted facts only.
      const row = await iv.core.subjectRow(iv.core.db, subjectId);
      return (await iv.core.meta(iv.core.db, row)).guardian;
    },
  };
}

/** Only the designations that could touch this itinerary go into the decision (minimum necessary). */
export function relevantAreas(
  areas: readonly RiskAreaInput[],
  stays: readonly StayInput[],
): RiskAreaInput[] {
  const prefixes = new Set(stays.map((s) => s.region.slice(0, 2)));
  return areas.filter((a) => prefixes.has(a.region.slice(0, 2)));
}
