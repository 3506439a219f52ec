// SPDX-License-Identifier: Apache-2.0
/**
 * Tampering, as an attacker with file access would do it: the append-only triggers are dropped,
 * then a leaf is changed, removed, reordered or inserted — sometimes clumsily, sometimes with
 * every stored hash and the head recomputed to match — and `audit verify`'s check must notice.
 * SQLite runs 1,000 random tamperings on an in-memory copy of a real log file; PostgreSQL
 * runs a smaller loop on the real database, each tampering inside a rolled-back transaction.
 */
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import type { DIALECTS } from '../../../test/support/dialects.js';
import { createTestInstance } from '../../../test/support/dialects.js';
import { encodeLeaf } from './leaf.js';
import { CompactRange, leafHash } from './merkle.js';
import { parseVerifierKey } from './note.js';
import { APPEND_ONLY_TABLES, dropTriggerSql } from './migrations.js';
import { createAuditLog } from './service.js';
import { memoryKeyWrapper } from './testing.js';
import { verifyStoredLog } from './verify.js';

const KINDS = ['change', 'remove', 'reorder', 'insert', 'truncate'] as const;
type Kind = (typeof KINDS)[number];

/** mulberry32: a small seeded PRNG, so a failing tampering can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function event(i: number): AuditEvent {
  return {
    kind: i % 3 === 0 ? 'consent' : 'write',
    actor: `operator:op${i % 4}`,
    subjectAuditId: `subject-${i.toString(36).padStart(6, '0')}`,
    action: i % 3 === 0 ? 'grant' : 'put',
    outcome: 'ok',
    at: new Date(Date.UTC(2026, 11, 1) + i * 60_000),
    details: { seq: i },
  };
}

type Db = Kysely<Database>;

async function leafCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('audit_leaves')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function leafAt(db: Db, index: number): Promise<Buffer> {
  const r = await db
    .selectFrom('audit_leaves')
    .select('leaf')
    .where('leaf_index', '=', index)
    .executeTakeFirstOrThrow();
  return Buffer.from(r.leaf);
}

/** Shifts indexes >= from by delta without tripping the primary key midway. */
async function shift(db: Db, from: number, delta: number): Promise<void> {
  const far = 1_000_000_000;
  await sql`UPDATE audit_leaves SET leaf_index = leaf_index + ${far} WHERE leaf_index >= ${from}`.execute(
    db,
  );
  await sql`UPDATE audit_leaves SET leaf_index = leaf_index - ${far - delta} WHERE leaf_index >= ${far}`.execute(
    db,
  );
}

/** The careful attacker: every stored hash and the head are recomputed from the leaves. */
async function rehash(db: Db): Promise<void> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['leaf_index', 'leaf', 'hashes'])
    .orderBy('leaf_index')
    .execute();
  const range = new CompactRange();
  for (const row of rows) {
    const hashes = Buffer.concat(range.push(leafHash(row.leaf)));
    if (!hashes.equals(Buffer.from(row.hashes))) {
      await db
        .updateTable('audit_leaves')
        .set({ hashes })
        .where('leaf_index', '=', row.leaf_index)
        .execute();
    }
  }
  await db
    .updateTable('audit_head')
    .set({ size: range.size, frontier: range.serialize() })
    .where('id', '=', 1)
    .execute();
}

async function tamper(db: Db, kind: Kind, rand: () => number, careful: boolean): Promise<void> {
  const n = await leafCount(db);
  const pick = (max: number) => Math.floor(rand() * max);
  switch (kind) {
    case 'change': {
      const i = pick(n);
      let leaf = await leafAt(db, i);
      if (rand() < 0.5) {
        const bit = pick(leaf.length * 8);
        leaf[bit >> 3] ^= 1 << (bit & 7);
      } else {
        // A plausible, well-formed leaf saying something else.
        leaf = encodeLeaf({ ...event(i), actor: 'operator:mallory' });
      }
      await db.updateTable('audit_leaves').set({ leaf }).where('leaf_index', '=', i).execute();
      break;
    }
    case 'remove': {
      const i = pick(n);
      await db.deleteFrom('audit_leaves').where('leaf_index', '=', i).execute();
      if (careful) {
        await shift(db, i + 1, -1);
      }
      break;
    }
    case 'reorder': {
      const i = pick(n);
      let j = pick(n);
      while (j === i) {
        j = pick(n);
      }
      const [a, b] = [await leafAt(db, i), await leafAt(db, j)];
      await db.updateTable('audit_leaves').set({ leaf: b }).where('leaf_index', '=', i).execute();
      await db.updateTable('audit_leaves').set({ leaf: a }).where('leaf_index', '=', j).execute();
      break;
    }
    case 'insert': {
      // Inside the signed range: a leaf appended after the last checkpoint is, until the next
      // signature, indistinguishable from a real one — which is why appends sign before exiting.
      const p = pick(n);
      // A copy of a real leaf (a replay) or a fresh well-formed one.
      const leaf = rand() < 0.5 ? await leafAt(db, pick(n)) : encodeLeaf(event(10_000 + p));
      await shift(db, p, 1);
      await db
        .insertInto('audit_leaves')
        .values({ leaf_index: p, leaf, hashes: leafHash(leaf), subject: null })
        .execute();
      break;
    }
    case 'truncate': {
      const k = 1 + pick(Math.min(5, n - 1));
      await db
        .deleteFrom('audit_leaves')
        .where('leaf_index', '>=', n - k)
        .execute();
      break;
    }
  }
  if (careful) {
    await rehash(db);
  }
}

