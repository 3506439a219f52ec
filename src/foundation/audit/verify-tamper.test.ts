// SPDX-License-Identifier: Apache-2.0
/**
 * @module `audit verify` reports each kind of tampering precisely: which check fired, at which
 * leaf or size, with which message, and the report's figures (size, root, checkpoints checked,
 * unsigned leaves). tamper.test.ts proves that nothing gets through; this file proves that each
 * check does its own part, so that losing one is noticed even while another still fails the log
 * (the mutation run, docs/mutation-testing.md, found that only `ok` was asserted).
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/index.js';
import { FixedClock } from '../../kernel/shared/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { encodeLeaf } from './leaf.js';
import { CompactRange, leafHash, nodeHash, splitPoint } from './merkle.js';
import { APPEND_ONLY_TABLES, dropTriggerSql } from './migrations.js';
import type { VerifyProblem } from './model.js';
import { noteSigner, parseVerifierKey, type NoteVerifier } from './note.js';
import { LOG_KEY_CONTEXT, createAuditLog } from './service.js';
import { memoryKeyWrapper } from './testing.js';
import { verifyStoredLog } from './verify.js';

const T0 = '2026-12-03T09:00:00Z';

function event(i: number): AuditEvent {
  return {
    kind: 'write',
    actor: `operator:op${i % 3}`,
    subjectAuditId: `subject-${i.toString(36).padStart(6, '0')}`,
    action: 'put',
    outcome: 'ok',
    at: new Date(Date.parse(T0) + i * 1000),
    details: { seq: i },
  };
}

/** RFC 9162 §2.1.1 MTH, written out recursively: an oracle independent of CompactRange. */
function mth(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 1) {
    return leafHash(leaves[0]);
  }
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

type Db = Kysely<Database>;

async function leaves(db: Db): Promise<Buffer[]> {
  const rows = await db.selectFrom('audit_leaves').select('leaf').orderBy('leaf_index').execute();
  return rows.map((r) => Buffer.from(r.leaf));
}

/** Recomputes every stored hash and the head from the leaves, as a careful attacker would. */
async function rehash(db: Db): Promise<void> {
  const rows = await db
    .selectFrom('audit_leaves')
    .select(['leaf_index', 'leaf'])
    .orderBy('leaf_index')
    .execute();
  const range = new CompactRange();
  for (const row of rows) {
    const hashes = Buffer.concat(range.push(leafHash(row.leaf)));
    await db
      .updateTable('audit_leaves')
      .set({ hashes })
      .where('leaf_index', '=', row.leaf_index)
      .execute();
  }
  await db
    .updateTable('audit_head')
    .set({ size: range.size, frontier: range.serialize() })
    .where('id', '=', 1)
    .execute();
}

interface Fixture {
  readonly t: TestInstance;
  readonly db: Db;
  readonly verifier: NoteVerifier;
  /** Signs a checkpoint with the log's own key (as a forked or older log would have). */
  readonly sign: (size: number, root: Buffer) => Promise<SignedCheckpoint>;
}

/**
 * A log signed at size 0 and after each batch — by default at 3 and 7, with two more leaves
 * unsigned (9 leaves) — its append-only triggers dropped so that the test can tamper.
 */
async function buildLog(
  dialect: (typeof DIALECTS)[number],
  batches: readonly number[] = [3, 4],
  unsigned = 2,
): Promise<Fixture> {
  const t = await createTestInstance(dialect, { clock: new FixedClock(T0) });
  const keyWrapper = memoryKeyWrapper();
  const log = createAuditLog(t.store, { keyWrapper });
  const db = t.store.db.kysely;
  await log.init();
  let i = 0;
  const append = (n: number) =>
    db.transaction().execute((trx) =>
      log.append(
        trx,
        Array.from({ length: n }, () => event(i++)),
      ),
    );
  for (const batch of batches) {
    await append(batch);
    await log.checkpoint();
  }
  if (unsigned > 0) {
    await append(unsigned);
  }
  const verifier = parseVerifierKey(await log.verifierKey());
  for (const table of APPEND_ONLY_TABLES) {
    for (const statement of dropTriggerSql(dialect, table)) {
      await sql.raw(statement).execute(db);
    }
  }
  const sign = async (size: number, root: Buffer) => {
    const row = await db.selectFrom('audit_log_key').selectAll().executeTakeFirstOrThrow();
    const seed = await keyWrapper.unwrap(row.wrapped, LOG_KEY_CONTEXT);
    return signCheckpoint({ origin: row.name, size, root }, noteSigner(row.name, seed));
  };
  return { t, db, verifier, sign };
}

const problem = (
  code: VerifyProblem['code'],
  message: string,
  at: { leafIndex?: number; size?: number } = {},
): VerifyProblem => ({ code, message, ...at });

