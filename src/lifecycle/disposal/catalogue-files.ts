// SPDX-License-Identifier: Apache-2.0
/**
 * @module The kinds of file under a data dir and what each holds (DOMAIN.md req. 14): the
 * database and its WAL, the key store, the outbox, reports, backups, logs, exports, temp files.
 * A file no kind matches is listed as unclassified by the inventory.
 */
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import type { StoreSpec } from './inventory-model.js';

const ALL = DATA_CATEGORIES;

/** A kind of file under the data dir, matched by its path relative to the data dir. */
export interface FileKind {
  readonly id: string;
  readonly match: RegExp;
  readonly spec: StoreSpec;
}

const fileSpec = (
  kind: StoreSpec['kind'],
  owner: string,
  personal: boolean,
  description: string,
  retention: string,
  disposal: StoreSpec['disposal'],
  reason?: string,
): StoreSpec => ({
  kind,
  owner,
  personal,
  description,
  categories: personal ? ALL : [],
  retention,
  disposal,
  ...(reason === undefined ? {} : { reason }),
});

/** File kinds, first match wins. */
export const FILE_KINDS: readonly FileKind[] = [
  {
    id: 'file:database',
    match: /^healthcode\.db(-wal|-shm|-journal)?$/,
    spec: fileSpec(
      'engine-file',
      'db',
      true,
      'the SQLite database file with its WAL and shared memory',
      'as its tables',
      'physical-deletion',
    ),
  },
  {
    id: 'file:key-store',
    match: /^keys\/keystore\.sqlite(-wal|-shm|-journal)?$/,
    spec: fileSpec(
      'key-store',
      'keys',
      true,
      'the key store file (wrapped data keys)',
      'as its keys',
      'key-destruction',
    ),
  },
  {
    id: 'file:master-key',
    match: /^(keys\/)?master\.(key|check)$/,
    spec: fileSpec(
      'key-store',
      'keys',
      false,
      'master secret / key check value',
      'life of the instance',
      'not-applicable',
      'instance key material, no subject data',
    ),
  },
  {
    id: 'file:config',
    match: /^config\.json$/,
    spec: fileSpec(
      'config',
      'app',
      false,
      'instance configuration',
      'life of the instance',
      'not-applicable',
      'settings and the responsible party',
    ),
  },
  {
    id: 'file:checkpoint',
    match: /^checkpoint\.txt$/,
    spec: fileSpec(
      'log',
      'audit',
      false,
      'published signed log checkpoint',
      'replaced by each checkpoint',
      'not-applicable',
      'tree size and root hash',
    ),
  },
  {
    id: 'file:cells',
    match: /^cells\.csv$/,
    spec: fileSpec(
      'analytics-input',
      'sim',
      false,
      'cell → county map used by the carrier feeds',
      'life of the instance',
      'not-applicable',
      'geography only',
    ),
  },
  {
    id: 'file:risk-areas',
    match: /^risk-areas\.json$/,
    spec: fileSpec(
      'config',
      'sim',
      false,
      'published medium/high-risk areas with their time windows',
      'life of the instance',
      'not-applicable',
      'places and time windows, no persons',
    ),
  },
  {
    id: 'file:outbox',
    match: /^outbox\//,
    spec: fileSpec(
      'outbox',
      'vault',
      true,
      'outgoing one-time codes and notices addressed to phones',
      'until used or expired; purged for disposed subjects',
      'physical-deletion',
    ),
  },
  {
    id: 'file:reports',
    match: /^reports\//,
    spec: fileSpec(
      'report',
      'disposal',
      false,
      'certificates, notices and reports',
      '≥ 3 years (PIPL art. 56)',
      'not-applicable',
      'counts and commitments only; scanned for canaries',
    ),
  },
  {
    id: 'file:backups',
    match: /^backups\//,
    spec: fileSpec(
      'backup',
      'vault',
      true,
      'data backups (ciphertext only, keys never included)',
      'until expiry; erased subjects are unreadable at once',
      'crypto-erasure',
    ),
  },
  {
    id: 'file:logs',
    match: /^logs?\//,
    spec: fileSpec(
      'log',
      'app',
      true,
      'process logs (no personal data by rule; inventoried and scanned anyway)',
      'security-log period (CSL art. 21, ≥ 6 months)',
      'expiry',
    ),
  },
  {
    id: 'file:exports',
    match: /^exports?\//,
    spec: fileSpec(
      'export',
      'rights',
      true,
      'exports left in the data dir (should never exist: exports go where the requester says)',
      'deleted by disposal',
      'physical-deletion',
    ),
  },
  {
    id: 'file:temp',
    match: /(^|\/)\.[^/]+\.tmp$|\.tmp$/,
    spec: fileSpec(
      'temp',
      'app',
      true,
      'temporary files of atomic writes',
      'seconds; removed after the rename',
      'physical-deletion',
    ),
  },
];
