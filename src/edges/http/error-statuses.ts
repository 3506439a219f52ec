// SPDX-License-Identifier: Apache-2.0
/**
 * @module The HTTP status of every application error code, in one table (STYLE.md §7).
 *
 * {@link ErrorCode} is derived from the classes each capability's door exports under its errors
 * namespace, so a new error class without a status here is a compile error. The rules: bad input
 * 400; no valid bearer token 401; forbidden 403; an unknown thing 404; crypto-erased data 410; a state
 * conflict 409; too many 429; the server's own configuration, wiring or data failing (including
 * every integrity failure: unwrap, authentication, tamper) 500; a key store or peer that is not
 * available 503. 5xx bodies are fixed texts (problem.ts): the code and message go to the log only.
 */
import type { accountsErrors } from '../../foundation/accounts/index.js';
import type { auditErrors } from '../../foundation/audit/index.js';
import type { outboxErrors } from '../../foundation/outbox/index.js';
import type { privacyErrors } from '../../foundation/privacy/index.js';
import type { scanErrors } from '../../foundation/scan/index.js';
import type { simErrors } from '../../foundation/sim/index.js';
import type { cryptoErrors } from '../../kernel/crypto/index.js';
import type { domainErrors } from '../../kernel/domain/index.js';
import type { sharedErrors } from '../../kernel/shared/index.js';
import type { disposalErrors } from '../../lifecycle/disposal/index.js';
import type { rightsErrors } from '../../lifecycle/rights/index.js';
import type { consentErrors } from '../../personal/consent/index.js';
import type { vaultErrors } from '../../personal/vault/index.js';
import type { keysErrors } from '../../platform/keys/index.js';
import type { runtimeErrors } from '../../platform/runtime/index.js';
import type { analyticsErrors } from '../../services/analytics/index.js';
import type { codesErrors } from '../../services/codes/index.js';
import type { tripcardErrors } from '../../services/tripcard/index.js';
import type * as httpErrors from './errors.js';
import type { HTTP_VALIDATION_CODE } from './errors.js';

/**
 * The literal `code`s of the error classes a module exports. `AppError` itself (code `string`)
 * and exports without a code drop out.
 */
type CodesOf<M> = {
  [K in keyof M]: M[K] extends { readonly code: infer C extends string }
    ? string extends C
      ? never
      : C
    : never;
}[keyof M];

/** Every code an application error can carry, plus the schema-failure code problem.ts answers. */
export type ErrorCode =
  | CodesOf<typeof sharedErrors>
  | CodesOf<typeof cryptoErrors>
  | CodesOf<typeof domainErrors>
  | CodesOf<typeof keysErrors>
  | CodesOf<typeof runtimeErrors>
  | CodesOf<typeof accountsErrors>
  | CodesOf<typeof auditErrors>
  | CodesOf<typeof outboxErrors>
  | CodesOf<typeof privacyErrors>
  | CodesOf<typeof scanErrors>
  | CodesOf<typeof simErrors>
  | CodesOf<typeof vaultErrors>
  | CodesOf<typeof consentErrors>
  | CodesOf<typeof codesErrors>
  | CodesOf<typeof tripcardErrors>
  | CodesOf<typeof analyticsErrors>
  | CodesOf<typeof rightsErrors>
  | CodesOf<typeof disposalErrors>
  | CodesOf<typeof httpErrors>
  | typeof HTTP_VALIDATION_CODE;

