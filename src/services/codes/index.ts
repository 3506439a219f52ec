// SPDX-License-Identifier: Apache-2.0
/**
 * @module The health-code capability's public door (DESIGN.md §4; DOMAIN.md §6 req. 6–8): colour
 * rules and the pure evaluator, COSE/CWT tokens in Base45 behind `HCN1:`, the offline verifier,
 * trust lists, revocation, QR codes, the stored issuer, and EU DCC verification.
 */
export { COLOURS, VERDICT_REASONS, isColour } from './model.js';
export type {
  Colour,
  Verdict,
  VerdictReason,
  TokenContent,
  ColourInputs,
  TestInput,
  DeclarationInput,
  StayInput,
  RiskAreaInput,
  OrderInput,
  FiredRule,
  ColourDecision,
  ColourInputsSource,
  DecisionStore,
} from './model.js';
export { parseRuleSet, ruleSetLabel, builtInRuleSet, BUILT_IN_RULE_SETS } from './rule-set.js';
export type { RuleSet, Rule, Condition } from './rule-set.js';
export { evaluateColour, areaCovers } from './evaluator.js';
export { endOfLocalDay } from '../../kernel/shared/local-day.js';
export { encodeBase45, decodeBase45, tryDecodeBase45, BASE45_ALPHABET } from './base45.js';
export { parseLenientInstant, compareInstants, formatInstant, instantFromDate } from './instant.js';
export type { Instant } from './instant.js';
export { COSE_ALGS, algFromId, keyFitsAlg } from './algorithms.js';
export type { AlgName } from './algorithms.js';
export { TOKEN_PREFIX, keyIdOf, tokenSigner, encodeToken } from './token.js';
export type { TokenSigner, TokenClaims, SignedToken } from './token.js';
export { issueTokenFor, DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS } from './issue.js';
export type { IssueRequest, IssuedToken } from './issue.js';
export { verifyToken, tokenHashOfToken } from './verify.js';
export type { VerifyOptions } from './verify.js';
export { buildTrustList, parseTrustList, TRUST_LIST_FORMAT } from './trust-list.js';
export type { TrustList, TrustedKey, ParseTrustListOptions } from './trust-list.js';
export {
  publishRevocations,
  isRevoked,
  saltedEntry,
  tokenHashOfSignature,
  EMPTY_REVOCATIONS,
} from './revocation.js';
export type { RevocationList } from './revocation.js';
export { MemoryIssuer } from './memory-issuer.js';
export { generateSigningKey } from './algorithms.js';
export { TRUST_LIST_DAYS } from './trust-list.js';
export { CodesService, SIGNING_KEY_DAYS } from './service.js';
export type { CodesServiceOptions, IssueOutcome } from './service.js';
export { renderQr, decodeQrPng, qrVersion } from './qr.js';
export type { QrFormat, QrLevel } from './qr.js';
export { verifyDcc, DCC_STAGES, DCC_PREFIX } from './dcc.js';
export type { DccResult, DccReason, DccStage, DccPayload, DccVerifyOptions } from './dcc.js';
export { dccSignerFromCertificate, dccKid } from './dcc-signer.js';
export type { DccSigner, DccType } from './dcc-signer.js';
export { codesMigrations } from './repository.js';
export {
  openSubjectCodes,
  issueSubjectCode,
  explainSubjectCode,
  addManualOrder,
  reevaluateSubject,
  loadRiskAreas,
} from './subject.js';
export type { SubjectCodes, SubjectCode, Explanation, Actor, OnBehalf } from './subject.js';
export {
  correctAndReevaluate,
  requestReview,
  listReviews,
  decideReview,
  REVIEW_OUTCOMES,
  REVIEW_STATUSES,
} from './review.js';
export type { Review, ReviewOutcome, ReviewStatus, CorrectionOutcome } from './review.js';
export {
  signedTrustList,
  currentRevocations,
  revocationListJson,
  verifyTokenString,
} from './published.js';
export type { RevocationListJson } from './published.js';
export {
  vaultColourPorts,
  relevantAreas,
  CODES_PURPOSE,
  DECISIONS_CATEGORY,
} from './vault-source.js';
export type { VaultColourPorts, VaultColourOptions, StoredDecision } from './vault-source.js';
export { codesJobs, openCodesService } from './jobs.js';
export { requireRuleSetAssessment, recordSyntheticAssessments } from './assessment.js';
export * as codesErrors from './errors.js';
