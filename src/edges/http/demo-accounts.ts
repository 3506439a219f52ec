// SPDX-License-Identifier: Apache-2.0
/**
 * @module The demo instance's staff accounts: one per role the console needs (operator, analyst,
 * auditor, verifier), created on first run, with fresh 12-hour tokens printed at every start so a
 * visitor can try each view. Only ever called with `--demo` on a synthetic instance.
 */
import { addAccount, createToken, getAccount, type Role } from '../../foundation/accounts/index.js';
import type { Store } from '../../platform/runtime/index.js';
import { isAppError } from '../../kernel/shared/index.js';

export const DEMO_ROLES = ['operator', 'analyst', 'auditor', 'verifier'] as const;
export const DEMO_TOKEN_MS = 12 * 3_600_000;

/** Ensures the demo accounts and issues one token each; answers role → token. */
export async function demoRoleTokens(store: Store): Promise<Record<string, string>> {
  if (store.config.synthetic !== true) {
    throw new TypeError('demo accounts only on a synthetic instance');
  }
  const out: Record<string, string> = {};
  for (const role of DEMO_ROLES satisfies readonly Role[]) {
    const name = `demo-${role}`;
    try {
      await getAccount(store, name);
    } catch (err) {
      if (!(isAppError(err) && err.code === 'ERR_ACCOUNTS_UNKNOWN')) {
        throw err;
      }
      await addAccount(store, { name, role }, { wrapper: store.keyring.keyWrapper() });
    }
    out[role] = (await createToken(store, { name, expiresInMs: DEMO_TOKEN_MS })).token;
  }
  return out;
}
