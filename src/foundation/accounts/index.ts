// SPDX-License-Identifier: Apache-2.0
/** @module Accounts, roles and scoped API tokens; operators' signing keys. */
export { ROLES, isRole, TOKEN_PREFIX, SESSION_PREFIX, CITIZEN_ACCOUNT } from './model.js';
export type { Role, Account, ApiTokenInfo } from './model.js';
export {
  addAccount,
  getAccount,
  listAccounts,
  disableAccount,
  createToken,
  revokeToken,
  authenticate,
  createCitizenSession,
  endCitizenSession,
  parseDuration,
  signAsOperator,
  verifyOperatorSignature,
} from './service.js';
export { accountsMigrations } from './repository.js';
export * as accountsErrors from './errors.js';
