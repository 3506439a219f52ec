// SPDX-License-Identifier: Apache-2.0
/**
 * @module The disposal domain (PIPL art. 47; DOMAIN.md §2, §6 req. 11–18): what a retirement
 * retires, the per-category actions of a plan — delete by default, anonymise only to aggregate
 * k-anonymous tables (art. 73(4), req. 23), or retain under a named exemption — the plan's states,
 * and the methods a certificate may name (logical, physical, crypto-erasure; NIST SP 800-88).
 */
import type { DataCategory, DataGroup } from '../../kernel/domain/index.js';

/** What `--retire` names: one purpose, one service, or the whole programme. */
export const RETIRE_KINDS = ['purpose', 'service', 'all'] as const;
export type RetireKind = (typeof RETIRE_KINDS)[number];

export interface RetireTarget {
  readonly kind: RetireKind;
  /** The purpose or service id; `all` for the programme sunset. */
  readonly id: string;
}

/** One action per category (req. 12: delete unless a documented exemption applies). */
export const ACTIONS = ['delete', 'anonymise', 'retain'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The documented exemptions from deletion (req. 12): statutory retention not yet expired (CSL
 * art. 21 security logs ≥ 6 months; PIPL art. 56 PIA reports and processing records ≥ 3 years),
 * or a fresh, separate consent for a new purpose (art. 14, 29). True anonymisation (art. 73(4))
 * is not an exemption but its own action.
 */
export const EXEMPTION_KINDS = ['statutory-retention', 'separate-consent'] as const;
export type ExemptionKind = (typeof EXEMPTION_KINDS)[number];

export interface Exemption {
  readonly kind: ExemptionKind;
  /** A short name, e.g. "security-log retention". */
  readonly name: string;
  /** The law or instrument, e.g. "Cybersecurity Law art. 21". */
  readonly legalSource: string;
  /** Last day (YYYY-MM-DD) or instant (RFC 3339) of the exemption; disposal follows it. */
  readonly endDate: string;
  /** The registered operator who approved the exemption. */
  readonly approver: string;
}

/** Quasi-identifiers an anonymised aggregate may keep, each already generalised (req. 23). */
export const QUASI_IDENTIFIERS = ['prefecture', 'week', 'sex', 'age-band'] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/** The least k the project accepts for a k-anonymous release (DOMAIN.md req. 23). */
export const MIN_K = 5;

export interface AnonymiseSpec {
  readonly quasiIdentifiers: readonly QuasiIdentifier[];
  readonly k: number;
}

export interface CategoryAction {
  readonly category: DataCategory;
  readonly action: Action;
  readonly exemption?: Exemption | undefined;
  readonly anonymise?: AnonymiseSpec | undefined;
}

/** How a store's copy is disposed of (what the certificate states as "how"). */
export const STORE_METHODS = [
  'crypto-erasure', // data keys destroyed: every copy, backups included, becomes unreadable
  'physical-deletion', // rows/files removed and the freed pages scrubbed
  'logical-deletion', // made non-retrievable in production (GB/T 35273 §3 "删除")
  'key-destruction', // the key store itself: wrapped data keys destroyed, tombstones kept
  'expiry', // removed by its own retention rule within a documented lag (backups, log periods)
  'deletion-notice', // held by a third party: notice sent, signed acknowledgment awaited
  'retain', // kept under an exemption, in the restricted state
  'not-applicable', // holds no personal data of the retired scope
] as const;
export type StoreMethod = (typeof STORE_METHODS)[number];

export interface StoreAction {
  readonly store: string;
  readonly method: StoreMethod;
  readonly exemption?: Exemption | undefined;
  readonly note?: string | undefined;
}

/** Records in scope for one category, per store. */
export interface ScopeEntry {
  readonly category: DataCategory;
  readonly group: DataGroup;
  readonly sensitive: boolean;
  /** Subjects holding this category whose data the retirement ends. */
  readonly subjects: number;
  readonly records: number;
  readonly stores: readonly { readonly store: string; readonly records: number }[];
  /** Subjects whose data in this category another purpose with a valid basis still needs. */
  readonly keptFor: readonly { readonly purpose: string; readonly subjects: number }[];
}

/** A third party that holds a copy and must confirm deletion (PIPL arts. 21, 23; req. 16). */
export interface RecipientRef {
  readonly id: string;
  readonly name: string;
  readonly kind: 'processor' | 'recipient';
  readonly categories: readonly DataCategory[];
}

/** An operator's signature over the plan's content hash. */
export interface Approval {
  readonly by: string;
  /** SPKI DER, base64: lets an auditor check the signature offline. */
  readonly publicKey: string;
  readonly at: string;
  readonly signature: string;
}

export const PLAN_KIND = 'healthcode/disposal-plan';

/** The plan document (JSON or YAML). Its content hash covers everything but `approvals`. */
export interface PlanDoc {
  readonly kind: typeof PLAN_KIND;
  readonly version: 1;
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly instance: { readonly origin: string; readonly synthetic: boolean };
  readonly responsibleParty: { readonly name: string; readonly contact: string };
  readonly retire: RetireTarget;
  /** The trigger under PIPL art. 47, in words. */
  readonly trigger: string;
  readonly retiredPurposes: readonly string[];
  readonly retiredServices: readonly string[];
  readonly scope: readonly ScopeEntry[];
  readonly actions: readonly CategoryAction[];
  readonly stores: readonly StoreAction[];
  readonly recipients: readonly RecipientRef[];
  /** Send each disposed subject a message (off by default: the public notice suffices). */
  readonly notifySubjects: boolean;
  readonly notes?: string | undefined;
  readonly approvals: readonly Approval[];
}

/** The states `disposal status` reports. */
export const PLAN_STATES = ['draft', 'approved', 'running', 'awaiting-acks', 'done'] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** What one subject's disposal does, decided before anything is touched. */
export interface SubjectDecision {
  /** Categories crypto-erased and deleted now (delete and anonymise actions). */
  readonly erase: readonly DataCategory[];
  /** Categories kept in the restricted state until their exemption ends. */
  readonly restrict: readonly DataCategory[];
  /** Categories another valid purpose still needs: kept for that purpose only. */
  readonly keep: readonly DataCategory[];
  /** True when nothing of the subject remains: the subject record itself goes too. */
  readonly wholeSubject: boolean;
}
