// SPDX-License-Identifier: Apache-2.0
/**
 * @module The consent capability's public door (DESIGN.md §5): the purpose and service
 * catalogue with PIPL art. 13 bases, versioned notices (art. 17), the consent ledger with
 * signed Kantara v1.1 receipts (arts. 14–16, 29, 31), the purpose guard, PIA records
 * (arts. 55–56), deletion triggers (art. 47(3)) and repurposing campaigns.
 */
export {
  LEGAL_BASES,
  CONSENT_BASIS,
  isLegalBasis,
  isConsentBasis,
  isActiveAt,
  addRetention,
  isRetention,
  isCatalogueId,
  purposeProblems,
  serviceProblems,
} from './model.js';
export type { LegalBasis, GuardianRule, Localized, Purpose, Service } from './model.js';
export { BUILTIN_PURPOSES } from './catalogue/purposes.js';
export type { PurposeSeed } from './catalogue/purposes.js';
export { BUILTIN_SERVICES } from './catalogue/services.js';
export type { ServiceSeed } from './catalogue/services.js';
export {
  loadCatalogue,
  purposeOf,
  addPurpose,
  retirePurpose,
  addService,
  retireService,
  publishNotices,
  currentNotices,
} from './catalogue-service.js';
export type { Catalogue, PurposeInput, ServiceInput } from './catalogue-service.js';
export { NOTICE_KINDS, NOTICE_LANGUAGES, noticeHash } from './notice-render.js';
export type { NoticeKind, NoticeLanguage } from './notice-render.js';
export { listNotices, getNotice, requireCurrentPolicy } from './notices.js';
export type { Notice } from './notices.js';
export { decideAccess, GUARD_REASONS } from './guard.js';
export type {
  GuardFacts,
  GuardDecision,
  GuardReason,
  PurposeFacts,
  ConsentFacts,
} from './guard.js';
export { ConsentGuard } from './guard-service.js';
export type { GuardRequest, GuardOptions } from './guard-service.js';
export { grantConsent, withdrawConsent } from './ledger.js';
export type {
  LedgerDeps,
  GrantInput,
  WithdrawInput,
  ConsentActResult,
  WithdrawResult,
  SubjectFactsPort,
} from './ledger.js';
export { subjectConsents } from './ledger-view.js';
export type { SubjectConsents, ConsentEntry, ConsentHistoryEntry } from './ledger-view.js';
export {
  tableDeletionTrigger,
  listDeletionTriggers,
  consumeDeletionTrigger,
} from './deletion-trigger.js';
export type { DeletionTrigger, DeletionTriggerEvent } from './deletion-trigger.js';
export {
  RECEIPT_VERSION,
  verifyReceiptToken,
  signingKeyFromSeed,
  receiptKid,
} from './receipt-format.js';
export type { ConsentReceipt, ReceiptPurpose, ReceiptExtension } from './receipt-format.js';
export { verifyReceipt, receiptVerifyKeys, receiptSigningKey } from './receipts.js';
export type { ReceiptCheck } from './receipts.js';
export { PIA_KINDS, isPiaKind, recordPia, requirePia, listPias } from './pia.js';
export type { PiaKind, PiaRecord, PiaInput } from './pia.js';
export {
  proposeCampaign,
  inviteSubjects,
  answerCampaign,
  campaignReport,
  listCampaigns,
  closeCampaign,
} from './repurposing.js';
export type { Campaign, CampaignReport, ProposeInput, AnswerInput } from './repurposing.js';
export { consentMigrations } from './migrations.js';
export { consentRuntime, vaultGuard } from './wiring.js';
export { consentSeeder } from './seeding.js';
export type { ConsentSeeder } from './seeding.js';
export type { ConsentRuntime, ConsentRuntimeOptions, SubjectFactsSource } from './wiring.js';
export type { ConsentDeps, AuditIdPort } from './internal.js';
export { isOpaqueSubjectId } from './internal.js';
export * as consentErrors from './errors.js';
