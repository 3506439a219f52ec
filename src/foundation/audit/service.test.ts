// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../kernel/shared/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { DIALECTS, createTestInstance } from '../../../test/support/dialects.js';
import { checkConsistencyBundle, checkInclusionBundle } from './bundle.js';
import { openCheckpoint, signCheckpoint } from './checkpoint.js';
import { checkHistory } from './history.js';
import { EMPTY_ROOT, leafHash } from './merkle.js';
import { noteSigner, parseVerifierKey } from './note.js';
import { LOG_KEY_CONTEXT, createAuditLog } from './service.js';
import { memoryKeyWrapper } from './testing.js';
import { AuditInconsistentError } from './errors.js';

const T0 = '2026-12-03T09:00:00+08:00';

function access(subject: string, i: number, at = new Date(T0)): AuditEvent {
  return {
    kind: 'access',
    actor: 'operator:alice',
    purpose: 'epidemic-control',
    subjectAuditId: subject,
    category: 'health',
    action: 'get',
    outcome: 'ok',
    at,
    details: { record: `r-${i}` },
  };
}

function write(subject: string, i: number): AuditEvent {
  return {
    kind: 'write',
    actor: 'system:seed',
    subjectAuditId: subject,
    category: 'basic',
    action: 'put',
    outcome: 'ok',
    at: new Date(T0),
    details: { records: i },
  };
}

async function setup(dialect: (typeof DIALECTS)[number], clock = new FixedClock(T0)) {
  const t = await createTestInstance(dialect, { clock });
  const keyWrapper = memoryKeyWrapper();
  const log = createAuditLog(t.store, { keyWrapper });
  return { t, log, keyWrapper, clock, db: t.store.db.kysely };
}

