// SPDX-License-Identifier: Apache-2.0
/**
 * @module Account use cases: register users and operators, issue and check scoped API tokens,
 * and sign with an operator's own key (disposal approvals). Token secrets are shown once and
 * stored only as SHA-256 hashes, compared in constant time.
 */
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  timingSafeEqual,
  verify,
  createPrivateKey,
} from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { randomId } from '../../kernel/shared/index.js';
import {
  AccountExistsError,
  AccountInvalidError,
  AccountUnknownError,
  TokenRejectedError,
} from './errors.js';
import {
  ACCOUNT_NAME,
  CITIZEN_ACCOUNT,
  SESSION_PREFIX,
  TOKEN_PREFIX,
  isRole,
  type Account,
  type ApiTokenInfo,
  type Role,
} from './model.js';
import {
  findAccountByName,
  findCitizenSession,
  findTokenWithAccount,
  listAccountRows,
  type AccountsTable,
} from './repository.js';

function toAccount(row: AccountsTable): Account {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    publicKey: row.public_key,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
  };
}

function signingContext(accountId: string): string {
  return `accounts:signing:${accountId}`;
}

/**
 * Registers an account. Operators get their own Ed25519 signing key (private half wrapped
 * through the keyring), so each approval names who signed it.
 */
export async function addAccount(
  store: Store,
  input: { name: string; role: string },
  deps: { wrapper?: KeyWrapper } = {},
): Promise<Account> {
  if (!ACCOUNT_NAME.test(input.name)) {
    throw new AccountInvalidError(
      'account names are 2–63 characters: a lower-case letter, then letters, digits, . _ -',
    );
  }
  if (!isRole(input.role)) {
    throw new AccountInvalidError(
      'role must be one of citizen, verifier, operator, analyst, auditor',
    );
  }
  if (await findAccountByName(store.db.kysely, input.name)) {
    throw new AccountExistsError(`an account named ${input.name} exists`);
  }
  const id = randomId();
  let publicKey: string | null = null;
  let wrapped: Buffer | null = null;
  if (input.role === 'operator') {
    if (!deps.wrapper) {
      throw new TypeError('"deps.wrapper" is required to create an operator signing key');
    }
    const pair = generateKeyPairSync('ed25519');
    publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
    wrapped = await deps.wrapper.wrap(pkcs8, signingContext(id));
    pkcs8.fill(0);
  }
  const row: AccountsTable = {
    id,
    name: input.name,
    role: input.role,
    public_key: publicKey,
    wrapped_private_key: wrapped,
    created_at: store.clock.now().getTime(),
    disabled_at: null,
  };
  await store.db.kysely.insertInto('accounts').values(row).execute();
  return toAccount(row);
}

export async function getAccount(store: Store, name: string): Promise<Account> {
  const row = await findAccountByName(store.db.kysely, name);
  if (!row) {
    throw new AccountUnknownError(`no account named ${name}`);
  }
  return toAccount(row);
}

export async function listAccounts(store: Store): Promise<Account[]> {
  return (await listAccountRows(store.db.kysely)).map(toAccount);
}

export async function disableAccount(store: Store, name: string): Promise<void> {
  const res = await store.db.kysely
    .updateTable('accounts')
    .set({ disabled_at: store.clock.now().getTime() })
    .where('name', '=', name)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) {
    throw new AccountUnknownError(`no account named ${name}`);
  }
}

const DURATION = /^(\d{1,6})(m|h|d)$/;

/** Parses `90m`, `12h`, `30d` into milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) {
    throw new AccountInvalidError('durations look like 90m, 12h or 30d');
  }
  const unit = m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : 86_400_000;
  return Number(m[1]) * unit;
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Issues a token for an account; the returned string is the only copy of its secret. */
export async function createToken(
  store: Store,
  input: { name: string; expiresInMs: number },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const account = await getAccount(store, input.name);
  if (account.disabledAt) {
    throw new AccountInvalidError(`account ${input.name} is disabled`);
  }
  const id = store.random.bytes(9).toString('base64url');
  const secret = store.random.bytes(32).toString('base64url');
  const now = store.clock.now().getTime();
  const expiresAt = now + input.expiresInMs;
  await store.db.kysely
    .insertInto('api_tokens')
    .values({
      id,
      account_id: account.id,
      secret_hash: hashSecret(secret),
      expires_at: expiresAt,
      revoked_at: null,
      created_at: now,
    })
    .execute();
  return { token: `${TOKEN_PREFIX}${id}_${secret}`, id, expiresAt: new Date(expiresAt) };
}

