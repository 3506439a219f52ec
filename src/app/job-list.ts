// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's periodic jobs, collected at the composition root. */
import type { Job } from './jobs.js';

export const allJobs: readonly Job[] = [];
