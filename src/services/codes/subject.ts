// SPDX-License-Identifier: Apache-2.0
/**
 * @module Health codes for stored subjects (DESIGN.md §4; DOMAIN.md §6 req. 6–8): issue the
 * current code of a subject from the vault (evaluate, store and log the decision, sign, render),
 * explain the latest decision ("why am I yellow", PIPL art. 24), store a manual order, and
 * re-evaluate after a correction (纠错, PIPL art. 46) with an optional human review. A guardian
 * acts for an under-14 dependant only through the link the vault records (PIPL art. 31).
 *
 * On SQLite the key store shares the one database connection, so every key this needs (the audit
 * log's period keys, the token-signing key) is loaded before any transaction is opened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../platform/runtime/index.js';
import type { InstanceVault, OpenInstanceVault } from '../../personal/vault/index.js';
import { GuardianLinkError, NoDecisionError, RiskAreaListError } from './errors.js';
import type { IssuedToken } from './issue.js';
import type { Colour, ColourDecision, FiredRule, OrderInput, RiskAreaInput } from './model.js';
import { renderQr } from './qr.js';
import type { RuleSet } from './rule-set.js';
import { openCodesService } from './jobs.js';
import type { CodesService } from './service.js';
import { vaultColourPorts, type VaultColourPorts } from './vault-source.js';

/** Who acts, for the vault's access context and the audit log (never a personal identifier). */
export interface Actor {
  /** `citizen`, `operator:alice`, `request:<id>`, … */
  readonly actor: string;
  /** `citizen`, `operator`, `guardian`, `system`. */
  readonly role: string;
}

/** Acting for a dependant: the guardian's subject id, checked against the vault's link. */
export interface OnBehalf {
  readonly guardian?: string;
}

/** The current code of a subject, as the API and the CLI hand it out. */
export interface SubjectCode {
  readonly token: string;
  readonly tokenHash: string;
  readonly colour: Colour;
  readonly maskedName: string;
  /** When the token was signed and when it stops verifying (short-lived). */
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** End of the colour's validity (e.g. 24:00 local time). */
  readonly validUntil: string;
  readonly decidedAt: string;
  readonly ruleSet: string;
  readonly reasons: readonly FiredRule[];
  /** The QR code as an SVG document. */
  readonly qrSvg: string;
}

/** "Why am I yellow": the stored decision and the facts it rested on (PIPL art. 24). */
export interface Explanation {
  readonly colour: Colour;
  readonly decidedAt: string;
  readonly validUntil: string;
  readonly ruleSet: { readonly id: string; readonly version: number };
  readonly reasons: readonly FiredRule[];
  readonly inputs: ColourDecision['inputs'];
  /** Vault record id of the decision (what a review or correction refers to). */
  readonly decisionId: string;
  /** How many decisions are stored (the colour history). */
  readonly decisions: number;
}

/** What the subject-facing operations need, opened once per command or request. */
export interface SubjectCodes {
  readonly codes: CodesService;
  readonly vault: InstanceVault;
  ports(actor: Actor): VaultColourPorts;
  /** Signs an audit checkpoint if the log grew (call before closing the store). */
  finish(): Promise<void>;
}

/**
 * Opens the subject-facing side of health codes on an open instance: the vault wired to the
 * audit log, the stored issuer with its keys loaded, and the risk-area list.
 *
 * @example
 * const sc = await openSubjectCodes(store, instanceVault);
 * const code = await issueSubjectCode(sc, subjectId, { actor: 'citizen', role: 'citizen' });
 * await sc.finish();
 */
export async function openSubjectCodes(
  store: Store,
  openInstanceVault: OpenInstanceVault,
  options: { readonly riskAreas?: readonly RiskAreaInput[]; readonly riskAreasFile?: string } = {},
): Promise<SubjectCodes> {
  const vault = await openInstanceVault(store);
  const codes = openCodesService(store, store.keyring.keyWrapper());
  // Keys first (SQLite: the key store shares the connection a transaction would hold).
  await codes.ensureKeys();
  await codes.signer();
  const riskAreas =
    options.riskAreas ??
    loadRiskAreas(options.riskAreasFile ?? join(store.paths.root, 'risk-areas.json'));
  return {
    codes,
    vault,
    ports: (a) => vaultColourPorts(vault, { ...a, riskAreas }),
    finish: () => vault.finish(),
  };
}

/** Reads a risk-area list (`[{ region, level, from, to }]`); a missing file is an empty list. */
export function loadRiskAreas(file: string): RiskAreaInput[] {
  if (!existsSync(file)) {
    return [];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RiskAreaListError('the risk-area list is not JSON', { cause: err });
  }
  if (!Array.isArray(raw)) {
    throw new RiskAreaListError('the risk-area list must be a JSON array');
  }
  return raw.map((a: unknown, i) => {
    const r = a as Record<string, unknown>;
    const ok =
      typeof r === 'object' &&
      r !== null &&
      typeof r.region === 'string' &&
      /^\d{6}$/.test(r.region) &&
      (r.level === 'medium' || r.level === 'high') &&
      typeof r.from === 'string' &&
      !Number.isNaN(Date.parse(r.from)) &&
      (r.to === null ||
        r.to === undefined ||
        (typeof r.to === 'string' && !Number.isNaN(Date.parse(r.to))));
    if (!ok) {
      throw new RiskAreaListError(`risk area #${i} is not { region, level, from, to }`);
    }
    return {
      region: r.region as string,
      level: r.level as 'medium' | 'high',
      from: r.from as string,
      to: (r.to as string | null | undefined) ?? null,
    };
  });
}

