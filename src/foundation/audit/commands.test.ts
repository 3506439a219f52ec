// SPDX-License-Identifier: Apache-2.0
/**
 * End to end: the compiled `healthcode audit …` commands (npm test builds dist first) against a
 * real instance on each engine, the keyring's KeyWrapper included; offline checks run with no
 * data dir; several processes append at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, DialectName } from '../../platform/db/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { dropTriggerSql } from './migrations.js';
import { signCheckpoint } from './checkpoint.js';
import { leafHash } from './merkle.js';
import { noteSigner } from './note.js';
import { LOG_KEY_CONTEXT, createAuditLog } from './service.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'edges', 'cli', 'main.js');

function run(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function event(i: number): AuditEvent {
  return {
    kind: i % 2 ? 'access' : 'write',
    actor: 'operator:alice',
    purpose: 'epidemic-control',
    subjectAuditId: `subject-${i}-e2e`,
    category: 'health',
    action: i % 2 ? 'get' : 'put',
    outcome: 'ok',
    at: new Date(),
    details: { n: i },
  };
}

describe('compiled CLI', () => {
  it('is built (npm test builds before vitest)', () => {
    expect(existsSync(MAIN)).toBe(true);
  });
});

/** Drops the triggers, as an attacker with file access would, and flips a bit of leaf 2. */
async function tamperLeaf2(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const s of dropTriggerSql(dialect, 'audit_leaves')) {
      await sql.raw(s).execute(trx);
    }
    const row = await trx
      .selectFrom('audit_leaves')
      .select('leaf')
      .where('leaf_index', '=', 2)
      .executeTakeFirstOrThrow();
    const changed = Buffer.from(row.leaf);
    changed[changed.length - 1] ^= 1;
    await trx
      .updateTable('audit_leaves')
      .set({ leaf: changed })
      .where('leaf_index', '=', 2)
      .execute();
  });
}

describe('healthcode audit on postgres', () => {
  it('signs, verifies and catches a changed leaf', async () => {
    const t = await createTestInstance('postgres');
    const env = { HEALTHCODE_DB_URL: t.dbUrl };
    const data = ['--data', t.dataDir];
    try {
      const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
      await t.store.db.kysely
        .transaction()
        .execute((trx) => log.append(trx, [0, 1, 2, 3].map(event)));
      const cp = run([...data, 'audit', 'checkpoint', '--json'], env);
      expect(cp.code).toBe(0);
      expect(JSON.parse(cp.stdout)).toMatchObject({ size: 4, signed: true });
      expect(run([...data, 'audit', 'verify'], env).code).toBe(0);
      await tamperLeaf2(t.store.db.kysely, 'postgres');
      expect(run([...data, 'audit', 'verify'], env).code).toBe(1);
    } finally {
      await t.cleanup();
    }
  }, 120_000);
});

