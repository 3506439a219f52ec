// SPDX-License-Identifier: Apache-2.0
/**
 * @module Data backups (DESIGN.md §3; DOMAIN.md §6 req. 15). A backup holds the data database
 * only — ciphertext, blind indexes, opaque ids — and never a key: on SQLite the online backup API
 * copies `main` (the key store is another file), on PostgreSQL `pg_dump` skips the key-store
 * schema. Crypto-erasure reaches every backup: a restored row whose data key the key store no
 * longer holds is unreadable, and a restore deletes it before anything is served — it re-applies
 * the key store's current tombstones (every erased subject, group, and re-keyed category) in the
 * same step as the restore (PostgreSQL: one transaction; SQLite: on a private copy, which then
 * replaces the live file through the backup API).
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { Store } from '../../platform/runtime/store.js';
import { KEYSTORE_FILE, KEYSTORE_SCHEMA, readCheckValue } from '../../platform/keys/index.js';
import { toBase64Url } from '../../kernel/crypto/index.js';
import { VaultBackupError } from './errors.js';
import type { VaultCore } from './core.js';
import { resumeErasures, vacuumVaultStorage } from './erase.js';

/** Tag of the info row (SQLite) or header line (PostgreSQL) every backup carries. */
export const BACKUP_FORMAT = 'healthcode-backup/1';

export interface BackupInfo {
  readonly format: typeof BACKUP_FORMAT;
  readonly dialect: 'sqlite' | 'postgres';
  /** The instance's key check value: a restore refuses another instance's backup. */
  readonly kcv: string;
  readonly createdAt: string;
}

export interface RestoreReport {
  readonly tombstones: number;
  /** Rows deleted because their data key is gone (erased after the backup was taken). */
  readonly recordsDropped: number;
  readonly subjectsDropped: number;
  readonly resumed: number;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The SQL that drops every row whose data key the key store no longer holds — the tombstones of
 * erased subjects, groups and re-keyed categories applied to restored data. `ks` names the key
 * store's schema as the restoring connection sees it.
 */
export function tombstoneSql(ks: string, data: string): string[] {
  return [
    `delete from ${data}.vault_record where not exists (select 1 from ${ks}.dek d where d.subject_id = vault_record.subject_id and d.scope = vault_record.grp and d.gen = vault_record.gen and d.wrapped is not null)`,
    `delete from ${data}.vault_subject where not exists (select 1 from ${ks}.dek d where d.subject_id = vault_subject.id and d.scope = 'subject' and d.gen = vault_subject.gen and d.wrapped is not null)`,
    `delete from ${data}.vault_record where not exists (select 1 from ${data}.vault_subject s where s.id = vault_record.subject_id)`,
    `delete from ${data}.vault_restriction where not exists (select 1 from ${data}.vault_subject s where s.id = vault_restriction.subject_id)`,
    `delete from ${data}.vault_link where not exists (select 1 from ${data}.vault_subject s where s.id = vault_link.citizen_id) or not exists (select 1 from ${data}.vault_subject s where s.id = vault_link.subscriber_id)`,
  ];
}

/** Writes an online backup of the data (never the keys) to `file`, which must not exist. */
export async function createBackup(
  store: Store,
  file: string,
  options: { dbUrl?: string | undefined } = {},
): Promise<BackupInfo> {
  const target = resolve(file);
  if (isInside(target, store.paths.root)) {
    throw new VaultBackupError('write backups outside the data dir (they are exports)');
  }
  if (existsSync(target)) {
    throw new VaultBackupError('the backup file exists already; choose a new name');
  }
  const info: BackupInfo = {
    format: BACKUP_FORMAT,
    dialect: store.db.dialect,
    kcv: readCheckValue(store.paths.root) ?? '',
    createdAt: store.clock.now().toISOString(),
  };
  if (store.db.dialect === 'sqlite') {
    // The online backup API copies `main` only: the attached key store is not in it.
    await store.db.sqlite!.backup(target);
    // The native SQLite driver loads only when a SQLite file is read (never on PostgreSQL).
    const { default: Sqlite } = await import('better-sqlite3');
    const b = new Sqlite(target);
    try {
      b.pragma('journal_mode = DELETE');
      b.exec('create table backup_info (name text primary key, value text not null)');
      const put = b.prepare('insert into backup_info (name, value) values (?, ?)');
      for (const [k, v] of Object.entries(info)) {
        put.run(k, v);
      }
    } finally {
      b.close();
    }
    return info;
  }
  await pgDump(pgUrl(options.dbUrl), target, info);
  return info;
}

/** Reads a backup's info; a {@link VaultBackupError} for anything else. */
export async function readBackupInfo(file: string): Promise<BackupInfo> {
  if (!existsSync(file)) {
    throw new VaultBackupError('no such backup file');
  }
  const head = Buffer.alloc(512);
  const fd = openSync(file, 'r');
  const n = readSync(fd, head, 0, 512, 0);
  closeSync(fd);
  const text = head.subarray(0, n).toString('utf8');
  if (text.startsWith('SQLite format 3\u0000')) {
    // Read a private copy: opening the backup itself could leave journal files beside it.
    const tmp = join(tmpdir(), `hc-backup-info-${randomBytes(9).toString('hex')}.tmp`);
    writeFileSync(tmp, readFileSync(file), { mode: 0o600 });
    return withSqlite(tmp, (db) => {
      let info: BackupInfo;
      try {
        const rows = db.prepare('select name, value from backup_info').all() as Array<{
          name: string;
          value: string;
        }>;
        info = Object.fromEntries(rows.map((r) => [r.name, r.value])) as unknown as BackupInfo;
      } catch (cause) {
        throw new VaultBackupError('not a healthcode backup', { cause });
      }
      if (info.format !== BACKUP_FORMAT) {
        throw new VaultBackupError('not a healthcode backup');
      }
      return info;
    });
  }
  const m = /^-- (healthcode-backup\/1) (\{.*\})\n/.exec(text);
  if (m) {
    return JSON.parse(m[2]) as BackupInfo;
  }
  throw new VaultBackupError('not a healthcode backup');
}

/** Opens a SQLite file, runs `fn`, closes it and deletes the file and its companions. */
async function withSqlite<T>(file: string, fn: (db: SqliteDatabase) => T): Promise<T> {
  // The native SQLite driver loads only when a SQLite file is read (never on PostgreSQL).
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(file);
  try {
    return fn(db);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      rmSync(file + suffix, { force: true });
    }
  }
}

