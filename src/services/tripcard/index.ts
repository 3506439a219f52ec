// SPDX-License-Identifier: Apache-2.0
/**
 * @module The trip card's public door (issue 8; DOMAIN.md §2.4, §6 req. 21): carrier location
 * events sealed per subscriber in the vault's keys, the 14-day city card behind an SMS one-time
 * code, risk marks computed at query time, and the rolling physical purge.
 */
export { openTripcard } from './service.js';
export type { CodeIdentity, PhoneLookup, TripcardPorts } from './ports.js';
export type { TripcardService, IngestRequest } from './service.js';
export type { IngestSummary } from './ingest.js';
export type { Itinerary, CityLine } from './query.js';
export type { PurgeResult } from './purge.js';
export { REJECT_REASONS, parseRecord } from './model.js';
export type { RejectReason, TripEvent, Place } from './model.js';
export { staysOf, visitedPlaces, MAX_GAP_MS, MIN_STAY_MS } from './itinerary.js';
export { readRecords, formatOf } from './reader.js';
export type { RawLine } from './reader.js';
export { OTP_PURPOSE } from './otp.js';
export { WINDOW_DAYS, PURGE_DAYS } from './context.js';
export { tripcardMigrations } from './repository.js';
export type { TripcardEventTable } from './repository.js';
export { tripcardPurgeJob, TRIPCARD_PURGE_JOB } from './jobs.js';
export * as tripcardErrors from './errors.js';
