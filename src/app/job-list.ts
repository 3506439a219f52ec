// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's periodic jobs, collected at the composition root. */
import type { Job } from './jobs.js';
import { auditJobs } from '../audit/index.js';
import { outboxPurgeJob } from '../outbox/index.js';
import { rightsJobs } from '../rights/jobs.js';
import { codesJobs } from '../codes/index.js';
import { disposalJobs } from '../disposal/jobs.js';
import { keysRotateJob } from '../keys/index.js';
import { vaultResumeJob } from '../vault/index.js';
import { tripcardPurgeJob } from '../tripcard/jobs.js';

export const allJobs: readonly Job[] = [
  ...auditJobs((store) => store.keyring.keyWrapper()),
  outboxPurgeJob,
  ...codesJobs((store) => store.keyring.keyWrapper()),
  ...disposalJobs(),
  ...rightsJobs,
  keysRotateJob,
  vaultResumeJob,
  tripcardPurgeJob,
];