/**
 * Restores a backup of this instance, then re-applies the key store's tombstones and finishes
 * pending erasures before anything is served. Stop the server first on PostgreSQL (the restore
 * replaces the data tables).
 */
export async function restoreBackup(
  core: VaultCore,
  file: string,
  options: { actor: string; dbUrl?: string | undefined },
): Promise<RestoreReport> {
  const actor = options.actor;
  const store = core.store;
  const info = await readBackupInfo(file);
  const kcv = readCheckValue(store.paths.root) ?? '';
  if (info.kcv !== kcv) {
    throw new VaultBackupError('the backup belongs to another instance (key check value differs)');
  }
  if (info.dialect !== store.db.dialect) {
    throw new VaultBackupError(
      `a ${info.dialect} backup cannot be restored into ${store.db.dialect}`,
    );
  }
  const tombstones = (await core.keyring.tombstones()).length;
  let dropped: { records: number; subjects: number };
  if (store.db.dialect === 'sqlite') {
    dropped = await restoreSqlite(store, file);
  } else {
    dropped = await restorePostgres(pgUrl(options.dbUrl), file, store.paths.root, store.random);
  }
  const resumed = await resumeErasures(core, actor, { scrub: false });
  await vacuumVaultStorage(core);
  await core.emit(core.db, [
    {
      kind: 'system',
      actor,
      action: 'backup.restore',
      outcome: 'ok',
      at: core.now(),
      details: {
        backupCreatedAt: info.createdAt,
        tombstones,
        recordsDropped: dropped.records,
        subjectsDropped: dropped.subjects,
      },
    },
  ]);
  return {
    tombstones,
    recordsDropped: dropped.records,
    subjectsDropped: dropped.subjects,
    resumed: resumed.resumed,
  };
}

