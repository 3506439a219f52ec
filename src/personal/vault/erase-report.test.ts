// SPDX-License-Identifier: Apache-2.0
/**
 * @module Crypto-erasure, measured: how a request becomes key scopes or a partial erasure, what
 * a batch erasure reports (erased, already erased, unknown, rows, keys, progress), what each
 * erasure logs, that every tombstone ends done, and that an erasure interrupted after its key
 * transaction (here: the audit log failing inside the data transaction) is finished by
 * `resumeErasures`. The counts are asserted exactly, so that a check lost in one step is noticed
 * while another step still hides the data (found by the mutation run, docs/mutation-testing.md).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { openVault, planErasure, type Vault, type VaultRepository } from './index.js';
import { RecordingAudit } from './testing.js';

/** Every key scope of a subject, in the order a whole-subject erasure names them… */
const WHOLE = ['basic', 'health', 'itinerary', 'certification', 'subject'];
/** …and as its tombstone stores them (sorted). */
const ALL = [...WHOLE].sort();

describe('planErasure', () => {
  const S = 'subject-0001';

  it('erases the whole subject when nothing or every group is named', () => {
    const whole = [{ kind: 'scopes', subjectId: S, scopes: WHOLE }];
    expect(planErasure({ subjectId: S })).toEqual(whole);
    expect(
      planErasure({ subjectId: S, groups: ['itinerary', 'basic', 'health', 'certification'] }),
    ).toEqual(whole);
    // Groups named by all their categories count as named.
    expect(
      planErasure({
        subjectId: S,
        groups: ['basic', 'health'],
        categories: [
          'location-events',
          'itinerary',
          'test-results',
          'vaccination',
          'colour-decisions',
        ],
      }),
    ).toEqual(whole);
  });

  it('erases named groups by their keys, sorted', () => {
    expect(planErasure({ subjectId: S, groups: ['health', 'basic'] })).toEqual([
      { kind: 'scopes', subjectId: S, scopes: ['basic', 'health'] },
    ]);
    expect(planErasure({ subjectId: S, groups: [] })).toEqual([]);
    expect(planErasure({ subjectId: S, categories: [] })).toEqual([]);
  });

  it('turns every category of a group into the group, and keeps the rest partial', () => {
    expect(
      planErasure({ subjectId: S, categories: ['temperature', 'symptoms', 'vaccination'] }),
    ).toEqual([
      { kind: 'scopes', subjectId: S, scopes: ['health'] },
      { kind: 'partial', subjectId: S, group: 'certification', categories: ['vaccination'] },
    ]);
  });

  it('drops categories inside a named group and groups the partial ones by group', () => {
    expect(
      planErasure({
        subjectId: S,
        groups: ['health'],
        categories: ['temperature', 'identity', 'test-results', 'contact'],
      }),
    ).toEqual([
      { kind: 'scopes', subjectId: S, scopes: ['health'] },
      { kind: 'partial', subjectId: S, group: 'basic', categories: ['contact', 'identity'] },
      { kind: 'partial', subjectId: S, group: 'certification', categories: ['test-results'] },
    ]);
  });
});

/** An audit port that fails whenever an erasure is logged: the data transaction rolls back. */
class FailingErasureAudit implements AuditPort {
  append(_db: unknown, events: readonly AuditEvent[]): Promise<void> {
    if (events.some((e) => e.kind === 'erasure')) {
      return Promise.reject(new Error('audit log unavailable'));
    }
    return Promise.resolve();
  }
}

