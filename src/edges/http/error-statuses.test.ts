// SPDX-License-Identifier: Apache-2.0
/**
 * @module The one error table against the source: every error code the source defines has a
 * status, every status belongs to a code that still exists, and the server answers them so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../kernel/shared/index.js';
import { cryptoErrors } from '../../kernel/crypto/index.js';
import { consentErrors } from '../../personal/consent/index.js';
import { vaultErrors } from '../../personal/vault/index.js';
import { keysErrors } from '../../platform/keys/index.js';
import { createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { buildHttpApp } from './app.js';
import { STATUS_BY_CODE, statusForCode } from './error-statuses.js';
import { HTTP_VALIDATION_CODE } from './errors.js';
import { route } from './route-kit.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const CODE = /^ERR_[A-Z0-9_]+$/;

/**
 * `ERR_` literals in the source that are not the code of an error anyone throws, each with why.
 * A new literal that is neither here nor in the table fails the test.
 */
const NOT_ERROR_CODES: Readonly<Record<string, string>> = {
  ERR_APP: "AppError's own placeholder; every subclass overrides it",
  ERR_BUFFER_TOO_LARGE: "Node's zlib error code, read by codes/inflate.ts",
  ERR_INTERNAL: 'what a disposal run records as its failure when the error was not an AppError',
  ERR_RIGHTS_OVERDUE: 'an audit outcome of the overdue-request job, not an error',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      return sourceFiles(path);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every `ERR_…` string literal of the source (comments do not count), by where it appears. */
function codeLiterals(): { classCodes: Map<string, string>; others: Map<string, string> } {
  const classCodes = new Map<string, string>();
  const others = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && CODE.test(node.text)) {
        const p = node.parent;
        const isClassCode =
          ts.isPropertyDeclaration(p) && p.name.getText(sf) === 'code' && p.initializer === node;
        (isClassCode ? classCodes : others).set(node.text, relative(SRC, file));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { classCodes, others };
}

/** The static `code` of every error class exported by every `errors.ts` under src/. */
async function exportedErrorClasses(): Promise<Map<string, typeof AppError>> {
  const out = new Map<string, typeof AppError>();
  const files = sourceFiles(SRC).filter((f) => f.endsWith('/errors.ts'));
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (isErrorClass(value)) {
        const cls = value as typeof AppError;
        if (Object.hasOwn(cls, 'code')) {
          out.set(cls.code, cls);
        }
      }
    }
  }
  return out;
}

const tableCodes = new Set(Object.keys(STATUS_BY_CODE));

/** Whether a value is an error class (a subclass of AppError). */
const isErrorClass = (value: unknown): boolean =>
  typeof value === 'function' && value.prototype instanceof AppError;

describe('the error doors', () => {
  // The base classes (AppError, UsageError, NotFoundError) stay named exports of kernel/shared.
  const doors = sourceFiles(SRC)
    .filter((f) => f.endsWith('/errors.ts') && !f.endsWith('kernel/shared/errors.ts'))
    .map((f) => f.replace(/errors\.ts$/, ''));

  it.each(doors.map((d) => [relative(SRC, d), d]))(
    '%s exports its errors as one namespace and no error class by name',
    async (_name, dir) => {
      const errors = (await import(pathToFileURL(`${dir}errors.ts`).href)) as object;
      const door = (await import(pathToFileURL(`${dir}index.ts`).href)) as Record<string, unknown>;
      const classes = Object.entries(errors).filter(([, v]) => isErrorClass(v));
      expect(classes.length).toBeGreaterThan(0);
      const namespaces = Object.entries(door).filter(
        ([, v]) =>
          typeof v === 'object' &&
          v !== null &&
          classes.every(([k, cls]) => (v as Record<string, unknown>)[k] === cls),
      );
      expect(namespaces.map(([k]) => k)).toHaveLength(1);
      const named = Object.entries(door).filter(([, v]) => isErrorClass(v));
      expect(named.map(([k]) => k)).toEqual([]);
    },
  );
});