/** The statuses an application error may have. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 429 | 500 | 503;

/** The one mapping from error code to HTTP status. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, ErrorStatus>> = {
  // kernel/shared
  ERR_USAGE: 400,
  ERR_NOT_FOUND: 404,
  // kernel/crypto: an AEAD open that failed is an integrity failure, never explained.
  ERR_CRYPTO_INTEGRITY: 500,
  // kernel/domain: values a caller sent that break a national standard's rule.
  ERR_DOMAIN_ID_LENGTH: 400,
  ERR_DOMAIN_ID_CHARACTERS: 400,
  ERR_DOMAIN_ID_CHECK_CHARACTER: 400,
  ERR_DOMAIN_ID_BIRTH_DATE: 400,
  ERR_DOMAIN_ID_BIRTH_IN_FUTURE: 400,
  ERR_DOMAIN_ID_PROVINCE: 400,
  ERR_DOMAIN_REGION_FORMAT: 400,
  ERR_DOMAIN_REGION_NBS_CODE: 400,
  // A region code inside a body (declarations, risk areas) is input, not a resource (docs/api.md).
  ERR_DOMAIN_REGION_UNKNOWN: 400,
  ERR_DOMAIN_REGION_NOT_A_PLACE: 400,
  ERR_DOMAIN_COUNTRY: 400,
  ERR_DOMAIN_PHONE: 400,
  ERR_DOMAIN_SEX_CODE: 400,
  ERR_DOMAIN_TEMPERATURE: 400,
  ERR_DOMAIN_SYMPTOM: 400,
  ERR_DOMAIN_TEST_RESULT: 400,
  ERR_DOMAIN_RISK_AREA: 400,
  ERR_DOMAIN_VACCINATION: 400,
  ERR_DOMAIN_NAME: 400,
  // platform/keys: without its master key or KEK the key store cannot serve: 503.
  ERR_KEYS_MASTER_MISSING: 503,
  ERR_KEYS_MASTER_WRONG: 503,
  ERR_KEYS_MASTER_FORMAT: 503,
  ERR_KEYS_KEK_UNAVAILABLE: 503,
  ERR_KEYS_DEK_MISSING: 404,
  ERR_KEYS_DEK_DESTROYED: 410,
  ERR_KEYS_UNWRAP: 500,
  ERR_KEYS_SHARES: 400,
  ERR_KEYS_BACKUP: 400,
  // platform/runtime: the server's own config and data dir.
  ERR_APP_CONFIG: 500,
  ERR_APP_STORAGE_REGION: 500,
  ERR_APP_DATA_DIR_MISSING: 500,
  // foundation/accounts
  ERR_ACCOUNTS_INVALID: 400,
  ERR_ACCOUNTS_EXISTS: 409,
  ERR_ACCOUNTS_UNKNOWN: 404,
  ERR_ACCOUNTS_TOKEN_REJECTED: 401,
  // foundation/audit: proofs and bundles a caller hands in that do not check out are 400; our
  // own log failing its checks (a fork, a leaf not canonical, a key that does not match) is 500.
  ERR_AUDIT_PROOF_MALFORMED: 400,
  ERR_AUDIT_PROOF_INVALID: 400,
  ERR_AUDIT_CHECKPOINT_MALFORMED: 400,
  ERR_AUDIT_SIGNATURE_INVALID: 400,
  ERR_AUDIT_BUNDLE_MALFORMED: 400,
  ERR_AUDIT_INCONSISTENT: 500,
  ERR_AUDIT_LEAF_MALFORMED: 500,
  ERR_AUDIT_KEY_MISMATCH: 500,
  ERR_AUDIT_LEAF_NOT_FOUND: 404,
  ERR_AUDIT_NOT_INITIALIZED: 503,
  ERR_AUDIT_PERIOD_EXPIRED: 409,
  // foundation/outbox: a wrong, expired or used one-time code is bad input to a public route
  // (login, trip card); 401 and 403 are the bearer-token check's alone (role-matrix test).
  ERR_OUTBOX_CODE_INVALID: 400,
  ERR_OUTBOX_CODE_EXPIRED: 400,
  ERR_OUTBOX_CODE_USED: 400,
  ERR_OUTBOX_RATE_LIMITED: 429,
  ERR_OUTBOX_MESSAGE: 400,
  // foundation/privacy: a spent budget or a withheld release conflicts with the dataset's state;
  // peers that drop out are unavailable; peers that break the protocol are the server's failure.
  ERR_PRIVACY_BUDGET_EXCEEDED: 409,
  ERR_PRIVACY_REIDENTIFICATION: 409,
  ERR_PRIVACY_JOB_ABORTED: 503,
  ERR_PRIVACY_PROTOCOL: 500,
  ERR_PRIVACY_PEER_AUTH: 500,
  ERR_PRIVACY_PARTY_CONFIG: 500,
  ERR_PRIVACY_PSI: 500,
  // foundation/scan and foundation/sim: operator input.
  ERR_SCAN_CANARIES: 400,
  ERR_SCAN_PATH: 400,
  ERR_SIM_UNSUPPORTED_PREFECTURE: 400,
  ERR_SIM_OUTPUT_INSIDE_DATA_DIR: 400,
  ERR_SIM_POPULATION_TOO_LARGE: 400,
  ERR_SIM_NOT_SYNTHETIC: 409,
  // personal/vault
  ERR_VAULT_RESTRICTED: 403,
  ERR_VAULT_REFUSED: 403,
  ERR_VAULT_PURPOSE_UNKNOWN: 404,
  ERR_VAULT_SUBJECT_UNKNOWN: 404,
  ERR_VAULT_RECORD_UNKNOWN: 404,
  ERR_VAULT_INTEGRITY: 500,
  ERR_VAULT_ERASED: 410,
  ERR_VAULT_VALUE: 400,
  // Backups are written and read by the server itself: a failure there is the server's.
  ERR_VAULT_BACKUP: 500,
  // personal/consent
  ERR_CONSENT_UNKNOWN_PURPOSE: 404,
  ERR_CONSENT_UNKNOWN_SERVICE: 404,
  ERR_CONSENT_UNKNOWN_CATEGORY: 400,
  ERR_CONSENT_CATEGORY_NOT_IN_PURPOSE: 400,
  ERR_CONSENT_NOT_CONSENT_BASED: 400,
  ERR_CONSENT_PURPOSE_INACTIVE: 409,
  ERR_CONSENT_CATALOGUE_INVALID: 400,
  ERR_CONSENT_SEPARATE_REQUIRED: 400,
  ERR_CONSENT_BUNDLED: 400,
  ERR_CONSENT_GUARDIAN_REQUIRED: 403,
  ERR_CONSENT_NOTICE_INVALID: 400,
  ERR_CONSENT_NOTHING_TO_WITHDRAW: 409,
  ERR_CONSENT_RECEIPT_INVALID: 400,
  ERR_CONSENT_PIA_REQUIRED: 409,
  ERR_CONSENT_PIA_INVALID: 400,
  ERR_CONSENT_CAMPAIGN_INVALID: 409,
  ERR_CONSENT_CAMPAIGN_UNKNOWN: 404,
  ERR_CONSENT_SUBJECT_ID_INVALID: 400,
  ERR_CONSENT_REFUSED: 403,
  // services/codes: the trust list, rule set and risk-area list are the server's own files.
  ERR_CODES_TRUST_LIST: 500,
  ERR_CODES_RULE_SET: 500,
  ERR_CODES_RISK_AREAS: 500,
  ERR_CODES_NOT_WIRED: 500,
  ERR_CODES_SIGNING_KEY: 503,
  ERR_CODES_COLOUR_INPUT: 400,
  ERR_CODES_REVOCATION_TARGET: 400,
  ERR_CODES_QR_IMAGE: 400,
  ERR_CODES_SIGNER_CERTIFICATE: 400,
  ERR_CODES_DECODE: 400,
  ERR_CODES_NOT_GUARDIAN: 403,
  ERR_CODES_NO_DECISION: 404,
  ERR_CODES_REVIEW_STATE: 409,
  ERR_CODES_REVIEW_UNKNOWN: 404,
  // services/tripcard
  ERR_TRIPCARD_FILE: 400,
  ERR_TRIPCARD_CELLS: 500,
  ERR_TRIPCARD_RISK_LIST: 500,
  // The subscriber's itinerary is restricted or erased: a state of the data, on a public route.
  ERR_TRIPCARD_UNAVAILABLE: 409,
  // services/analytics: the feeds are the instance's; without usable ones it cannot answer yet.
  ERR_ANALYTICS_QUERY: 400,
  ERR_ANALYTICS_FEED: 409,
  // lifecycle/rights
  ERR_RIGHTS_REQUEST_UNKNOWN: 404,
  ERR_RIGHTS_REQUEST_INVALID: 400,
  ERR_RIGHTS_STATE: 409,
  // A one-time code that did not verify, as for the outbox's codes above.
  ERR_RIGHTS_IDENTITY: 400,
  ERR_RIGHTS_NOT_WIRED: 500,
  ERR_RIGHTS_CALENDAR: 500,
  ERR_RIGHTS_PACKAGE_INVALID: 400,
  ERR_RIGHTS_PACKAGE_REPLAYED: 409,
  ERR_RIGHTS_OUTPUT: 400,
  ERR_RIGHTS_CORRECTION_INVALID: 400,
  // lifecycle/disposal
  ERR_DISPOSAL_PLAN_INVALID: 400,
  ERR_DISPOSAL_EXEMPTION_INVALID: 400,
  ERR_DISPOSAL_STORE_UNKNOWN: 404,
  ERR_DISPOSAL_RETIRE_UNKNOWN: 404,
  ERR_DISPOSAL_CODE_UNKNOWN: 404,
  ERR_DISPOSAL_APPROVAL_INVALID: 400,
  ERR_DISPOSAL_ACK_INVALID: 400,
  ERR_DISPOSAL_RECIPIENT_INVALID: 400,
  ERR_DISPOSAL_CERTIFICATE_INVALID: 400,
  ERR_DISPOSAL_NOT_APPROVED: 409,
  ERR_DISPOSAL_PLAN_CHANGED: 409,
  ERR_DISPOSAL_LOCK_TIMEOUT: 409,
  ERR_DISPOSAL_NOT_RUN: 409,
  // edges/http
  ERR_HTTP_UNAUTHENTICATED: 401,
  ERR_HTTP_FORBIDDEN: 403,
  ERR_HTTP_NOT_FOUND: 404,
  ERR_HTTP_INVALID: 400,
  ERR_HTTP_CONFLICT: 409,
  ERR_HTTP_VALIDATION: 400,
};

/** The status of an application error code; a code the table does not know is the server's bug. */
export function statusForCode(code: string): ErrorStatus {
  return Object.hasOwn(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code as ErrorCode] : 500;
}
