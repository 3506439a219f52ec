// SPDX-License-Identifier: Apache-2.0
/**
 * @module Analytics' public door: crowd / OD / job-residence / site queries as DP releases over the
 * privacy capability's secure aggregation, the input parties' local step and consent port, heat
 * maps, and the demo.
 */
export { QUERY_KINDS, parseQuery, compileQuery, toQueryEvent } from './model.js';
export type { AnalyticsQuery, CompiledQuery, QueryKind, QueryEvent } from './model.js';
export {
  SYNTHETIC_CONSENT,
  denyListConsent,
  carrierFeed,
  recordsFeed,
  buildLocalInput,
} from './local.js';
export type { StatisticsConsentPort, HolderData, FeedEvent, LocalStats } from './local.js';
export { runAnalytics, releaseCsv, releaseHeatmap } from './service.js';
export type {
  AnalyticsRequest,
  AnalyticsDeps,
  AnalyticsRelease,
  AnalyticsOutcome,
} from './service.js';
export { startFeedCluster } from './feed-cluster.js';
export { hexHeatmap, matrixHeatmap } from './heatmap.js';
export { loadPartyConfig, startPartyFromConfig, partyConfigSchema } from './party-runtime.js';
export type { PartyConfig, PartyInstanceOptions } from './party-runtime.js';
export { localPartyConfig, runDemo } from './demo.js';
export {
  analyticsBudget,
  parseAnalyticsRequest,
  carrierFeedsFromDir,
  startOfYesterday,
  loadJobFile,
  runReleaseWithFeeds,
  runReleaseWithParties,
  listAnalyticsReleases,
} from './api.js';
export type { BudgetView } from './api.js';
export { PrivacyLedger, DEFAULT_RHO_BUDGET } from './ledger.js';
export type { Reservation, ReleaseRecord } from './ledger.js';
export { privacyLedgerMigrations } from './repository.js';
export { guardedConsent, STATISTICS_PURPOSE, STATISTICS_CATEGORY } from './consent.js';
export type { StatisticsGuard, SubjectResolver } from './consent.js';
export { instanceStatisticsConsent, ANALYTICS_CONSENT_ACTOR } from './instance-consent.js';
export type { InstanceConsent } from './instance-consent.js';
export type { DemoOptions } from './demo.js';
export * as analyticsErrors from './errors.js';