describe('the error-code → HTTP status table', () => {
  it('has a status for the code of every error class in every errors.ts', async () => {
    const classes = await exportedErrorClasses();
    // 143 codes in 19 errors.ts files when this test was written; far fewer means a broken walk.
    expect(classes.size).toBeGreaterThan(140);
    const missing = [...classes.keys()].filter((c) => !tableCodes.has(c));
    expect(missing).toEqual([]);
  });

  it('has a status for every error code declared or used anywhere in the source', () => {
    const { classCodes, others } = codeLiterals();
    const declaredOutsideTable = [...classCodes].filter(
      ([c]) => !tableCodes.has(c) && !Object.hasOwn(NOT_ERROR_CODES, c),
    );
    expect(declaredOutsideTable).toEqual([]);
    const unexplained = [...others].filter(
      ([c]) => !tableCodes.has(c) && !Object.hasOwn(NOT_ERROR_CODES, c),
    );
    expect(unexplained).toEqual([]);
  });

  it('has no entry whose code no longer exists, and no stale exception', () => {
    const { classCodes, others } = codeLiterals();
    const stale = [...tableCodes].filter((c) => !classCodes.has(c) && c !== HTTP_VALIDATION_CODE);
    expect(stale).toEqual([]);
    const staleExceptions = Object.keys(NOT_ERROR_CODES).filter(
      (c) => !others.has(c) && !classCodes.has(c),
    );
    expect(staleExceptions).toEqual([]);
    // Every error class lives in an errors.ts, where the walk above finds it.
    const elsewhere = [...classCodes].filter(([, file]) => !file.endsWith('/errors.ts'));
    expect(elsewhere).toEqual([]);
  });

  it('follows the rules for the classes the issue names', () => {
    expect(statusForCode(keysErrors.KekUnavailableError.code)).toBe(503);
    expect(statusForCode('ERR_KEYS_MASTER_MISSING')).toBe(503);
    expect(statusForCode(keysErrors.KeyUnwrapError.code)).toBe(500);
    expect(statusForCode(cryptoErrors.IntegrityError.code)).toBe(500);
    expect(statusForCode(vaultErrors.VaultIntegrityError.code)).toBe(500);
    expect(statusForCode('ERR_VAULT_ERASED')).toBe(410);
    expect(statusForCode(consentErrors.PiaRequiredError.code)).toBe(409);
    expect(statusForCode(consentErrors.UnknownPurposeError.code)).toBe(404);
    expect(statusForCode('ERR_VAULT_RESTRICTED')).toBe(403);
    expect(statusForCode('ERR_ACCOUNTS_TOKEN_REJECTED')).toBe(401);
    expect(statusForCode('ERR_OUTBOX_RATE_LIMITED')).toBe(429);
    expect(statusForCode('ERR_DOMAIN_ID_CHECK_CHARACTER')).toBe(400);
    // A code nobody gave a status is the server's bug, not the client's.
    expect(statusForCode('ERR_NOBODY_DEFINES_THIS')).toBe(500);
  });
});

describe('errors through the HTTP app', () => {
  let t: TestInstance;
  let app: ReturnType<typeof buildHttpApp>;
  let toThrow: Error = new Error('unset');

  beforeAll(async () => {
    t = await createTestInstance('sqlite');
    const thrower = route({
      method: 'GET',
      url: '/api/test/throw',
      access: 'public',
      summary: 'throws the error the test chose',
      tags: ['test'],
      example: {},
      handler() {
        return Promise.reject(toThrow);
      },
    });
    app = buildHttpApp({ store: t.store, routes: [thrower], rateLimit: false });
  });

  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  async function answerTo(err: Error) {
    toThrow = err;
    const res = await app.inject('/api/test/throw');
    expect(res.headers['content-type']).toContain('application/problem+json');
    return { status: res.statusCode, body: res.json<Record<string, unknown>>(), text: res.body };
  }

  it('answers 503 with a fixed body when the key store has no KEK', async () => {
    const { status, body, text } = await answerTo(
      new keysErrors.KekUnavailableError('KEK version 7 was destroyed by a rotation'),
    );
    expect(status).toBe(503);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is unavailable; try again later.',
    });
    expect(text).not.toContain('KEK');
  });

  it.each([
    [
      'a key that does not unwrap',
      new keysErrors.KeyUnwrapError('data key subj-1#3 failed to unwrap'),
    ],
    [
      'a vault ciphertext that fails',
      new vaultErrors.VaultIntegrityError('row 12 of subj-1 was moved'),
    ],
    ['an AEAD open that fails', new cryptoErrors.IntegrityError()],
    ['something that is not an AppError', new TypeError('x is undefined at subj-1')],
  ])('answers 500 with the same fixed body for %s, leaking nothing', async (_what, err) => {
    const { status, body, text } = await answerTo(err);
    expect(status).toBe(500);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An internal error occurred.',
    });
    expect(text).not.toMatch(/subj-1|ERR_|unwrap|moved|ciphertext/);
  });

  it('answers 409 with the code and message for a missing PIA', async () => {
    const { status, body } = await answerTo(
      new consentErrors.PiaRequiredError('purpose clinic needs a PIA'),
    );
    expect(status).toBe(409);
    expect(body).toMatchObject({
      status: 409,
      title: 'Conflict',
      code: 'ERR_CONSENT_PIA_REQUIRED',
      type: 'urn:healthcode:error:ERR_CONSENT_PIA_REQUIRED',
      detail: 'purpose clinic needs a PIA',
    });
  });

  it('answers 404 for an unknown thing', async () => {
    const { status, body } = await answerTo(
      new vaultErrors.VaultRecordUnknownError('no such record'),
    );
    expect(status).toBe(404);
    expect(body).toMatchObject({ status: 404, code: 'ERR_VAULT_RECORD_UNKNOWN' });
  });

  it('answers every error class with its table status', async () => {
    for (const [code, cls] of await exportedErrorClasses()) {
      const Concrete = cls as unknown as new (message: string) => Error;
      const { status, body } = await answerTo(new Concrete('a message'));
      expect(status, code).toBe(STATUS_BY_CODE[code as keyof typeof STATUS_BY_CODE]);
      expect(body.code, code).toBe(status >= 500 ? undefined : code);
    }
  });
});