class Rollback extends Error {}

async function dropTriggers(db: Db, dialect: (typeof DIALECTS)[number]): Promise<void> {
  for (const table of APPEND_ONLY_TABLES) {
    for (const statement of dropTriggerSql(dialect, table)) {
      await sql.raw(statement).execute(db);
    }
  }
}

async function buildLog(dialect: (typeof DIALECTS)[number]) {
  const t = await createTestInstance(dialect, { clock: new FixedClock('2026-12-03T09:00:00Z') });
  const log = createAuditLog(t.store, { keyWrapper: memoryKeyWrapper() });
  await log.init();
  const db = t.store.db.kysely;
  let i = 0;
  for (const batch of [9, 16, 1, 30, 40]) {
    await db.transaction().execute((trx) =>
      log.append(
        trx,
        Array.from({ length: batch }, () => event(i++)),
      ),
    );
    await log.checkpoint();
  }
  const verifier = parseVerifierKey(await log.verifierKey());
  expect(await verifyStoredLog(db, { verifier })).toMatchObject({ ok: true, size: 96 });
  return { t, db, verifier };
}

/** Runs `count` random tamperings, each inside a rolled-back transaction on `db`. */
async function campaign(
  db: Db,
  dialect: (typeof DIALECTS)[number],
  verifier: ReturnType<typeof parseVerifierKey>,
  count: number,
  seed: number,
  dropTriggersEachTime: boolean,
) {
  const rand = prng(seed);
  const tally = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  const missed: string[] = [];
  for (let run = 0; run < count; run++) {
    const kind = KINDS[run % KINDS.length];
    const careful = rand() < 0.5;
    try {
      await db.transaction().execute(async (trx) => {
        if (dropTriggersEachTime) {
          await dropTriggers(trx, dialect);
        }
        await tamper(trx, kind, rand, careful);
        const report = await verifyStoredLog(trx, { verifier });
        if (report.ok) {
          missed.push(`run ${run} (seed ${seed}): ${kind}${careful ? ' + rehash' : ''}`);
        }
        throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) {
        throw err;
      }
    }
    tally[kind]++;
  }
  return { tally, missed };
}

describe('tampering on sqlite (in-memory copy of a real log)', () => {
  it('detects 1,000 random changed, removed, reordered, inserted and truncated leaves', async () => {
    const { t, verifier } = await buildLog('sqlite');
    const image = t.store.db.sqlite!.serialize();
    // The file is in WAL mode (header bytes 18–19 = 2); an in-memory copy must be a rollback one.
    image[18] = 1;
    image[19] = 1;
    const copy = new Sqlite(image);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: copy }) });
    try {
      // The attacker's copy: triggers dropped once, every tampering rolled back after the check.
      await dropTriggers(db, 'sqlite');
      const { tally, missed } = await campaign(db, 'sqlite', verifier, 1000, 20261203, false);
      expect(missed).toEqual([]);
      for (const kind of KINDS) {
        expect(tally[kind]).toBe(200);
      }
      // The copy itself is untouched after all the rolled-back tamperings.
      expect(await verifyStoredLog(db, { verifier })).toMatchObject({ ok: true, size: 96 });
    } finally {
      await db.destroy();
      await t.cleanup();
    }
  });
});

describe('tampering on postgres (rolled-back transactions)', () => {
  it('detects 100 random tamperings', async () => {
    const { t, db, verifier } = await buildLog('postgres');
    try {
      const { missed } = await campaign(db, 'postgres', verifier, 100, 777, true);
      expect(missed).toEqual([]);
      expect(await verifyStoredLog(db, { verifier })).toMatchObject({ ok: true, size: 96 });
    } finally {
      await t.cleanup();
    }
  });
});