describe('healthcode audit on sqlite', () => {
  const dialect = 'sqlite' as const;
  let t: TestInstance;
  let work: string;
  let data: string[];
  let vkey: string;
  const env = {};
  const file = (name: string) => join(work, name);

  beforeAll(async () => {
    t = await createTestInstance(dialect);
    work = mkdtempSync(join(tmpdir(), 'hc-audit-cli-'));
    data = ['--data', t.dataDir];
    const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
    await log.init();
    const db = t.store.db.kysely;
    await db.transaction().execute((trx) => log.append(trx, [0, 1, 2, 3, 4].map(event)));
    writeFileSync(file('old.txt'), (await log.checkpoint()).checkpoint.note);
    await db.transaction().execute((trx) => log.append(trx, [5, 6, 7].map(event)));
    writeFileSync(file('new.txt'), (await log.checkpoint()).checkpoint.note);
    vkey = await log.verifierKey();
  });

  afterAll(async () => {
    await t.cleanup();
  });

  it('publishes the checkpoint, keeps a history and verifies against a pinned key', () => {
    const cp = run([...data, 'audit', 'checkpoint', '--json', '--history', file('hist')], env);
    expect(cp.code).toBe(0);
    expect(JSON.parse(cp.stdout)).toMatchObject({ size: 8, signed: false, verifierKey: vkey });
    expect(readFileSync(join(t.dataDir, 'checkpoint.txt'), 'utf8')).toBe(
      readFileSync(file('new.txt'), 'utf8'),
    );
    const ok = run([...data, 'audit', 'verify', '--json', '--key', vkey], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, report: { size: 8 } });
  }, 120_000);

  it('proves a leaf, checked offline with no data dir; a changed bundle fails', () => {
    const proof = file('proof.json');
    expect(run([...data, 'audit', 'prove', '6', '--out', proof], env).code).toBe(0);
    const none = file('none');
    const offline = run(
      ['--data', none, 'audit', 'check-proof', proof, '--key', vkey, '--json'],
      {},
      work,
    );
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: true, leafIndex: 6, treeSize: 8 });
    expect(existsSync(none)).toBe(false);
    const bundle = JSON.parse(readFileSync(proof, 'utf8')) as { leaf: string };
    const leaf = Buffer.from(bundle.leaf, 'base64');
    leaf[leaf.length - 1] ^= 1;
    writeFileSync(proof, JSON.stringify({ ...bundle, leaf: leaf.toString('base64') }));
    expect(run(['audit', 'check-proof', proof, '--key', vkey], {}, work).code).toBe(1);
    writeFileSync(proof, '{"format": 1');
    expect(run(['audit', 'check-proof', proof], {}, work).code).toBe(2);
  }, 120_000);

  it('produces a consistency proof from the data dir and checks it offline', () => {
    const cons = file('cons.json');
    const [older, newer] = [file('old.txt'), file('new.txt')];
    expect(run([...data, 'audit', 'consistency', older, newer, '--out', cons], env).code).toBe(0);
    const checked = run(
      ['audit', 'consistency', older, newer, '--proof', cons, '--key', vkey, '--json'],
      {},
      work,
    );
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, size1: 5, size2: 8 });
  }, 120_000);

  it('reports a forked checkpoint in an auditor history loudly', async () => {
    const db = t.store.db.kysely;
    const keyRow = await db.selectFrom('audit_log_key').selectAll().executeTakeFirstOrThrow();
    const seed = await t.store.keyring.keyWrapper().unwrap(keyRow.wrapped, LOG_KEY_CONTEXT);
    const fork = signCheckpoint(
      { origin: keyRow.name, size: 5, root: leafHash(Buffer.from('another past')) },
      noteSigner(keyRow.name, seed),
    );
    mkdirSync(file('forked'));
    writeFileSync(join(file('forked'), 'seen-elsewhere.txt'), fork.note);
    const loud = run([...data, 'audit', 'verify', '--history', file('forked')], env);
    expect(loud.code).toBe(1);
    expect(loud.stderr).toContain('INCONSISTENT CHECKPOINTS');
    expect(loud.stdout).toContain('INCONSISTENT seen-elsewhere.txt');
  }, 120_000);

  it('catches a changed leaf (triggers dropped): verify, verify --checkpoint and prove fail', async () => {
    await tamperLeaf2(t.store.db.kysely, dialect);
    const bad = run([...data, 'audit', 'verify', '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false });
    expect(run([...data, 'audit', 'verify', '--checkpoint', file('old.txt')], env).code).toBe(1);
    expect(run([...data, 'audit', 'prove', '2'], env).code).toBe(1);
  }, 120_000);
});

for (const dialect of DIALECTS) {
  describe(`concurrent appenders on ${dialect}`, () => {
    it('several processes append at once and the log stays one consistent tree', async () => {
      const t = await createTestInstance(dialect);
      try {
        const log = createAuditLog(t.store, { keyWrapper: t.store.keyring.keyWrapper() });
        await log.init();
        const script = `
          const { openInstance } = await import(${JSON.stringify(join(ROOT, 'dist/src/edges/app/instance.js'))});
          const { createAuditLog, signCheckpointIfGrown } = await import(${JSON.stringify(join(ROOT, 'dist/src/foundation/audit/index.js'))});
          const store = await openInstance({ dataDir: process.argv[1], dbUrl: process.env.HEALTHCODE_DB_URL || undefined, create: false });
          const deps = { keyWrapper: store.keyring.keyWrapper() };
          const log = createAuditLog(store, deps);
          await log.preparePeriodKeys();
          for (let b = 0; b < 5; b++) {
            await store.db.kysely.transaction().execute((trx) => log.append(trx, Array.from({ length: 5 }, (_, i) => ({
              kind: i % 2 ? 'access' : 'write', actor: 'job:test', action: 'put', outcome: 'ok',
              subjectAuditId: 'subject-' + process.pid + '-' + b + '-' + i, at: new Date(), details: { b, i } }))));
          }
          await signCheckpointIfGrown(store, deps);
          await store.close();`;
        const children = Array.from(
          { length: 3 },
          () =>
            new Promise<number | null>((done) => {
              const child = spawn(
                process.execPath,
                ['--input-type=module', '-e', script, t.dataDir],
                {
                  env: { ...process.env, HEALTHCODE_DB_URL: t.dbUrl ?? '' },
                  stdio: ['ignore', 'ignore', 'inherit'],
                },
              );
              child.on('exit', (code) => done(code));
            }),
        );
        expect(await Promise.all(children)).toEqual([0, 0, 0]);
        const report = await log.verify();
        expect(report).toMatchObject({ ok: true, size: 75, unsignedLeaves: 0 });
      } finally {
        await t.cleanup();
      }
    }, 120_000);
  });
}
