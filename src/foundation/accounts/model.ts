// SPDX-License-Identifier: Apache-2.0
/**
 * @module Accounts: the people and devices that act on an instance — operators (who approve
 * disposal plans with their own signing key), analysts, auditors, verifier devices and citizens —
 * and their scoped API tokens. Least privilege: a role names what it may do, nothing more.
 */

export const ROLES = ['citizen', 'verifier', 'operator', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Account names are operator-chosen handles, not personal data of citizens. */
export const ACCOUNT_NAME = /^[a-z][a-z0-9._-]{1,62}$/;

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** SPKI DER of the account's Ed25519 signing key (operators), base64. */
  readonly publicKey: string | null;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

export interface ApiTokenInfo {
  readonly id: string;
  readonly accountName: string;
  readonly role: Role;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  /** Citizen sessions only: the opaque subject id the one-time-code login proved. */
  readonly subjectId?: string;
}

/** Token format: `hct_<id>_<secret>`; only SHA-256(secret) is stored. */
export const TOKEN_PREFIX = 'hct_';

/** Citizen session format: `hcs_<id>_<secret>`; only SHA-256(secret) is stored. */
export const SESSION_PREFIX = 'hcs_';

/** The account name every citizen session reports (citizens hold no named account). */
export const CITIZEN_ACCOUNT = 'citizen';
