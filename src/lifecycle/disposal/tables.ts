// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's table rows (what repository.ts and records-repository.ts read and write),
 * in a file of their own so the two repositories share them without importing each other.
 */
export interface DisposalRunsTable {
  plan_id: string;
  plan_hash: string;
  /** The plan as approved (canonical JSON): the exemption job reads it after the file is gone. */
  plan_json: string;
  total: number;
  done: number;
  started_at: number;
  executed_at: number | null;
  /** Records per store and category before the run (JSON). */
  before_json: string;
  after_json: string | null;
  anonymised_json: string | null;
  certificate_id: string | null;
}

export interface DisposalItemsTable {
  plan_id: string;
  seq: number;
  subject_id: string;
  /** Comma-separated categories. */
  erase_cats: string;
  restrict_cats: string;
  /** Restricted categories not yet disposed of (their exemption still runs). */
  restrict_left: string;
  keep_cats: string;
  whole: number;
  /** The subject goes entirely once its restricted categories go. */
  whole_after: number;
  /** `{category: {store: records}}` counted before anything was touched. */
  records_json: string;
  /** 0 pending, 1 done. */
  status: number;
  done_at: number | null;
}

export interface DisposalLocksTable {
  plan_id: string;
  holder: string;
  pid: number;
  host: string;
  acquired_at: number;
  heartbeat_at: number;
}

export interface DisposalProgressTable {
  plan_id: string;
  at: number;
  done: number;
}

export interface DisposalRecipientsTable {
  id: string;
  name: string;
  kind: string;
  contact: string;
  categories: string;
  public_key: string | null;
  created_at: number;
}

export interface DisposalNoticesTable {
  plan_id: string;
  party: string;
  notice_id: string;
  sent_at: number;
  receipt: string | null;
  acked_at: number | null;
}

export interface DisposalCertificatesTable {
  id: string;
  plan_id: string | null;
  kind: string;
  body: string;
  sha256: string;
  /** The audit log leaf that records this certificate. */
  leaf_index: number | null;
  created_at: number;
}

export interface DisposalCertRequestsTable {
  code_hash: string;
  plan_id: string | null;
  subject_id: string | null;
  certificate_id: string | null;
  created_at: number;
  issued_at: number | null;
}

export interface DisposalEvidenceTable {
  id: string;
  plan_id: string;
  at: number;
  ok: number;
  body: string;
}

export interface DisposalKeysTable {
  id: string;
  public_key: string;
  wrapped_private_key: Buffer;
  created_at: number;
}