async function restoreSqlite(
  store: Store,
  file: string,
): Promise<{ records: number; subjects: number }> {
  // Work on a private copy in the data dir (never named *.db), then copy it over the live file.
  const work = join(store.paths.root, `.restore-${toBase64Url(store.random.bytes(9))}.tmp`);
  writeFileSync(work, readFileSync(file), { mode: 0o600 });
  // The native SQLite driver loads only when a SQLite file is read (never on PostgreSQL).
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(work);
  try {
    db.pragma('secure_delete = ON');
    db.exec('drop table if exists backup_info');
    db.prepare(`attach database ? as ${KEYSTORE_SCHEMA}`).run(
      join(store.paths.keys, KEYSTORE_FILE),
    );
    const before = countRows(db);
    db.transaction(() => {
      for (const statement of tombstoneSql(KEYSTORE_SCHEMA, 'main')) {
        db.exec(statement);
      }
    })();
    const after = countRows(db);
    db.exec(`detach database ${KEYSTORE_SCHEMA}`);
    db.exec('vacuum');
    // Replace the live data through SQLite's backup API (page by page, under SQLite's locks).
    await db.backup(store.paths.db);
    store.db.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    return { records: before.records - after.records, subjects: before.subjects - after.subjects };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      rmSync(work + suffix, { force: true });
    }
  }
}

function countRows(db: SqliteDatabase): { records: number; subjects: number } {
  const r = db
    .prepare(
      'select (select count(*) from vault_record) as records, (select count(*) from vault_subject) as subjects',
    )
    .get() as {
    records: number;
    subjects: number;
  };
  return r;
}

// ---- PostgreSQL ------------------------------------------------------------------------------

/** Debian's newest pg_dump/psql (/usr/lib/postgresql/N/bin), else the ones on PATH. */
export function pgTool(name: 'pg_dump' | 'psql'): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) {
      return join(base, versions[0], 'bin', name);
    }
  }
  return name;
}

/** libpq environment from a URL, so no password ever reaches a command line. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: decodeURIComponent(u.hostname),
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username || 'postgres'),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
  };
}

async function run(
  tool: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdout?: NodeJS.WritableStream,
): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    if (stdout) {
      child.stdout!.pipe(stdout, { end: false });
    }
    child.on('error', (e) => fail(new VaultBackupError(`${tool} could not start`, { cause: e })));
    child.on('close', (code) => {
      if (code === 0) {
        ok();
      } else {
        fail(
          new VaultBackupError(
            `${tool.split('/').pop()} failed (exit ${code}): ${err.split('\n')[0]?.slice(0, 200) ?? ''}`,
          ),
        );
      }
    });
  });
}

async function pgDump(url: string, target: string, info: BackupInfo): Promise<void> {
  const out = createWriteStream(target, { mode: 0o600, flags: 'wx' });
  out.write(`-- ${BACKUP_FORMAT} ${JSON.stringify(info)}\n`);
  try {
    await run(
      pgTool('pg_dump'),
      [
        '--format=plain',
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        `--exclude-schema=${KEYSTORE_SCHEMA}`,
      ],
      pgEnv(url),
      out,
    );
  } finally {
    await new Promise<void>((ok) => out.end(ok));
  }
}

async function restorePostgres(
  url: string,
  file: string,
  scriptDir: string,
  random: { bytes(n: number): Buffer },
): Promise<{ records: number; subjects: number }> {
  const script = join(scriptDir, `.restore-${toBase64Url(random.bytes(9))}.sql`);
  const counts =
    "\\echo hc-counts\nselect (select count(*) from public.vault_record) || ' ' || (select count(*) from public.vault_subject);\n";
  writeFileSync(
    script,
    counts +
      tombstoneSql(KEYSTORE_SCHEMA, 'public')
        .map((q) => `${q};`)
        .join('\n') +
      '\n' +
      counts,
    { mode: 0o600 },
  );
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  try {
    // One transaction: the restored rows and the tombstones land together, or not at all.
    await run(
      pgTool('psql'),
      [
        '--no-psqlrc',
        '--quiet',
        '--tuples-only',
        '--no-align',
        '--single-transaction',
        '-v',
        'ON_ERROR_STOP=1',
        '-f',
        resolve(file),
        '-f',
        script,
      ],
      pgEnv(url),
      sink,
    );
  } finally {
    rmSync(script, { force: true });
  }
  const marks = output
    .split('\n')
    .map((l, i, all) => (l === 'hc-counts' ? all[i + 1] : undefined))
    .filter((l): l is string => l !== undefined)
    .map((l) => l.split(' ').map(Number));
  const [before, after] = [marks[0] ?? [0, 0], marks[1] ?? [0, 0]];
  return { records: before[0] - after[0], subjects: before[1] - after[1] };
}

/** The PostgreSQL URL the tools connect with (the CLI's --db / HEALTHCODE_DB_URL). */
function pgUrl(url: string | undefined): string {
  if (url === undefined || url === '') {
    throw new VaultBackupError(
      'a PostgreSQL backup needs the database URL (--db or HEALTHCODE_DB_URL)',
    );
  }
  return url;
}
