// SPDX-License-Identifier: Apache-2.0
/** @module Every capability's periodic jobs, collected at the composition root. */
import type { Job } from '../../platform/runtime/jobs.js';
import { auditJobs } from '../../foundation/audit/index.js';
import { outboxPurgeJob } from '../../foundation/outbox/index.js';
import { rightsJobs } from '../../lifecycle/rights/jobs.js';
import { codesJobs } from '../../services/codes/index.js';
import { disposalJobs } from '../../lifecycle/disposal/jobs.js';
import { keysRotateJob } from '../../platform/keys/index.js';
import { vaultResumeJob } from '../../personal/vault/index.js';
import { tripcardPurgeJob } from '../../services/tripcard/jobs.js';

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
