// SPDX-License-Identifier: Apache-2.0
/**
 * @module Every implementation behind `healthcode purpose`, `service` and `consent` (what
 * commands.ts loads, through its one loader, when such a command runs).
 */
export {
  piaAdd,
  piaList,
  purposeAdd,
  purposeList,
  purposeRetire,
  purposeShow,
  serviceAdd,
  serviceList,
  serviceRetire,
} from './cli-catalogue.js';
export {
  campaignAnswer,
  campaignClose,
  campaignInvite,
  campaignPropose,
  campaignShow,
  consentGrant,
  consentGuardCheck,
  consentNotice,
  consentShow,
  consentTriggers,
  consentVerify,
  consentWithdraw,
} from './cli-ledger.js';
export { readJsonDocument } from './cli-support.js';