for (const dialect of DIALECTS) {
  describe(`audit log on ${dialect}`, () => {
    it('starts with a signed size-0 checkpoint, published, and signs again only when grown', async () => {
      const { t, log, db } = await setup(dialect);
      try {
        const first = await log.init();
        expect(first.size).toBe(0);
        expect(first.root.equals(EMPTY_ROOT)).toBe(true);
        expect(readFileSync(t.store.paths.checkpoint, 'utf8')).toBe(first.note);
        expect((await log.init()).note).toBe(first.note);
        expect((await log.checkpoint()).signed).toBe(false);

        await db.transaction().execute((trx) => log.append(trx, [write('subj-aaaaaaaa', 1)]));
        const grown = await log.checkpoint();
        expect(grown).toMatchObject({ signed: true });
        expect(grown.checkpoint.size).toBe(1);
        expect(grown.checkpoint.note.split('\n').slice(0, 3)).toEqual([
          t.store.config.origin,
          '1',
          leafHash(
            (await db.selectFrom('audit_leaves').select('leaf').executeTakeFirstOrThrow()).leaf,
          ).toString('base64'),
        ]);
        expect(readFileSync(t.store.paths.checkpoint, 'utf8')).toBe(grown.checkpoint.note);
        expect(await log.verify()).toMatchObject({ ok: true, size: 1, unsignedLeaves: 0 });
      } finally {
        await t.cleanup();
      }
    });

    it('appends inside the caller transaction: a rollback leaves no leaf, one leaf per event', async () => {
      const { t, log, db } = await setup(dialect);
      try {
        await log.init();
        await expect(
          db.transaction().execute(async (trx) => {
            await log.append(trx, [write('subj-aaaaaaaa', 1)]);
            throw new Error('caller fails after appending');
          }),
        ).rejects.toThrow('caller fails');
        expect(await log.size()).toBe(0);
        const batch = [
          write('subj-aaaaaaaa', 1),
          write('subj-bbbbbbbb', 2),
          access('subj-aaaaaaaa', 3),
        ];
        await db.transaction().execute((trx) => log.append(trx, batch));
        // No transaction: the log opens one; the indexes of the new leaves come back.
        expect(await log.appendIndexed(db, [write('subj-cccccccc', 4)])).toEqual([3]);
        expect(await log.size()).toBe(4);
        const subjects = await db
          .selectFrom('audit_leaves')
          .select('subject')
          .orderBy('leaf_index')
          .execute();
        expect(subjects.map((r) => r.subject)).toEqual([
          'subj-aaaaaaaa',
          'subj-bbbbbbbb',
          'subj-aaaaaaaa',
          'subj-cccccccc',
        ]);
        expect((await log.trail('subj-aaaaaaaa')).map((e) => e.leafIndex)).toEqual([0, 2]);
      } finally {
        await t.cleanup();
      }
    });

    it('refuses UPDATE and DELETE on leaves and checkpoints (append-only triggers)', async () => {
      const { t, log, db } = await setup(dialect);
      try {
        await log.init();
        await log.append(db, [write('subj-aaaaaaaa', 1)]);
        await log.checkpoint();
        await expect(
          db
            .updateTable('audit_leaves')
            .set({ leaf: Buffer.from('x') })
            .execute(),
        ).rejects.toThrow(/append-only/);
        await expect(db.deleteFrom('audit_leaves').execute()).rejects.toThrow(/append-only/);
        await expect(db.deleteFrom('audit_checkpoints').execute()).rejects.toThrow(/append-only/);
        await expect(
          db.updateTable('audit_checkpoints').set({ note: 'x' }).execute(),
        ).rejects.toThrow(/append-only/);
        if (dialect === 'postgres') {
          await expect(sql`TRUNCATE audit_leaves`.execute(db)).rejects.toThrow(/append-only/);
        }
        expect((await log.verify()).ok).toBe(true);
      } finally {
        await t.cleanup();
      }
    });

    it('serves inclusion and consistency proofs that check offline', async () => {
      const { t, log, db } = await setup(dialect);
      try {
        await log.init();
        const sizes: number[] = [0];
        for (let round = 0; round < 5; round++) {
          const events = Array.from({ length: 7 + round }, (_, i) =>
            i % 2 ? access(`subj-${round}-${i}-xxxx`, i) : write(`subj-${round}-${i}-yyyy`, i),
          );
          await db.transaction().execute((trx) => log.append(trx, events));
          sizes.push((await log.checkpoint()).checkpoint.size);
        }
        const vkey = await log.verifierKey();
        const latest = (await log.latestCheckpoint())!;
        for (const index of [0, 1, 17, latest.size - 1]) {
          const bundle = await log.prove(index);
          const verdict = checkInclusionBundle(JSON.stringify(bundle), vkey);
          expect(verdict).toMatchObject({
            leafIndex: index,
            treeSize: latest.size,
            keyPinned: true,
          });
        }
        // A bundle against an older checkpoint.
        const old = await log.prove(3, sizes[1]);
        expect(checkInclusionBundle(JSON.stringify(old)).treeSize).toBe(sizes[1]);

        const notes = await db
          .selectFrom('audit_checkpoints')
          .select(['size', 'note'])
          .orderBy('size')
          .execute();
        for (const a of notes) {
          for (const b of notes) {
            if (a.size <= b.size) {
              const proof = await log.consistency(Number(a.size), Number(b.size));
              const json = JSON.stringify({
                format: 'healthcode/audit-consistency/v1',
                size1: Number(a.size),
                size2: Number(b.size),
                proof: proof.map((p) => p.toString('base64')),
                verifierKey: vkey,
              });
              expect(() => checkConsistencyBundle(a.note, b.note, json, vkey)).not.toThrow();
            }
          }
        }
      } finally {
        await t.cleanup();
      }
    });

    it('an auditor history flags a forked checkpoint loudly', async () => {
      const { t, log, db, keyWrapper } = await setup(dialect);
      try {
        await log.init();
        await log.append(db, [write('subj-aaaaaaaa', 1), write('subj-bbbbbbbb', 2)]);
        const two = (await log.checkpoint()).checkpoint;
        await log.append(db, [write('subj-cccccccc', 3)]);
        const three = (await log.checkpoint()).checkpoint;
        const vkey = parseVerifierKey(await log.verifierKey());
        const proofFor = (m: number, n: number) => log.consistency(m, n);

        const good = await checkHistory(
          [
            { name: 'a', note: two.note },
            { name: 'b', note: three.note },
          ],
          three,
          vkey,
          proofFor,
        );
        expect(good).toMatchObject({ ok: true, checked: 2 });

        // A log that signed a different tree of size 2 (as a rewritten log would).
        const row = await db.selectFrom('audit_log_key').selectAll().executeTakeFirstOrThrow();
        const seed = await keyWrapper.unwrap(row.wrapped, LOG_KEY_CONTEXT);
        const fork = signCheckpoint(
          { origin: row.name, size: 2, root: leafHash(Buffer.from('forged')) },
          noteSigner(row.name, seed),
        );
        expect(openCheckpoint(fork.note, vkey).size).toBe(2);
        const bad = await checkHistory([{ name: 'fork', note: fork.note }], three, vkey, proofFor);
        expect(bad.ok).toBe(false);
        expect(bad.problems[0]).toMatchObject({ name: 'fork', code: 'inconsistent' });
        await expect(log.verify({ checkpoint: fork.note })).resolves.toMatchObject({ ok: false });
        // Offline: no consistency proof can link the fork to the real head.
        const vkeyText = await log.verifierKey();
        const proof = await log.consistency(2, 3);
        const bundle = (p: readonly Buffer[]) =>
          JSON.stringify({
            format: 'healthcode/audit-consistency/v1',
            size1: 2,
            size2: 3,
            proof: p.map((h) => h.toString('base64')),
            verifierKey: vkeyText,
          });
        expect(() =>
          checkConsistencyBundle(fork.note, three.note, bundle(proof), vkeyText),
        ).toThrow(AuditInconsistentError);
        expect(() =>
          checkConsistencyBundle(two.note, three.note, bundle(proof), vkeyText),
        ).not.toThrow();
      } finally {
        await t.cleanup();
      }
    });

    it('seals access details under the month key; expiry erases them and proofs still check', async () => {
      const { t, log, db, clock } = await setup(dialect);
      try {
        await log.init();
        await db
          .transaction()
          .execute((trx) =>
            log.append(trx, [access('subj-aaaaaaaa', 1), write('subj-aaaaaaaa', 2)]),
          );
        await log.checkpoint();
        const raw = (
          await db
            .selectFrom('audit_leaves')
            .select('leaf')
            .orderBy('leaf_index')
            .executeTakeFirstOrThrow()
        ).leaf;
        expect(Buffer.from(raw).includes(Buffer.from('operator:alice'))).toBe(false);
        expect(Buffer.from(raw).includes(Buffer.from('epidemic-control'))).toBe(false);
        expect(await log.entry(0)).toMatchObject({
          detailsState: 'sealed',
          period: '2026-12',
          actor: 'operator:alice',
          purpose: 'epidemic-control',
          subjectAuditId: 'subj-aaaaaaaa',
          details: { record: 'r-1' },
        });

        clock.set('2027-06-30T12:00:00+08:00'); // 6 months after December is not yet over
        expect((await log.expirePeriodKeys()).destroyed).toEqual([]);
        clock.set('2027-07-01T00:00:01+08:00');
        expect((await log.expirePeriodKeys()).destroyed).toEqual(['2026-12']);
        expect(await log.entry(0)).toMatchObject({ detailsState: 'erased', kind: 'access' });
        expect((await log.entry(0)).actor).toBeUndefined();
        expect(await log.entry(1)).toMatchObject({ detailsState: 'clear', actor: 'system:seed' });
        const keyRow = await db
          .selectFrom('audit_period_keys')
          .selectAll()
          .where('period', '=', '2026-12')
          .executeTakeFirstOrThrow();
        expect(keyRow.wrapped).toBeNull();
        expect(checkInclusionBundle(JSON.stringify(await log.prove(0))).leafIndex).toBe(0);
        expect((await log.verify()).ok).toBe(true);

        // A fresh log instance (another process) cannot seal under the destroyed month either.
        clock.set(T0);
        const other = createAuditLog(t.store, { keyWrapper: memoryKeyWrapper() });
        await expect(other.append(db, [access('subj-aaaaaaaa', 9)])).rejects.toMatchObject({
          code: 'ERR_AUDIT_PERIOD_EXPIRED',
        });
      } finally {
        await t.cleanup();
      }
    });

    it('keeps a consistent tree when many transactions append at once', async () => {
      const { t, log, db } = await setup(dialect);
      try {
        await log.init();
        const writers = Array.from({ length: 8 }, (_, w) =>
          db.transaction().execute((trx) =>
            log.append(
              trx,
              Array.from({ length: 10 }, (_, i) => write(`subj-w${w}-${i}-zzzz`, i)),
            ),
          ),
        );
        await Promise.all(writers);
        await log.checkpoint();
        expect(await log.verify()).toMatchObject({ ok: true, size: 80 });
      } finally {
        await t.cleanup();
      }
    });
  });
}

describe('event validation', () => {
  it('refuses personal data and bad events before anything is written', async () => {
    const { t, log, db } = await setup('sqlite');
    try {
      await log.init();
      const base = write('subj-aaaaaaaa', 1);
      await expect(
        log.append(db, [{ ...base, details: { id: '11010519491231002X' } }]),
      ).rejects.toThrow(RangeError);
      await expect(
        log.append(db, [{ ...base, details: { phone: '13800138000' } }]),
      ).rejects.toThrow(RangeError);
      await expect(
        log.append(db, [{ ...base, subjectAuditId: '110105194912310021' }]),
      ).rejects.toThrow(RangeError);
      await expect(log.append(db, [{ ...base, kind: 'bogus' as never }])).rejects.toThrow(
        TypeError,
      );
      await expect(log.append(db, [{ ...base, at: new Date('x') }])).rejects.toThrow(TypeError);
      expect(await log.size()).toBe(0);
    } finally {
      await t.cleanup();
    }
  });
});
