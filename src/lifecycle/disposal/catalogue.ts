// SPDX-License-Identifier: Apache-2.0
/**
 * @module The store catalogue: what each table and each kind of file the code writes holds, and
 * how disposal reaches it (DOMAIN.md req. 14). A table or file kind missing here shows up in the
 * inventory as unclassified — and the inventory test fails — so a capability that adds a store
 * must classify it here in the same change.
 */
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import type { StoreSpec } from './inventory-model.js';

const ALL = DATA_CATEGORIES;

const SUBJECT_LINK =
  'opaque subject ids (pseudonymous, PIPL art. 73(3)); the subject is erased through the vault';

const nonPersonal = (owner: string, description: string, reason: string): StoreSpec => ({
  kind: 'table',
  owner,
  personal: false,
  description,
  categories: [],
  retention: 'kept for the life of the instance',
  disposal: 'not-applicable',
  reason,
});

/** Data tables (in `healthcode.db` or the PostgreSQL database), by table name. */
export const TABLES: Readonly<Record<string, StoreSpec>> = {
  // --- composition root, migrations, accounts -------------------------------------------------
  jobs: nonPersonal('app', 'last run of each periodic job', 'job names and times only'),
  kysely_migration: nonPersonal('db', 'applied schema migrations', 'migration names and times'),
  kysely_migration_lock: nonPersonal('db', 'migration lock', 'a single lock row'),
  accounts: nonPersonal(
    'accounts',
    'staff and device accounts with operators’ public signing keys',
    'operator handles, roles and keys; not data of the programme’s data subjects',
  ),
  api_tokens: nonPersonal('accounts', 'hashed API tokens', 'SHA-256 of token secrets, expiry'),
  citizen_sessions: {
    kind: 'table',
    owner: 'accounts',
    personal: true,
    description: 'citizens’ portal sessions after a one-time-code login (hashed secrets)',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'until the session expires or is revoked; removed with the subject',
    disposal: 'physical-deletion',
  },
  // --- vault (encrypted personal data) --------------------------------------------------------
  vault_subject: {
    kind: 'table',
    owner: 'vault',
    personal: true,
    description:
      'subjects: blind index of the ID number or phone, encrypted subject facts (audit id)',
    categories: ['identity', 'contact'],
    columns: [
      { name: 'id', category: null, personal: true, encrypted: false, note: 'opaque subject id' },
      {
        name: 'lookup',
        category: 'identity',
        personal: true,
        encrypted: false,
        note: 'HMAC-SHA-256 blind index of the normalised ID number or phone',
      },
      {
        name: 'meta',
        category: null,
        personal: true,
        encrypted: true,
        note: 'subject facts under the subject key',
      },
    ],
    retention: 'until the subject is wholly erased',
    disposal: 'crypto-erasure',
  },
  vault_record: {
    kind: 'table',
    owner: 'vault',
    personal: true,
    description:
      'personal data of every category, AES-256-GCM under per-subject per-group data keys',
    categories: ALL,
    columns: [
      {
        name: 'subject_id',
        category: null,
        personal: true,
        encrypted: false,
        note: 'opaque subject id',
      },
      {
        name: 'category',
        category: null,
        personal: false,
        encrypted: false,
        note: 'the data category of the row (any of the fixed list)',
      },
      {
        name: 'entries',
        category: null,
        personal: true,
        encrypted: false,
        note: 'opaque entry ids of a bundle',
      },
      {
        name: 'ct',
        category: null,
        personal: true,
        encrypted: true,
        note: 'the ciphertext; its category is in `category`',
      },
    ],
    retention: 'per purpose (consent catalogue); until disposal',
    disposal: 'crypto-erasure',
  },
  vault_link: {
    kind: 'table',
    owner: 'vault',
    personal: true,
    description: 'links between a citizen and a subscriber proven to be one person',
    categories: [],
    columns: [
      { name: 'citizen_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
      {
        name: 'subscriber_id',
        category: null,
        personal: true,
        encrypted: false,
        note: SUBJECT_LINK,
      },
    ],
    retention: 'until either subject is erased',
    disposal: 'physical-deletion',
  },
  vault_restriction: {
    kind: 'table',
    owner: 'vault',
    personal: true,
    description: 'restricted state per subject, group or category (PIPL art. 47 para. 2)',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'until the restricted data is disposed of',
    disposal: 'physical-deletion',
  },
  tripcard_event: {
    kind: 'table',
    owner: 'tripcard',
    personal: true,
    description:
      'trip-card carrier events: instant and prefecture-level place, AES-256-GCM under the subscriber’s itinerary key',
    categories: ['location-events'],
    columns: [
      {
        name: 'eid',
        category: null,
        personal: true,
        encrypted: false,
        note: 'HMAC blind index of the carrier event id',
      },
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
      {
        name: 'day',
        category: null,
        personal: false,
        encrypted: false,
        note: 'local day number (purge bucket)',
      },
      {
        name: 'ct',
        category: 'location-events',
        personal: true,
        encrypted: true,
        note: 'the sealed event',
      },
    ],
    retention: 'rolling: physically purged after the 14-day window plus one day (tripcard.purge)',
    disposal: 'physical-deletion',
    services: ['trip-card'],
    keyScope: 'itinerary',
    registration: ['contact'],
  },
  // --- audit log -------------------------------------------------------------------------------
  audit_leaves: {
    kind: 'log',
    owner: 'audit',
    personal: true,
    description:
      'RFC 9162 Merkle log leaves: pseudonymous audit ids; access details sealed under month keys',
    categories: [],
    columns: [
      {
        name: 'leaf',
        category: null,
        personal: true,
        encrypted: false,
        note: 'CBOR leaf; access/refusal details sealed (AES-256-GCM) under the month key',
      },
      {
        name: 'subject',
        category: null,
        personal: true,
        encrypted: false,
        note: 'random per-subject audit id; its link to the subject goes with the subject',
      },
    ],
    retention:
      'leaves kept for the proofs; sealed details unreadable after the security-log period (CSL art. 21, ≥ 6 months)',
    disposal: 'expiry',
  },
  audit_head: nonPersonal('audit', 'the log head (size and frontier hashes)', 'hashes'),
  audit_checkpoints: nonPersonal('audit', 'signed checkpoints', 'tree sizes, roots, signatures'),
  audit_period_keys: nonPersonal(
    'audit',
    'month keys that seal access details (wrapped)',
    'instance keys',
  ),
  audit_log_key: nonPersonal('audit', 'the checkpoint signing key (wrapped)', 'an instance key'),
  // --- consent and rights ----------------------------------------------------------------------
  consent_purposes: nonPersonal('consent', 'purpose catalogue with legal bases', 'catalogue data'),
  consent_services: nonPersonal('consent', 'service catalogue', 'catalogue data'),
  consent_version: nonPersonal('consent', 'catalogue version counter', 'a counter'),
  consent_notices: nonPersonal('consent', 'published notices (zh/en)', 'public documents'),
  consent_pia: nonPersonal(
    'consent',
    'privacy impact assessments (PIPL arts. 55–56)',
    'assessments of processing, no subject data; kept ≥ 3 years',
  ),
  consent_receipt_keys: nonPersonal('consent', 'receipt signing keys', 'instance keys'),
  consent_campaigns: nonPersonal('consent', 'repurposing campaigns', 'campaign definitions'),
  consent_events: {
    kind: 'table',
    owner: 'consent',
    personal: true,
    description: 'consent ledger: grants and withdrawals per subject × purpose × category',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'processing records: kept ≥ 3 years (PIPL art. 56), restricted after disposal',
    disposal: 'retain',
  },
  consent_current: {
    kind: 'table',
    owner: 'consent',
    personal: true,
    description: 'current consent state per subject × purpose × category',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'while the consent stands; removed with the subject',
    disposal: 'physical-deletion',
  },
  consent_receipts: {
    kind: 'table',
    owner: 'consent',
    personal: true,
    description: 'signed consent receipts (Kantara CR v1.1 fields)',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'kept ≥ 3 years as proof of consent (PIPL art. 56), restricted after disposal',
    disposal: 'retain',
  },
  consent_campaign_invitations: {
    kind: 'table',
    owner: 'consent',
    personal: true,
    description: 'who was asked to consent to a repurposed service',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'until the campaign closes',
    disposal: 'physical-deletion',
  },
  deletion_triggers: {
    kind: 'table',
    owner: 'consent',
    personal: true,
    description: 'pending deletions after a withdrawal or a retired purpose (PIPL art. 47)',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'until consumed by the deletion it triggers',
    disposal: 'physical-deletion',
  },
  rights_requests: {
    kind: 'table',
    owner: 'rights',
    personal: true,
    description: 'data-subject requests and their deadlines (PIPL arts. 45–50)',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention:
      'records of handling requests: kept ≥ 3 years (PIPL art. 56), restricted after disposal',
    disposal: 'retain',
  },
  rights_imports: nonPersonal(
    'rights',
    'imported request packages',
    'package and key ids, times and a subject count',
  ),
  rights_request_events: nonPersonal(
    'rights',
    'request state changes',
    'request ids, states, times and actor roles',
  ),
  // --- outbox and one-time codes ---------------------------------------------------------------
  otp_challenges: {
    kind: 'table',
    owner: 'outbox',
    personal: true,
    description: 'one-time-code challenges: blind index of the phone, code hash',
    categories: ['contact'],
    columns: [
      {
        name: 'recipient',
        category: 'contact',
        personal: true,
        encrypted: false,
        note: 'keyed hash of the normalised phone',
      },
    ],
    retention: 'until used or expired (the outbox purge job)',
    disposal: 'physical-deletion',
  },
  // --- health codes --------------------------------------------------------------------------
  codes_keys: nonPersonal('codes', 'issuer signing keys (wrapped)', 'instance keys'),
  codes_revocations: nonPersonal(
    'codes',
    'revoked token hashes and key ids',
    'SHA-256 of short-lived tokens that carry no stable subject id (DESIGN.md §4)',
  ),
  codes_reviews: {
    kind: 'table',
    owner: 'codes',
    personal: true,
    description:
      'human reviews of code decisions (PIPL art. 24): status, reason and outcome codes; the decision itself stays encrypted in the vault',
    categories: [],
    columns: [
      { name: 'subject_id', category: null, personal: true, encrypted: false, note: SUBJECT_LINK },
    ],
    retention: 'until the review is decided and its subject disposed of',
    disposal: 'physical-deletion',
  },
  // --- privacy computing (aggregates only) -----------------------------------------------------
  privacy_budgets: nonPersonal('privacy', 'zCDP budgets per dataset and analyst', 'budget numbers'),
  privacy_charges: nonPersonal('privacy', 'budget charges per release', 'budget numbers'),
  privacy_releases: nonPersonal(
    'privacy',
    'differentially private releases',
    'noised aggregates with small cells suppressed (DOMAIN.md req. 23)',
  ),
  // --- disposal itself -------------------------------------------------------------------------
  disposal_runs: nonPersonal('disposal', 'plan runs, counts and evidence', 'counts and plan data'),
  disposal_items: {
    kind: 'table',
    owner: 'disposal',
    personal: true,
    description: 'a run’s work list: opaque subject ids and the categories each loses',
    categories: [],
    columns: [
      {
        name: 'subject_id',
        category: null,
        personal: true,
        encrypted: false,
        note: 'the same opaque ids the key store’s tombstones keep',
      },
    ],
    retention: 'kept with the certificate ≥ 3 years (PIPL art. 56) as the evidence trail',
    disposal: 'retain',
  },
  disposal_locks: nonPersonal('disposal', 'plan run locks', 'process ids and times'),
  disposal_progress: nonPersonal('disposal', 'progress samples', 'counts and times'),
  disposal_recipients: nonPersonal(
    'disposal',
    'declared processors and recipients',
    'organisations',
  ),
  disposal_notices: nonPersonal(
    'disposal',
    'deletion notices and acknowledgments',
    'organisations',
  ),
  disposal_certificates: nonPersonal(
    'disposal',
    'signed disposal certificates',
    'certificates carry counts and commitments only (tested against canaries)',
  ),
  disposal_cert_requests: nonPersonal(
    'disposal',
    'per-subject certificate requests by retrieval-code hash',
    'the subject link is cleared when the certificate is issued',
  ),
  disposal_keys: nonPersonal(
    'disposal',
    'the certificate signing key (wrapped)',
    'an instance key',
  ),
  disposal_evidence: nonPersonal('disposal', 'verification results', 'counts and file names'),
};

/**
 * Outbox purposes (one-time codes) each service sends under: a retired service's pending messages
 * are withdrawn whoever they are addressed to — a code for a card that no longer exists.
 */
export const SERVICE_OUTBOX_PURPOSES: Readonly<Record<string, readonly string[]>> = {
  'trip-card': ['tripcard.query'],
};

/** Key-store tables (`DIR/keys/keystore.sqlite`, or the PostgreSQL schema `healthcode_keys`). */
export const KEY_TABLES: Readonly<Record<string, StoreSpec>> = {
  dek: {
    kind: 'key-store',
    owner: 'keys',
    personal: true,
    description: 'per-subject, per-group data keys wrapped by the KEK',
    categories: ALL,
    retention:
      'until the subject or group is erased; erased keys leave key backups within one KEK rotation',
    disposal: 'key-destruction',
  },
  tombstone: nonPersonal('keys', 'erasure tombstones', 'opaque subject id, scopes and time only'),
  kek: nonPersonal('keys', 'key-encryption keys (wrapped)', 'instance keys'),
  instance_key: nonPersonal('keys', 'lookup and wrapper keys (wrapped)', 'instance keys'),
  keystore_meta: nonPersonal('keys', 'key store metadata', 'settings'),
};

export { FILE_KINDS } from './catalogue-files.js';
export type { FileKind } from './catalogue-files.js';
