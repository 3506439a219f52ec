// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's public door (DESIGN.md §6; PIPL art. 47; the 2022 health-code disposal
 * guideline; DOMAIN.md §6 req. 11–18): the data inventory, plans with per-category actions and
 * named exemptions, operator approvals, crash-safe execution, verification with canary scans,
 * signed certificates anchored in the audit log, third-party acknowledgments, reports and notices.
 */
export {
  ACTIONS,
  EXEMPTION_KINDS,
  PLAN_KIND,
  PLAN_STATES,
  QUASI_IDENTIFIERS,
  RETIRE_KINDS,
  STORE_METHODS,
  MIN_K,
} from './model.js';
export type {
  Action,
  Approval,
  CategoryAction,
  Exemption,
  ExemptionKind,
  PlanDoc,
  PlanState,
  RetireTarget,
  StoreAction,
  StoreMethod,
  SubjectDecision,
} from './model.js';
export type { Inventory, InventoryStore, StoreKind } from './inventory-model.js';
export type {
  PlanCertificate,
  SubjectCertificate,
  CertificateAddendum,
  VerificationSummary,
} from './certificate.js';
export { verifyCertificateSignature, subjectCommitment, certificateHash } from './certificate.js';
export type {
  DisposalTarget,
  ConsentView,
  CertificateLog,
  Scanner,
  SubjectHolding,
  DisposeItem,
  ResidueItem,
} from './ports.js';
export type { DisposalContext, DisposalPorts, OpenDisposalContext } from './context.js';
export { canaryScanner, certificateLog, consentView } from './adapters.js';
export { vaultTarget } from './vault-target.js';
export { readPlanFile, writePlanFile, planHash } from './plan-file.js';
export { planProblems } from './plan-rules.js';
export { draft, approve, run, status, inventory, checkPlan, operatorRegistry } from './service.js';
export type { PlanStatus, RunOptions } from './service.js';
export type { RunOutcome } from './executor.js';
export { verifyRun } from './verify.js';
export { writeReport } from './report.js';
export { planBundle } from './cli-certs.js';
export type { CertificateBundle } from './cert-check.js';
export type { VerifyResult } from './verify.js';
export {
  issueRequestCertificate,
  requestSubjectCertificate,
  retrieveSubjectCertificate,
  certificateMatchesCode,
} from './subject-certs.js';
export { disposeExpiredExemptions } from './retained.js';
export { deletionExecutor } from './rights-deletion.js';
export { disposalJobs } from './jobs.js';
export { disposalMigrations } from './migrations.js';
export * as disposalErrors from './errors.js';
