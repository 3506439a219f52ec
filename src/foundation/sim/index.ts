// SPDX-License-Identifier: Apache-2.0
/**
 * @module The synthetic city's public door (issue 2 item 6, issue 8 item 5): a deterministic,
 * streaming population of one prefecture-level city, its carriers' feeds, its cell table and
 * risk areas, and the {@link PopulationSink} port seeding writes through.
 */
export type {
  CarrierId,
  SyntheticResident,
  LocationEvent,
  SyntheticRecord,
  PopulationSink,
  RiskArea,
} from './model.js';
export type { PopulationOptions } from './context.js';
export { CARRIERS, CARRIER_PREFIXES } from './context.js';
export { generatePopulation, riskAreasFor } from './generator.js';
export type { RiskAreaOptions } from './generator.js';
export { CHILD_SHARE, SECOND_SIM_SHARE } from './identity.js';
export {
  buildCityMap,
  cellsCsv,
  supportedPrefectures,
  DEFAULT_PREFECTURE,
  H3_RESOLUTION,
} from './geo.js';
export type { CityMap, MapCity } from './geo.js';
export { writeCarrierFeeds, CarrierFeedWriter } from './feeds.js';
export type { FeedCounts } from './feeds.js';
export {
  writeCellsCsv,
  writeRiskAreasJson,
  canaryResidents,
  canaryListText,
  assertOutsideDataDir,
} from './files.js';
export { MemorySink } from './memory-sink.js';
export { syntheticConsents, CONSENT_SHARES, WITHDRAWAL_SHARE } from './consents.js';
export type { SyntheticConsent, SyntheticConsentAct } from './consents.js';
export {
  seedPopulation,
  checkSeedOutputs,
  SYNTHETIC_OPERATOR,
  DEFAULT_CANARIES,
} from './service.js';
export type { SeedRequest, SeedDeps, SeedSummary } from './service.js';
export * as simErrors from './errors.js';
