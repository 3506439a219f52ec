// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault's public door (DESIGN.md §3, §5; STYLE.md §10): encrypted personal data per
 * subject and GB/T 38962 data group, purpose-scoped auditing repositories, the Guard port,
 * the restricted state (PIPL art. 47 para. 2), crypto-erasure, the seeding sink, and data
 * backups that hold ciphertext only.
 */
export { openVault, Vault } from './service.js';
export type { SubjectHoldings } from './service.js';
export { VaultRepository } from './access.js';
export { createVaultSink, SEED_PURPOSE } from './sink.js';
export type {
  ConsentRowWriter,
  ConsentSeedingPort,
  SeedConsentRow,
  VaultSinkOptions,
} from './sink.js';
export type { VaultDeps } from './core.js';
export { interimGuard } from './guard.js';
export type { Guard, GuardRequest, GuardDecision } from './guard.js';
export { planErasure } from './erase.js';
export type { EraseTarget, EraseRequest, EraseOptions, EraseReport } from './erase.js';
export {
  PURPOSES,
  SYSTEM_PURPOSES,
  SUBJECT_KINDS,
  KEY_SCOPES,
  dayToBucket,
  bucketToDay,
  blindIndex,
} from './model.js';
export type {
  AccessContext,
  Purpose,
  SystemPurpose,
  SubjectKind,
  VaultRecord,
  VaultEntry,
  VaultBundle,
  SubjectMeta,
} from './model.js';
export { vaultMigrations } from './repository.js';
export { vaultResumeJob } from './jobs.js';
export { assembleInstanceVault } from './instance.js';
export type {
  InstanceVault,
  InstanceVaultParts,
  OpenInstanceVault,
  VaultPorts,
} from './instance.js';
export { createBackup, restoreBackup, readBackupInfo, BACKUP_FORMAT } from './backup.js';
export type { BackupInfo, RestoreReport } from './backup.js';
export * as vaultErrors from './errors.js';
