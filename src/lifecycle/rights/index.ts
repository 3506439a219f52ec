// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rights capability's public door (PIPL arts. 44–50; DOMAIN.md §6 req. 19): tracked
 * data-subject requests with working-day deadlines over a configurable holiday calendar, the
 * ports their execution needs (vault export/erase, identity by one-time code), the withdrawal
 * executor on the consent ledger, and the overdue-reminder job.
 */
export {
  REQUEST_TYPES,
  REQUEST_STATES,
  REFUSAL_REASONS,
  IDENTITY_METHODS,
  isRequestType,
  isRefusalReason,
  isIdentityMethod,
  canMove,
  isTerminal,
  isOverdue,
} from './model.js';
export type {
  RequestType,
  RequestState,
  RefusalReason,
  IdentityMethod,
  RightsRequest,
} from './model.js';
export {
  HolidayCalendar,
  defaultCalendar,
  requestDeadlines,
  addDays,
  weekday,
  localDate,
  startOfCalendarDate,
  WORKING_DAYS_TO_COMPLETE,
  DAYS_TO_ANSWER,
} from './calendar.js';
export type { Deadlines } from './calendar.js';
export { CN_HOLIDAYS } from './holidays-cn.js';
export type { HolidayYear } from './holidays-cn.js';
export { loadCalendar, parseCalendar, HOLIDAYS_FILE } from './calendar-file.js';
export {
  openRequest,
  verifyIdentity,
  completeRequest,
  refuseRequest,
  complaintRoute,
} from './service.js';
export { getRequest, listRequests, remindOverdue } from './tracking.js';
export type { RightsDeps, OpenInput } from './service.js';
export type { RightsExecutor, ExecutionResult, IdentityPort } from './ports.js';
export { consentWithdrawalExecutor } from './executors.js';
export {
  exportExecutor,
  portabilityExecutor,
  correctionExecutor,
  explanationExecutor,
  buildExport,
  checkOutPath,
} from './vault-executors.js';
export type { VaultRightsPorts, ColourReevaluation } from './vault-executors.js';
export { EXPORT_FORMAT, exportCsv, exportSummary } from './export.js';
export type { ExportDocument, ExportSubject, ExportRecord, ExportBundle } from './export.js';
export {
  PACKAGE_FORMAT,
  TRUST_FORMAT,
  signPackage,
  verifyPackage,
  parseTrust,
  trustOf,
} from './package.js';
export type { PackagePayload, PackageTrust, PackageSigningKey } from './package.js';
export { importPackage } from './import.js';
export type { ImportDeps, ImportReport } from './import.js';
export type { RightsRuntime, RightsExtra, RightsPorts, OpenRightsRuntime } from './runtime.js';
export { otpIdentityPort } from './identity.js';
export type { SubjectByPhone } from './identity.js';
export { rightsJobs } from './jobs.js';
export { rightsMigrations } from './repository.js';
export * as rightsErrors from './errors.js';