/** Refuses unless `guardian` is the guardian the vault records for `subjectId`. */
async function checkGuardian(
  sc: SubjectCodes,
  ports: VaultColourPorts,
  subjectId: string,
  onBehalf: OnBehalf,
): Promise<void> {
  if (onBehalf.guardian === undefined) {
    return;
  }
  const recorded = await ports.guardianOf(subjectId);
  const auditId = await sc.vault.vault.auditIdOf(sc.vault.core.db, onBehalf.guardian);
  const ok = recorded !== undefined && recorded === onBehalf.guardian;
  if (auditId !== undefined) {
    // The guardian's own log shows every time they acted for a dependant.
    await sc.vault.core.emit(sc.vault.core.db, [
      {
        kind: 'access',
        actor: 'guardian',
        purpose: 'epidemic-control',
        subjectAuditId: auditId,
        category: 'colour-decisions',
        action: 'act-for-dependant',
        outcome: ok ? 'ok' : GuardianLinkError.code,
        at: sc.codes.now(),
      },
    ]);
  }
  if (!ok) {
    throw new GuardianLinkError('the vault records no such guardian for this subject');
  }
}

/**
 * Evaluates the subject's stored inputs, stores and logs the decision, signs a token and renders
 * its QR code. With `guardian`, a guardian fetches their dependant's code.
 */
export async function issueSubjectCode(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor & OnBehalf,
  options: { readonly ruleSet?: RuleSet; readonly ttlSeconds?: number } = {},
): Promise<SubjectCode> {
  const ports = sc.ports(who);
  await checkGuardian(sc, ports, subjectId, who);
  const outcome = await sc.codes.issueForSubject(subjectId, ports, options);
  const { token, decision, maskedName } = outcome;
  return toSubjectCode(token, decision, maskedName, await qrSvg(token.text));
}

async function qrSvg(text: string): Promise<string> {
  return (await renderQr(text, 'svg')) as string;
}

function toSubjectCode(
  token: IssuedToken,
  d: ColourDecision,
  maskedName: string,
  svg: string,
): SubjectCode {
  return {
    token: token.text,
    tokenHash: token.tokenHash,
    colour: d.colour,
    maskedName,
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    validUntil: d.validUntil,
    decidedAt: d.decidedAt,
    ruleSet: `${d.ruleSet.id}@${d.ruleSet.version}`,
    reasons: d.fired,
    qrSvg: svg,
  };
}

/** The latest stored decision of a subject, explained (PIPL art. 24 para. 3). */
export async function explainSubjectCode(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor & OnBehalf,
): Promise<Explanation> {
  const ports = sc.ports(who);
  await checkGuardian(sc, ports, subjectId, who);
  const history = await ports.decisions.history(subjectId);
  const latest = history.at(-1);
  if (latest === undefined) {
    throw new NoDecisionError('no colour decision is stored for this subject yet');
  }
  const d = latest.decision;
  return {
    colour: d.colour,
    decidedAt: d.decidedAt,
    validUntil: d.validUntil,
    ruleSet: d.ruleSet,
    reasons: d.fired,
    inputs: d.inputs,
    decisionId: latest.recordId,
    decisions: history.length,
  };
}

/** Stores a manual order of a health authority (赋码 by hand); returns its vault record id. */
export async function addManualOrder(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor,
  order: OrderInput,
): Promise<string> {
  if (!['quarantine', 'home-observation', 'lifted'].includes(order.kind)) {
    throw new RangeError('"order.kind" expected quarantine, home-observation or lifted');
  }
  if (
    Number.isNaN(Date.parse(order.at)) ||
    (order.until && Number.isNaN(Date.parse(order.until)))
  ) {
    throw new RangeError('"order.at"/"order.until" expected ISO 8601 instants');
  }
  return sc.ports(who).addOrder(subjectId, order);
}

/** Re-evaluates a subject now and records the decision (without signing a token). */
export async function reevaluateSubject(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor,
  options: { readonly ruleSet?: RuleSet } = {},
): Promise<{ decision: ColourDecision; recordId: string; previous: Colour | undefined }> {
  const ports = sc.ports(who);
  const previous = (await ports.decisions.latest(subjectId))?.colour;
  const decision = await sc.codes.decideForSubject(subjectId, ports, options);
  const stored = await ports.decisions.latestStored(subjectId);
  return { decision, recordId: stored?.recordId ?? '', previous };
}