export async function revokeToken(store: Store, id: string): Promise<void> {
  const res = await store.db.kysely
    .updateTable('api_tokens')
    .set({ revoked_at: store.clock.now().getTime() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) {
    throw new TokenRejectedError('no such active token');
  }
}

/**
 * Opens a citizen's portal session once a one-time code proved `subjectId` (an opaque id, never
 * a phone or ID number). The returned string is the only copy of its secret.
 */
export async function createCitizenSession(
  store: Store,
  input: { subjectId: string; expiresInMs: number },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  if (!/^[A-Za-z0-9:._-]{8,128}$/.test(input.subjectId)) {
    throw new TypeError('"subjectId" must be an opaque subject id');
  }
  if (!(input.expiresInMs > 0 && input.expiresInMs <= 86_400_000)) {
    throw new RangeError('"expiresInMs" must be positive and at most one day');
  }
  const id = store.random.bytes(9).toString('base64url');
  const secret = store.random.bytes(32).toString('base64url');
  const now = store.clock.now().getTime();
  const expiresAt = now + input.expiresInMs;
  await store.db.kysely
    .insertInto('citizen_sessions')
    .values({
      id,
      subject_id: input.subjectId,
      secret_hash: hashSecret(secret),
      expires_at: expiresAt,
      revoked_at: null,
      created_at: now,
    })
    .execute();
  return { token: `${SESSION_PREFIX}${id}_${secret}`, id, expiresAt: new Date(expiresAt) };
}

/** Ends a citizen session (logout). Unknown or ended sessions are rejected alike. */
export async function endCitizenSession(store: Store, id: string): Promise<void> {
  const res = await store.db.kysely
    .updateTable('citizen_sessions')
    .set({ revoked_at: store.clock.now().getTime() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (res.numUpdatedRows === 0n) {
    throw new TokenRejectedError('no such active session');
  }
}

const BEARER = /^(hct|hcs)_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * Checks a bearer token (an account's API token or a citizen session); every failure is the
 * same error, so probing learns nothing.
 */
export async function authenticate(store: Store, token: string): Promise<ApiTokenInfo> {
  const reject = () => new TokenRejectedError('token rejected');
  const m = typeof token === 'string' ? BEARER.exec(token) : null;
  if (!m) {
    throw reject();
  }
  const presented = hashSecret(m[3]);
  const now = store.clock.now().getTime();
  if (m[1] === 'hcs') {
    const row = await findCitizenSession(store.db.kysely, m[2]);
    if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), presented)) {
      throw reject();
    }
    if (row.revoked_at !== null || Number(row.expires_at) <= now) {
      throw reject();
    }
    return {
      id: row.id,
      accountName: CITIZEN_ACCOUNT,
      role: 'citizen',
      expiresAt: new Date(Number(row.expires_at)),
      revokedAt: null,
      subjectId: row.subject_id,
    };
  }
  const row = await findTokenWithAccount(store.db.kysely, m[2]);
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), presented)) {
    throw reject();
  }
  if (row.revoked_at !== null || row.disabled_at !== null || Number(row.expires_at) <= now) {
    throw reject();
  }
  return {
    id: row.id,
    accountName: row.account_name,
    role: row.role as Role,
    expiresAt: new Date(Number(row.expires_at)),
    revokedAt: null,
  };
}

/** Signs `message` with an operator's own key. */
export async function signAsOperator(
  store: Store,
  name: string,
  message: Uint8Array,
  deps: { wrapper: KeyWrapper },
): Promise<{ signature: string; publicKey: string }> {
  const row = await findAccountByName(store.db.kysely, name);
  if (!row || row.role !== 'operator' || !row.wrapped_private_key || !row.public_key) {
    throw new AccountUnknownError(`no registered operator named ${name}`);
  }
  if (row.disabled_at !== null) {
    throw new AccountInvalidError(`operator ${name} is disabled`);
  }
  const pkcs8 = await deps.wrapper.unwrap(row.wrapped_private_key, signingContext(row.id));
  try {
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    return { signature: sign(null, message, key).toString('base64'), publicKey: row.public_key };
  } finally {
    pkcs8.fill(0);
  }
}

/** Verifies an operator signature against a base64 SPKI public key. */
export function verifyOperatorSignature(
  publicKey: string,
  message: Uint8Array,
  signature: string,
): boolean {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
