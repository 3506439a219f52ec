// SPDX-License-Identifier: Apache-2.0
/** @module Typed errors of the analytics capability (queries over the private aggregation). */
import { AppError } from '../../kernel/shared/index.js';

/** A query is malformed or names something outside the public domain. */
export class QueryError extends AppError {
  static override readonly code = 'ERR_ANALYTICS_QUERY';
  override readonly code = 'ERR_ANALYTICS_QUERY';
}

/** An input party's data source (feed file, register) is unusable. */
export class FeedError extends AppError {
  static override readonly code = 'ERR_ANALYTICS_FEED';
  override readonly code = 'ERR_ANALYTICS_FEED';
}

export type AnalyticsErrorCode = typeof QueryError.code | typeof FeedError.code;
