// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { statusForCode } from './problem.js';

describe('statusForCode', () => {
  it('maps error-code reasons to HTTP statuses', () => {
    expect(statusForCode('ERR_VAULT_RESTRICTED')).toBe(403);
    expect(statusForCode('ERR_ACCOUNTS_UNKNOWN')).toBe(404);
    expect(statusForCode('ERR_ACCOUNTS_TOKEN_REJECTED')).toBe(401);
    expect(statusForCode('ERR_OUTBOX_RATE_LIMITED')).toBe(429);
    expect(statusForCode('ERR_ACCOUNTS_EXISTS')).toBe(409);
    expect(statusForCode('ERR_PRIVACY_BUDGET_EXCEEDED')).toBe(409);
    expect(statusForCode('ERR_DOMAIN_ID_CHECK')).toBe(400);
    expect(statusForCode('ERR_CRYPTO_INTEGRITY')).toBe(500);
  });
});