const epidemic = { actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' };

/** GB 11643 numbers with valid check digits, one per person in these tests. */
function idNumber(i: number): string {
  const body = `11010519${String(50 + i).padStart(2, '0')}0101${String(100 + i).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, d, k) => a + Number(d) * weights[k], 0);
  return body + '10X98765432'[sum % 11];
}

interface Person {
  readonly subjectId: string;
  readonly records: Partial<Record<DataCategory, string>>;
}

for (const dialect of DIALECTS) {
  describe(`vault erasure on ${dialect}`, () => {
    let t: TestInstance;
    let audit: RecordingAudit;
    let vault: Vault;
    let repo: VaultRepository;

    beforeEach(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-11-28T08:00:00+08:00') });
      audit = new RecordingAudit();
      vault = openVault(t.store, { audit });
      repo = vault.repository(epidemic);
    });
    afterEach(async () => {
      await t.cleanup();
    });

    async function person(i: number, categories: readonly DataCategory[]): Promise<Person> {
      const { subjectId } = await repo.ensureCitizen(idNumber(i));
      const records: Partial<Record<DataCategory, string>> = {};
      for (const c of categories) {
        records[c] = await repo.put(subjectId, c, { n: i, c });
      }
      return { subjectId, records };
    }

    const liveKeys = async (subjectId: string) =>
      (
        await t.store.keyring.store
          .selectFrom('dek')
          .select(['scope', 'gen'])
          .where('subject_id', '=', subjectId)
          .where('wrapped', 'is not', null)
          .orderBy('scope')
          .orderBy('gen')
          .execute()
      ).map((k) => `${k.scope}#${k.gen}`);

    const rowsOf = async (subjectId: string) =>
      (
        await t.store.db.kysely
          .selectFrom('vault_record')
          .select('category')
          .where('subject_id', '=', subjectId)
          .orderBy('category')
          .execute()
      ).map((r) => r.category);

    it('reports a batch erasure exactly: erased, already erased, unknown, rows, keys, progress', async () => {
      const people = [
        await person(1, ['identity', 'temperature']),
        await person(2, ['identity', 'test-results', 'vaccination']),
        await person(3, ['contact']),
        await person(4, ['identity', 'location-events']),
      ];
      const gone = await person(5, ['identity']);
      await vault.erase(gone.subjectId, {}, { actor: 'operator:alice' });
      const keys = (await Promise.all(people.map((p) => liveKeys(p.subjectId)))).flat().length;
      const rows = people.reduce((a, p) => a + Object.keys(p.records).length, 0);
      audit.events.length = 0;
      const progress: [number, number][] = [];
      const report = await vault.eraseMany(
        [
          ...people.map((p) => ({ subjectId: p.subjectId })),
          { subjectId: people[0].subjectId },
          { subjectId: gone.subjectId },
          { subjectId: 'never-known-0001' },
        ],
        { actor: 'operator:alice', batchSize: 2, onProgress: (d, n) => progress.push([d, n]) },
      );
      expect(report).toEqual({
        requested: 6,
        erased: 4,
        alreadyErased: 1,
        unknown: 1,
        resumed: 0,
        rowsDeleted: rows,
        keysDestroyed: keys,
      });
      expect(progress).toEqual([
        [0, 6],
        [2, 6],
        [4, 6],
        [6, 6],
      ]);
      for (const p of people) {
        expect(await liveKeys(p.subjectId)).toEqual([]);
        expect(await rowsOf(p.subjectId)).toEqual([]);
        expect(await vault.kindOf(p.subjectId)).toBeUndefined();
      }
      const events = audit.events.filter((e) => e.kind === 'erasure');
      expect(events).toHaveLength(4);
      const tombstones = await t.store.keyring.tombstones();
      expect(tombstones.every((x) => x.state === 'done')).toBe(true);
      for (const [i, p] of people.entries()) {
        const mine = tombstones.find((x) => x.subjectId === p.subjectId)!;
        expect(mine.scopes).toEqual(ALL);
        expect(events[i]).toMatchObject({
          actor: 'operator:alice',
          action: 'erase',
          outcome: 'ok',
          details: {
            tombstone: mine.id,
            scopes: WHOLE.join(','),
            categories: '',
            rows: Object.keys(p.records).length,
            method: 'crypto-shred+delete',
          },
        });
        expect(typeof events[i].subjectAuditId).toBe('string');
      }
      // Nothing left to do: a repeat counts every known subject as already erased.
      expect(
        await vault.eraseMany(
          people.map((p) => ({ subjectId: p.subjectId })),
          { actor: 'operator:alice' },
        ),
      ).toEqual({
        requested: 4,
        erased: 0,
        alreadyErased: 4,
        unknown: 0,
        resumed: 0,
        rowsDeleted: 0,
        keysDestroyed: 0,
      });
    });

    it('erases groups by their keys and single categories by re-keying the rest of the group', async () => {
      const p = await person(6, [
        'identity',
        'contact',
        'temperature',
        'test-results',
        'vaccination',
      ]);
      const before = await liveKeys(p.subjectId);
      expect(before).toEqual(['basic#1', 'certification#1', 'health#1', 'subject#1']);
      audit.events.length = 0;
      const report = await vault.erase(
        p.subjectId,
        { groups: ['health'], categories: ['identity', 'test-results'] },
        { actor: 'operator:bob' },
      );
      expect(report).toEqual({
        requested: 1,
        erased: 1,
        alreadyErased: 0,
        unknown: 0,
        resumed: 0,
        rowsDeleted: 3,
        // health#1, then basic#1 and certification#1 once the rest is under the fresh keys.
        keysDestroyed: 3,
      });
      expect(await liveKeys(p.subjectId)).toEqual(['basic#2', 'certification#2', 'subject#1']);
      expect(await rowsOf(p.subjectId)).toEqual(['contact', 'vaccination']);
      expect((await repo.get(p.subjectId, p.records.contact!)).value).toEqual({
        n: 6,
        c: 'contact',
      });
      expect((await repo.get(p.subjectId, p.records.vaccination!)).value).toEqual({
        n: 6,
        c: 'vaccination',
      });
      const details = audit.events.filter((e) => e.kind === 'erasure').map((e) => e.details);
      expect(details).toEqual([
        expect.objectContaining({ scopes: 'health', categories: '', rows: 1 }),
        expect.objectContaining({ scopes: 'basic', categories: 'identity', rows: 1 }),
        expect.objectContaining({ scopes: 'certification', categories: 'test-results', rows: 1 }),
      ]);
      const tombstones = await t.store.keyring.tombstones();
      expect(tombstones.map((x) => [x.scopes.join(','), x.categories.join(','), x.state])).toEqual(
        expect.arrayContaining([
          ['health', '', 'done'],
          ['basic', 'identity', 'done'],
          ['certification', 'test-results', 'done'],
        ]),
      );
      expect(tombstones).toHaveLength(3);
    });

    it('drops a restriction on an erased category with it, and keeps the others', async () => {
      const p = await person(7, ['identity', 'contact', 'temperature']);
      await vault.restrict(p.subjectId, 'identity', { actor: 'operator:alice', reason: 'x' });
      await vault.restrict(p.subjectId, 'contact', { actor: 'operator:alice', reason: 'x' });
      await vault.restrict(p.subjectId, 'health', { actor: 'operator:alice', reason: 'x' });
      await vault.erase(p.subjectId, { categories: ['identity'] }, { actor: 'operator:alice' });
      expect(await vault.restrictions(p.subjectId)).toEqual(['contact', 'health']);
      await vault.erase(p.subjectId, { groups: ['health'] }, { actor: 'operator:alice' });
      expect(await vault.restrictions(p.subjectId)).toEqual(['contact']);
    });

    it('finishes an erasure whose data transaction failed after its keys were destroyed', async () => {
      const p = await person(8, ['identity', 'temperature', 'symptoms']);
      const broken = openVault(t.store, { audit: new FailingErasureAudit() });
      await expect(
        broken.erase(p.subjectId, { groups: ['health'] }, { actor: 'operator:alice' }),
      ).rejects.toThrow('audit log unavailable');
      // The keys are gone at once; the rows wait for the resume.
      expect(await liveKeys(p.subjectId)).toEqual(['basic#1', 'subject#1']);
      expect(await rowsOf(p.subjectId)).toEqual(['identity', 'symptoms', 'temperature']);
      expect((await t.store.keyring.tombstones('pending')).map((x) => x.scopes)).toEqual([
        ['health'],
      ]);
      audit.events.length = 0;
      expect(await vault.resumeErasures('job:vault.resume')).toEqual({
        resumed: 1,
        rowsDeleted: 2,
      });
      expect(await rowsOf(p.subjectId)).toEqual(['identity']);
      expect(await t.store.keyring.tombstones('pending')).toEqual([]);
      expect(audit.events.filter((e) => e.kind === 'erasure')).toEqual([
        expect.objectContaining({
          actor: 'job:vault.resume',
          action: 'resume',
          details: expect.objectContaining({ scopes: 'health', rows: 2 }) as unknown,
        }),
      ]);
      expect(await vault.resumeErasures('job:vault.resume')).toEqual({
        resumed: 0,
        rowsDeleted: 0,
      });
    });

    it('finishes a partial erasure interrupted after its fresh key, and counts it in the next erase', async () => {
      const p = await person(9, ['test-results', 'vaccination', 'colour-decisions']);
      const other = await person(10, ['identity']);
      const broken = openVault(t.store, { audit: new FailingErasureAudit() });
      await expect(
        broken.erase(p.subjectId, { categories: ['test-results'] }, { actor: 'operator:alice' }),
      ).rejects.toThrow('audit log unavailable');
      // Both keys live: the old one opens the rows until they are re-keyed.
      expect(await liveKeys(p.subjectId)).toEqual([
        'certification#1',
        'certification#2',
        'subject#1',
      ]);
      expect(await rowsOf(p.subjectId)).toEqual([
        'colour-decisions',
        'test-results',
        'vaccination',
      ]);
      audit.events.length = 0;
      // The next erasure of anyone finishes it first and reports it.
      const report = await vault.erase(other.subjectId, {}, { actor: 'operator:alice' });
      expect(report).toMatchObject({ erased: 1, resumed: 1, rowsDeleted: 2 });
      expect(await liveKeys(p.subjectId)).toEqual(['certification#2', 'subject#1']);
      expect(await rowsOf(p.subjectId)).toEqual(['colour-decisions', 'vaccination']);
      expect((await repo.get(p.subjectId, p.records.vaccination!)).value).toEqual({
        n: 9,
        c: 'vaccination',
      });
      const erasures = audit.events.filter((e) => e.kind === 'erasure');
      expect(erasures[0]).toMatchObject({
        action: 'erase',
        details: { scopes: 'certification', categories: 'test-results', rows: 1 },
      });
      expect(erasures[0].subjectAuditId).toBeUndefined();
      expect(await t.store.keyring.tombstones('pending')).toEqual([]);
    });
  });
}