for (const dialect of DIALECTS) {
  describe(`audit verify on ${dialect}: what each check reports`, () => {
    it('reports an untouched log with its size, root, checkpoints and unsigned leaves', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        const all = await leaves(db);
        expect(all).toHaveLength(9);
        expect(await verifyStoredLog(db, { verifier })).toEqual({
          ok: true,
          size: 9,
          root: mth(all).toString('base64'),
          checkpointSize: 7,
          checkpointsChecked: 3,
          unsignedLeaves: 2,
          problems: [],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('reports a changed leaf whose stored hashes were left alone as hashes-mismatch', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        const forged = encodeLeaf({ ...event(4), actor: 'operator:mallory' });
        await db
          .updateTable('audit_leaves')
          .set({ leaf: forged })
          .where('leaf_index', '=', 4)
          .execute();
        const report = await verifyStoredLog(db, { verifier });
        expect(report.ok).toBe(false);
        const mismatch = (leafIndex: number) =>
          problem(
            'hashes-mismatch',
            `the stored hashes of leaf ${leafIndex} differ from its recomputed ones`,
            { leafIndex },
          );
        // Leaf 4's row, and the rows of leaves 5 and 7, whose subtrees [4, 6) and [0, 8)
        // contain it; the root signed at 7 (checked once leaf 6 is in) and the head's frontier.
        expect(report.problems).toEqual([
          mismatch(4),
          mismatch(5),
          problem('root-mismatch', 'the leaves do not hash to the root signed at size 7', {
            size: 7,
          }),
          mismatch(7),
          problem('head-mismatch', 'the log head (size 9) does not match the 9 stored leaves'),
        ]);
      } finally {
        await t.cleanup();
      }
    });

    it('reports changed stored hashes alone, when the leaves are intact', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        await db
          .updateTable('audit_leaves')
          .set({ hashes: leafHash(Buffer.from('not this leaf')) })
          .where('leaf_index', '=', 5)
          .execute();
        expect(await verifyStoredLog(db, { verifier })).toMatchObject({
          ok: false,
          size: 9,
          problems: [
            problem(
              'hashes-mismatch',
              'the stored hashes of leaf 5 differ from its recomputed ones',
              { leafIndex: 5 },
            ),
          ],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('reports a rewritten leaf with every hash recomputed as a root mismatch at each signed size', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        await db
          .updateTable('audit_leaves')
          .set({ leaf: encodeLeaf({ ...event(1), actor: 'operator:mallory' }) })
          .where('leaf_index', '=', 1)
          .execute();
        await rehash(db);
        const report = await verifyStoredLog(db, { verifier });
        expect(report.problems).toEqual([
          problem('root-mismatch', 'the leaves do not hash to the root signed at size 3', {
            size: 3,
          }),
          problem('root-mismatch', 'the leaves do not hash to the root signed at size 7', {
            size: 7,
          }),
        ]);
        expect(report.ok).toBe(false);
      } finally {
        await t.cleanup();
      }
    });

    it('reports a removed leaf as missing at its index', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        await db.deleteFrom('audit_leaves').where('leaf_index', '=', 8).execute();
        await db.deleteFrom('audit_leaves').where('leaf_index', '=', 6).execute();
        const report = await verifyStoredLog(db, { verifier });
        expect(report.ok).toBe(false);
        expect(report.size).toBe(7);
        expect(report.problems).toContainEqual(
          problem('leaf-missing', 'leaf 6 is missing (the next stored index is 7)', {
            leafIndex: 6,
          }),
        );
        expect(report.problems.filter((p) => p.code === 'leaf-missing')).toHaveLength(1);
      } finally {
        await t.cleanup();
      }
    });

    it('reports a signed checkpoint beyond the remaining leaves', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        await db.deleteFrom('audit_leaves').where('leaf_index', '>=', 5).execute();
        await rehash(db);
        expect(await verifyStoredLog(db, { verifier })).toEqual({
          ok: false,
          size: 5,
          root: mth(await leaves(db)).toString('base64'),
          checkpointSize: 7,
          checkpointsChecked: 3,
          unsignedLeaves: 0,
          problems: [
            problem(
              'checkpoint-beyond-log',
              'a checkpoint of size 7 was signed but only 5 leaves remain',
              { size: 7 },
            ),
          ],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('reports a head whose size or frontier disagrees with the leaves', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        const head = await db
          .selectFrom('audit_head')
          .selectAll()
          .where('id', '=', 1)
          .executeTakeFirstOrThrow();
        await db.updateTable('audit_head').set({ size: 8 }).where('id', '=', 1).execute();
        expect((await verifyStoredLog(db, { verifier })).problems).toEqual([
          problem('head-mismatch', 'the log head (size 8) does not match the 9 stored leaves'),
        ]);
        const frontier = Buffer.from(head.frontier);
        frontier[0] ^= 1;
        await db.updateTable('audit_head').set({ size: 9, frontier }).where('id', '=', 1).execute();
        expect((await verifyStoredLog(db, { verifier })).problems).toEqual([
          problem('head-mismatch', 'the log head (size 9) does not match the 9 stored leaves'),
        ]);
      } finally {
        await t.cleanup();
      }
    });

    it('refuses a stored checkpoint not signed by the log key, and leaves it out of the comparison', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        const row = await db
          .selectFrom('audit_checkpoints')
          .selectAll()
          .where('size', '=', 3)
          .executeTakeFirstOrThrow();
        const stranger = signCheckpoint(
          { origin: row.note.split('\n')[0], size: 3, root: Buffer.from(row.root) },
          noteSigner(verifier.name, Buffer.alloc(32, 9)),
        );
        await db
          .updateTable('audit_checkpoints')
          .set({ note: stranger.note })
          .where('size', '=', 3)
          .execute();
        expect(await verifyStoredLog(db, { verifier })).toMatchObject({
          ok: false,
          checkpointSize: 7,
          checkpointsChecked: 2,
          problems: [
            problem(
              'checkpoint-signature',
              'the stored checkpoint of size 3 is not validly signed by the log key',
              { size: 3 },
            ),
          ],
        });
      } finally {
        await t.cleanup();
      }
    });

    it('refuses a checkpoint row whose size or root differs from its signed note', async () => {
      const { t, db, verifier } = await buildLog(dialect);
      try {
        const refused = (size: number) => [
          problem(
            'checkpoint-signature',
            `the stored checkpoint of size ${size} is not validly signed by the log key`,
            { size },
          ),
        ];
        // The root column rewritten, the note intact.
        const real = await db
          .selectFrom('audit_checkpoints')
          .select('root')
          .where('size', '=', 3)
          .executeTakeFirstOrThrow();
        await db
          .updateTable('audit_checkpoints')
          .set({ root: leafHash(Buffer.from('forged')) })
          .where('size', '=', 3)
          .execute();
        expect((await verifyStoredLog(db, { verifier })).problems).toEqual(refused(3));
        // The size column moved (root and note of size 3 kept): it would claim size 5's root.
        await db
          .updateTable('audit_checkpoints')
          .set({ root: Buffer.from(real.root), size: 5 })
          .where('size', '=', 3)
          .execute();
        const report = await verifyStoredLog(db, { verifier });
        expect(report.problems).toEqual(refused(5));
        expect(report.checkpointsChecked).toBe(2);
      } finally {
        await t.cleanup();
      }
    });

    it('checks a given checkpoint: a fork is a root mismatch, an older one does not move the latest', async () => {
      const { t, db, verifier, sign } = await buildLog(dialect);
      try {
        const all = await leaves(db);
        // An honest checkpoint at an unstored size: checked, no problem, and 7 stays the latest.
        const five = await sign(5, mth(all.slice(0, 5)));
        expect(await verifyStoredLog(db, { verifier, extra: [five] })).toMatchObject({
          ok: true,
          checkpointSize: 7,
          checkpointsChecked: 4,
          unsignedLeaves: 2,
          problems: [],
        });
        // One signed after the stored ones covers the unsigned leaves.
        const nine = await sign(9, mth(all));
        expect(await verifyStoredLog(db, { verifier, extra: [nine] })).toMatchObject({
          ok: true,
          checkpointSize: 9,
          checkpointsChecked: 4,
          unsignedLeaves: 0,
        });
        // A fork: the log key signed another tree of size 3.
        const fork = await sign(3, leafHash(Buffer.from('forged')));
        expect((await verifyStoredLog(db, { verifier, extra: [fork] })).problems).toEqual([
          problem('root-mismatch', 'two signed checkpoints of size 3 have different roots', {
            size: 3,
          }),
          problem('root-mismatch', 'the leaves do not hash to the root signed at size 3', {
            size: 3,
          }),
        ]);
        // A wrong root at an unstored size: only the leaves can tell.
        const wrongSix = await sign(6, mth(all.slice(0, 5)));
        expect((await verifyStoredLog(db, { verifier, extra: [wrongSix] })).problems).toEqual([
          problem('root-mismatch', 'the leaves do not hash to the root signed at size 6', {
            size: 6,
          }),
        ]);
      } finally {
        await t.cleanup();
      }
    });

    it('lists at most 20 problems', async () => {
      const { t, db, verifier } = await buildLog(dialect, [30], 0);
      try {
        await db
          .updateTable('audit_leaves')
          .set({ hashes: leafHash(Buffer.from('not this leaf')) })
          .execute();
        const report = await verifyStoredLog(db, { verifier });
        expect(report.ok).toBe(false);
        expect(report.problems).toHaveLength(20);
        expect(report.problems.map((p) => p.leafIndex)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
      } finally {
        await t.cleanup();
      }
    });

    it('reads a log of more than one page, reporting progress after each', async () => {
      const { t, db, verifier } = await buildLog(dialect, [1000, 1000, 100], 5);
      try {
        const progress: number[] = [];
        const report = await verifyStoredLog(db, {
          verifier,
          onProgress: (n) => progress.push(n),
        });
        expect(progress).toEqual([2000, 2105]);
        expect(report).toMatchObject({
          ok: true,
          size: 2105,
          checkpointSize: 2100,
          unsignedLeaves: 5,
          problems: [],
        });
        // A leaf lost on the second page is still found.
        await db.deleteFrom('audit_leaves').where('leaf_index', '=', 2050).execute();
        expect((await verifyStoredLog(db, { verifier })).problems).toContainEqual(
          problem('leaf-missing', 'leaf 2050 is missing (the next stored index is 2051)', {
            leafIndex: 2050,
          }),
        );
      } finally {
        await t.cleanup();
      }
    });
  });
}
