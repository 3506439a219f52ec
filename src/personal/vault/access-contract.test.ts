// SPDX-License-Identifier: Apache-2.0
/**
 * @module The contract of `VaultRepository` (src/vault/access.ts) field by field: the exact audit
 * entry of every read, write, refusal and failed decryption, each refusal's error code and
 * message, the exact request the guard is asked, what get/list/readAll/listEntries return, the
 * created flags and the lost creation race, link rules, corrections re-sealing in place, entry
 * de-duplication and day ranges, and the system repository skipping guard and restrictions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import type { Database } from '../../platform/db/schema.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { FixedClock } from '../../kernel/shared/index.js';
import {
  interimGuard,
  openVault,
  type Guard,
  type GuardDecision,
  type GuardRequest,
  type Vault,
  type VaultRepository,
} from './index.js';
import { VaultCore } from './core.js';
import { RecordingAudit } from './testing.js';

const START = '2026-11-28T08:00:00+08:00';
const epidemic = { actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' };
const transitCtx = { actor: 'gate:metro-1', role: 'operator', purpose: 'public-transit' };
const maintCtx = { actor: 'job:check', purpose: 'maintenance' } as const;
const RESTRICTED_MESSAGE =
  'this data is restricted: only storage maintenance, security and purge may touch it';

/** A valid GB 11643-1999 number of a person born on `birth` (YYYYMMDD), region 110105. */
function idNumber(birth: string, seq: number): string {
  const body = `110105${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return `${body}${'10X98765432'[sum % 11]}`;
}

/** Days since 1970-01-01 of a YYYY-MM-DD day. */
function bucketOf(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

/** The interim policy, recording every request and refusing the categories in `deny`. */
class RecordingGuard implements Guard {
  readonly requests: GuardRequest[] = [];
  readonly dbs: unknown[] = [];
  readonly deny = new Set<string>();
  async decide(request: GuardRequest, db: Kysely<Database>): Promise<GuardDecision> {
    this.requests.push(request);
    this.dbs.push(db);
    if (this.deny.has(request.category)) {
      return { allowed: false, reason: 'denied-by-test' };
    }
    return interimGuard.decide(request, db);
  }
}

for (const dialect of DIALECTS) {
  describe(`the vault repository's contract on ${dialect}`, () => {
    let t: TestInstance;
    let clock: FixedClock;
    let audit: RecordingAudit;
    let guard: RecordingGuard;
    let vault: Vault;
    let epi: VaultRepository;
    let transit: VaultRepository;
    let maint: VaultRepository;
    let seq = 0;

    beforeAll(async () => {
      clock = new FixedClock(START);
      t = await createTestInstance(dialect, { clock });
      audit = new RecordingAudit();
      guard = new RecordingGuard();
      vault = openVault(t.store, { audit, guard });
      epi = vault.repository(epidemic);
      transit = vault.repository(transitCtx);
      maint = vault.systemRepository(maintCtx);
    });
    afterAll(async () => {
      await t.cleanup();
    });
    beforeEach(() => {
      clock.set(START);
      guard.deny.clear();
    });

    /** Clears what was recorded so far. */
    const reset = () => {
      audit.events.length = 0;
      guard.requests.length = 0;
      guard.dbs.length = 0;
    };

    /** A fresh citizen (an adult unless `birth` says otherwise) and its audit id. */
    const citizen = async (birth = '19800101') => {
      reset();
      const r = await epi.ensureCitizen(idNumber(birth, ++seq));
      expect(r.created).toBe(true);
      const auditId = audit.events[0].subjectAuditId!;
      reset();
      return { id: r.subjectId, auditId };
    };
    /** A fresh subscriber and its audit id. */
    const subscriber = async () => {
      reset();
      const r = await epi.ensureSubscriber(`139${String(++seq).padStart(8, '0')}`);
      expect(r.created).toBe(true);
      const auditId = audit.events[0].subjectAuditId!;
      reset();
      return { id: r.subjectId, auditId };
    };

    /** The exact audit event a repository of `ctx` appends now. */
    const leaf = (
      ctx: { actor: string; purpose: string },
      e: Omit<AuditEvent, 'actor' | 'purpose' | 'at'>,
    ): AuditEvent => ({ ...e, actor: ctx.actor, purpose: ctx.purpose, at: clock.now() });

    const db = () => t.store.db.kysely;
    const row = (id: string) =>
      db().selectFrom('vault_record').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const recordCount = async (subjectId: string) =>
      (
        await db()
          .selectFrom('vault_record')
          .select('id')
          .where('subject_id', '=', subjectId)
          .execute()
      ).length;
    const corrupt = async (id: string) => {
      const ct = Buffer.from((await row(id)).ct);
      ct[ct.length - 1] ^= 0x01;
      await db().updateTable('vault_record').set({ ct }).where('id', '=', id).execute();
    };

    // ---- subjects ------------------------------------------------------------------------

    it('ensureCitizen/ensureSubscriber: created once with one create-subject leaf, then found', async () => {
      reset();
      const id = idNumber('19800101', ++seq);
      const a = await epi.ensureCitizen(id);
      expect(a.created).toBe(true);
      expect(a.subjectId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: expect.stringMatching(/^a[A-Za-z0-9_-]{22}$/),
          action: 'create-subject',
          outcome: 'ok',
          details: { subjectKind: 'citizen' },
        }),
      ]);
      const auditId = audit.events[0].subjectAuditId;
      const deks = async () =>
        (await t.store.keyring.store.selectFrom('dek').select('gen').execute()).length;
      const dekCount = await deks();
      expect(await epi.ensureCitizen(id)).toStrictEqual({ subjectId: a.subjectId, created: false });
      // Found by its blind index first: no key drawn (and dropped) for a subject that exists.
      expect(await deks()).toBe(dekCount);
      expect(audit.events).toHaveLength(1);
      expect(guard.requests).toHaveLength(0);
      // The audit id stored at creation is the one later leaves carry.
      reset();
      await epi.put(a.subjectId, 'identity', { name: 'x' });
      expect(audit.events[0].subjectAuditId).toBe(auditId);

      reset();
      const phone = `139${String(++seq).padStart(8, '0')}`;
      const s = await maint.ensureSubscriber(phone);
      expect(s.created).toBe(true);
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'write',
          subjectAuditId: expect.stringMatching(/^a[A-Za-z0-9_-]{22}$/),
          action: 'create-subject',
          outcome: 'ok',
          details: { subjectKind: 'subscriber' },
        }),
      ]);
      expect(audit.events[0].subjectAuditId).not.toBe(auditId);
      expect(await epi.ensureSubscriber(phone)).toStrictEqual({
        subjectId: s.subjectId,
        created: false,
      });
      // A citizen and a subscriber are different kinds: a phone never finds a citizen.
      expect(await epi.findSubscriber(phone)).toBe(s.subjectId);
      expect(await epi.findCitizen(id)).toBe(a.subjectId);
      const kinds = await db()
        .selectFrom('vault_subject')
        .select(['id', 'kind', 'created_at'])
        .where('id', 'in', [a.subjectId, s.subjectId])
        .orderBy('kind')
        .execute();
      expect(kinds.map((k) => [k.id, k.kind, Number(k.created_at)])).toEqual([
        [a.subjectId, 'citizen', clock.now().getTime()],
        [s.subjectId, 'subscriber', clock.now().getTime()],
      ]);
    });

    it('ensureCitizen: a concurrent creator wins; our unused key is destroyed without a tombstone', async () => {
      const id = idNumber('19800101', ++seq);
      const keyring = t.store.keyring;
      const original = keyring.createFreshDataKeys.bind(keyring);
      let loser = '';
      let winner = '';
      const spy = vi.spyOn(keyring, 'createFreshDataKeys').mockImplementationOnce(async (reqs) => {
        const keys = await original(reqs);
        loser = reqs[0].subjectId;
        // Another writer creates the same person between our lookup and our insert.
        winner = (await epi.ensureCitizen(id)).subjectId;
        return keys;
      });
      reset();
      try {
        const r = await epi.ensureCitizen(id);
        expect(r).toStrictEqual({ subjectId: winner, created: false });
      } finally {
        spy.mockRestore();
      }
      expect(loser).not.toBe(winner);
      expect(audit.events.map((e) => e.action)).toEqual(['create-subject']);
      const deks = await keyring.store
        .selectFrom('dek')
        .select(['subject_id', 'destroyed_at', 'wrapped'])
        .where('subject_id', 'in', [loser, winner])
        .execute();
      const byId = new Map(deks.map((d) => [d.subject_id, d]));
      expect(byId.get(loser)?.destroyed_at).toBe(clock.now().getTime());
      expect(byId.get(loser)?.wrapped).toBeNull();
      expect(byId.get(winner)?.destroyed_at).toBeNull();
      const tombs = await keyring.tombstones();
      expect(tombs.filter((x) => x.subjectId === loser)).toEqual([]);
      expect(await epi.findCitizen(id)).toBe(winner);
    });

    it('ensureCitizen: a failed creation with no winner rethrows and leaves no subject', async () => {
      const id = idNumber('19800101', ++seq);
      const failure = new Error('audit log unavailable');
      const spy = vi.spyOn(audit, 'append').mockRejectedValueOnce(failure);
      const before = await db().selectFrom('vault_subject').select('id').execute();
      try {
        await expect(epi.ensureCitizen(id)).rejects.toBe(failure);
      } finally {
        spy.mockRestore();
      }
      expect(await db().selectFrom('vault_subject').select('id').execute()).toHaveLength(
        before.length,
      );
      expect(await epi.findCitizen(id)).toBeUndefined();
      // Its fresh subject key was destroyed (no tombstone: nothing was ever stored under it).
      const live = await t.store.keyring.store
        .selectFrom('dek')
        .select('subject_id')
        .where('scope', '=', 'subject')
        .where('destroyed_at', 'is', null)
        .execute();
      expect(live.map((d) => d.subject_id).sort()).toEqual(
        (await db().selectFrom('vault_subject').select('id').execute()).map((r) => r.id).sort(),
      );
    });

    it('findCitizen/findSubscriber: one access leaf with the reason; nothing for an unknown one', async () => {
      const c = await citizen();
      const idText = idNumber('19800101', seq);
      reset();
      expect(await epi.findCitizen(idNumber('19800101', 999))).toBeUndefined();
      expect(audit.events).toEqual([]);
      expect(guard.requests).toEqual([]);

      expect(await epi.findCitizen(idText)).toBe(c.id);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'identity',
          action: 'find',
          outcome: 'ok',
          details: { reason: 'statutory-basis' },
        }),
      ]);
      expect(guard.requests.map((r) => r.category)).toEqual(['identity']);

      reset();
      await expect(transit.findCitizen(idText)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        message: 'the purpose may not read this category (no-consent)',
      });
      expect(audit.events).toStrictEqual([
        leaf(transitCtx, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'identity',
          action: 'find',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'no-consent' },
        }),
      ]);

      const s = await subscriber();
      const phone = `139${String(seq).padStart(8, '0')}`;
      expect(await epi.findSubscriber(`+86${phone}`)).toBe(s.id);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: s.auditId,
          category: 'contact',
          action: 'find',
          outcome: 'ok',
          details: { reason: 'statutory-basis' },
        }),
      ]);
      expect(guard.requests.map((r) => r.category)).toEqual(['contact']);

      reset();
      expect(await maint.findSubscriber(phone)).toBe(s.id);
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'access',
          subjectAuditId: s.auditId,
          category: 'contact',
          action: 'find',
          outcome: 'ok',
          details: { reason: 'system-purpose' },
        }),
      ]);
      expect(guard.requests).toEqual([]);
    });

    it('asks the guard exactly: subject, purpose, category, now, age, actor and audit id, on the caller db', async () => {
      const adult = await citizen('19800101');
      const child = await citizen('20200101');
      const rec = await epi.put(child.id, 'temperature', { celsius: 36.6 });
      reset();
      await epi.get(child.id, rec);
      expect(guard.requests).toStrictEqual([
        {
          subjectId: child.id,
          purpose: 'epidemic-control',
          category: 'temperature',
          at: clock.now(),
          under14: true,
          restricted: false,
          actor: 'operator:alice',
          subjectAuditId: child.auditId,
        },
      ]);
      expect(guard.dbs[0]).toBe(db());

      clock.advance(3_600_000);
      const adultRec = await epi.put(adult.id, 'identity', { name: 'a' });
      reset();
      await transit.get(adult.id, adultRec).catch(() => undefined);
      expect(guard.requests).toStrictEqual([
        {
          subjectId: adult.id,
          purpose: 'public-transit',
          category: 'identity',
          at: clock.now(),
          under14: false,
          restricted: false,
          actor: 'gate:metro-1',
          subjectAuditId: adult.auditId,
        },
      ]);

      // A SIM is as young as the youngest citizen proven to hold it; unlinked, it counts as adult.
      const sim = await subscriber();
      reset();
      await epi.links(sim.id);
      expect(guard.requests.map((r) => r.under14)).toEqual([false]);
      await epi.link(child.id, sim.id);
      reset();
      await epi.links(sim.id);
      expect(guard.requests.map((r) => [r.subjectId, r.category, r.under14])).toEqual([
        [sim.id, 'contact', true],
      ]);
    });

    it('rejects malformed subject ids before any lookup, unknown ones after', async () => {
      const malformed = {
        code: 'ERR_VAULT_SUBJECT_UNKNOWN',
        message: 'no such subject (malformed id)',
      };
      const unknown = {
        code: 'ERR_VAULT_SUBJECT_UNKNOWN',
        message: 'no such subject (never created, or erased)',
      };
      for (const id of [
        'abcdefg',
        'x'.repeat(65),
        '!abcdefgh',
        'abcdefgh!',
        'abcd efgh',
        12345678,
      ]) {
        await expect(epi.links(id as string)).rejects.toMatchObject(malformed);
      }
      for (const id of ['abcdefgh', 'A-_z09Zq', 'x'.repeat(64)]) {
        await expect(epi.links(id)).rejects.toMatchObject(unknown);
      }
    });

    // ---- links ---------------------------------------------------------------------------

    it('link: citizen then subscriber only; two write leaves; links() answers both ways', async () => {
      const c = await citizen();
      const c2 = await citizen();
      const s = await subscriber();
      const s2 = await subscriber();
      const kindsMessage = 'link expects a citizen subject and a subscriber subject';
      for (const [x, y] of [
        [s.id, c.id],
        [c.id, c2.id],
        [s.id, s2.id],
      ]) {
        await expect(epi.link(x, y)).rejects.toThrow(new RangeError(kindsMessage));
      }
      expect(audit.events).toEqual([]);

      await epi.link(c.id, s.id);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'contact',
          action: 'link',
          outcome: 'ok',
        }),
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: s.auditId,
          category: 'contact',
          action: 'link',
          outcome: 'ok',
        }),
      ]);
      expect(guard.requests).toEqual([]);
      const linkRow = await db()
        .selectFrom('vault_link')
        .selectAll()
        .where('citizen_id', '=', c.id)
        .executeTakeFirstOrThrow();
      expect(linkRow.subscriber_id).toBe(s.id);
      expect(Number(linkRow.linked_at)).toBe(clock.now().getTime());

      reset();
      expect(await epi.links(c.id)).toEqual([s.id]);
      expect(await epi.links(s.id)).toEqual([c.id]);
      expect(await epi.links(c2.id)).toEqual([]);
      expect(audit.events).toStrictEqual(
        [c.auditId, s.auditId, c2.auditId].map((auditId) =>
          leaf(epidemic, {
            kind: 'access',
            subjectAuditId: auditId,
            category: 'contact',
            action: 'links',
            outcome: 'ok',
            details: { reason: 'statutory-basis' },
          }),
        ),
      );

      reset();
      await expect(transit.links(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_REFUSED' });
      expect(audit.events).toStrictEqual([
        leaf(transitCtx, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'contact',
          action: 'links',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'no-consent' },
        }),
      ]);
    });

    it('link: refused when the citizen’s contact data is restricted; the system repository links anyway', async () => {
      const c = await citizen();
      const s = await subscriber();
      await vault.restrict(c.id, 'basic', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(epi.link(c.id, s.id)).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
        message: RESTRICTED_MESSAGE,
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'contact',
          action: 'link',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      expect(await maint.links(c.id)).toEqual([]);
      await maint.link(c.id, s.id);
      expect(await maint.links(c.id)).toEqual([s.id]);
      await vault.unrestrict(c.id, 'basic', { actor: 'operator:alice' });
    });

    // ---- single records ------------------------------------------------------------------

    it('put and get: the stored row, the returned record field by field, one leaf each', async () => {
      const c = await citizen();
      const created = clock.now();
      const id = await epi.put(c.id, 'temperature', { celsius: 36.6 });
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'put',
          outcome: 'ok',
          details: { recordId: id },
        }),
      ]);
      expect(guard.requests).toEqual([]);
      const r = await row(id);
      expect({
        subject: r.subject_id,
        grp: r.grp,
        category: r.category,
        bucket: r.bucket,
        entries: r.entries,
        created: Number(r.created_at),
        updated: Number(r.updated_at),
      }).toEqual({
        subject: c.id,
        grp: 'health',
        category: 'temperature',
        bucket: null,
        entries: null,
        created: created.getTime(),
        updated: created.getTime(),
      });

      clock.advance(60_000);
      reset();
      expect(await epi.get(c.id, id)).toStrictEqual({
        recordId: id,
        subjectId: c.id,
        group: 'health',
        category: 'temperature',
        createdAt: created,
        updatedAt: created,
        value: { celsius: 36.6 },
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'get',
          outcome: 'ok',
          details: { recordId: id, reason: 'statutory-basis' },
        }),
      ]);

      reset();
      expect((await maint.get(c.id, id)).value).toEqual({ celsius: 36.6 });
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'get',
          outcome: 'ok',
          details: { recordId: id, reason: 'system-purpose' },
        }),
      ]);
      expect(guard.requests).toEqual([]);
    });

    it('get: an unknown record, or another subject’s, is unknown and unaudited', async () => {
      const a = await citizen();
      const b = await citizen();
      const ofB = await epi.put(b.id, 'identity', { name: 'b' });
      reset();
      for (const [subject, rec] of [
        [a.id, ofB],
        [a.id, 'nosuchrecord0000000000'],
      ]) {
        await expect(epi.get(subject, rec)).rejects.toMatchObject({
          code: 'ERR_VAULT_RECORD_UNKNOWN',
          message: 'no such record for this subject',
        });
      }
      expect(audit.events).toEqual([]);
      expect(guard.requests).toEqual([]);
    });

    it('get: a guard refusal throws its reason and logs one refusal leaf, no access leaf', async () => {
      const c = await citizen();
      const id = await epi.put(c.id, 'identity', { name: 'x' });
      reset();
      const err: unknown = await transit.get(c.id, id).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        message: 'the purpose may not read this category (no-consent)',
        details: { reason: 'no-consent' },
      });
      expect(audit.events).toStrictEqual([
        leaf(transitCtx, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'identity',
          action: 'get',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'no-consent' },
        }),
      ]);
    });

    it('restriction by subject, group or category refuses only what it covers, before the guard', async () => {
      const c = await citizen();
      const temp = await epi.put(c.id, 'temperature', { celsius: 37 });
      const ident = await epi.put(c.id, 'identity', { name: 'x' });
      const cases: Array<[string, string[], string[]]> = [
        ['symptoms', [], [temp, ident]],
        ['temperature', [temp], [ident]],
        ['health', [temp], [ident]],
        ['basic', [ident], [temp]],
        ['*', [temp, ident], []],
      ];
      for (const [scope, refused, allowed] of cases) {
        await vault.restrict(c.id, scope, { actor: 'operator:alice', reason: 'test' });
        for (const id of refused) {
          reset();
          await expect(epi.get(c.id, id)).rejects.toMatchObject({
            code: 'ERR_VAULT_RESTRICTED',
            message: RESTRICTED_MESSAGE,
          });
          expect(guard.requests).toEqual([]);
          expect(audit.events).toStrictEqual([
            leaf(epidemic, {
              kind: 'refusal',
              subjectAuditId: c.auditId,
              category: id === temp ? 'temperature' : 'identity',
              action: 'get',
              outcome: 'ERR_VAULT_RESTRICTED',
            }),
          ]);
          // The system repository still reads it.
          expect((await maint.get(c.id, id)).recordId).toBe(id);
        }
        for (const id of allowed) {
          expect((await epi.get(c.id, id)).recordId).toBe(id);
        }
        await vault.unrestrict(c.id, scope, { actor: 'operator:alice' });
      }
    });

    it('put: refused on restricted data with a refusal leaf and nothing stored; the system repository writes', async () => {
      const c = await citizen();
      await vault.restrict(c.id, 'health', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(epi.put(c.id, 'symptoms', { list: [] })).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
        message: RESTRICTED_MESSAGE,
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'symptoms',
          action: 'put',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      expect(await recordCount(c.id)).toBe(0);
      // Another group is not restricted.
      await epi.put(c.id, 'identity', { name: 'x' });
      reset();
      const id = await maint.put(c.id, 'symptoms', { list: ['cough'] });
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'symptoms',
          action: 'put',
          outcome: 'ok',
          details: { recordId: id },
        }),
      ]);
      expect(await recordCount(c.id)).toBe(2);
      await vault.unrestrict(c.id, 'health', { actor: 'operator:alice' });
    });

    it('get: a ciphertext that does not open is audited as a failed access with its code', async () => {
      const c = await citizen();
      const id = await epi.put(c.id, 'vaccination', { dose: 1 });
      await corrupt(id);
      reset();
      await expect(epi.get(c.id, id)).rejects.toMatchObject({ code: 'ERR_VAULT_INTEGRITY' });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'vaccination',
          action: 'get',
          outcome: 'ERR_VAULT_INTEGRITY',
        }),
      ]);
    });

    // ---- list and readAll ------------------------------------------------------------------

    it('list: single records by category then age, filters, one leaf per category with counts', async () => {
      const c = await citizen();
      const t1 = clock.now();
      const temp1 = await epi.put(c.id, 'temperature', { celsius: 36.1 });
      clock.advance(1000);
      const t2 = clock.now();
      const ident = await epi.put(c.id, 'identity', { name: 'x' });
      clock.advance(1000);
      const t3 = clock.now();
      const temp2 = await epi.put(c.id, 'temperature', { celsius: 36.2 });
      await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]);
      const rec = (
        recordId: string,
        group: string,
        category: string,
        at: Date,
        value: unknown,
      ) => ({
        recordId,
        subjectId: c.id,
        group,
        category,
        createdAt: at,
        updatedAt: at,
        value,
      });
      clock.advance(1000);
      reset();
      expect(await epi.list(c.id)).toStrictEqual([
        rec(ident, 'basic', 'identity', t2, { name: 'x' }),
        rec(temp1, 'health', 'temperature', t1, { celsius: 36.1 }),
        rec(temp2, 'health', 'temperature', t3, { celsius: 36.2 }),
      ]);
      expect(guard.requests.map((r) => r.category)).toEqual(['identity', 'temperature']);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'identity',
          action: 'list',
          outcome: 'ok',
          details: { records: 1, reason: 'statutory-basis' },
        }),
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'list',
          outcome: 'ok',
          details: { records: 2, reason: 'statutory-basis' },
        }),
      ]);

      expect(
        (await epi.list(c.id, { categories: ['temperature'] })).map((r) => r.recordId),
      ).toEqual([temp1, temp2]);
      expect((await epi.list(c.id, { groups: ['basic'] })).map((r) => r.recordId)).toEqual([ident]);
      expect(
        (await epi.list(c.id, { groups: ['health'], categories: ['identity'] })).map(
          (r) => r.recordId,
        ),
      ).toEqual([]);
      reset();
      expect(await epi.list(c.id, { categories: ['location-events'] })).toEqual([]);
      expect(audit.events).toEqual([]);
      expect(guard.requests).toEqual([]);

      reset();
      await maint.list(c.id, { categories: ['identity'] });
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'identity',
          action: 'list',
          outcome: 'ok',
          details: { records: 1, reason: 'system-purpose' },
        }),
      ]);
    });

    it('list: one refused category refuses the call; a failed decryption is audited for its category', async () => {
      const c = await citizen();
      await epi.put(c.id, 'identity', { name: 'x' });
      const temp = await epi.put(c.id, 'temperature', { celsius: 36.1 });
      guard.deny.add('temperature');
      reset();
      await expect(epi.list(c.id)).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
        message: 'the purpose may not read this category (denied-by-test)',
      });
      expect(guard.requests.map((r) => r.category)).toEqual(['identity', 'temperature']);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'list',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'denied-by-test' },
        }),
      ]);
      guard.deny.clear();
      guard.deny.add('identity');
      reset();
      await expect(epi.list(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_REFUSED' });
      expect(guard.requests.map((r) => r.category)).toEqual(['identity']);
      guard.deny.clear();

      await vault.restrict(c.id, 'temperature', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(epi.list(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_RESTRICTED' });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'list',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      await vault.unrestrict(c.id, 'temperature', { actor: 'operator:alice' });

      await corrupt(temp);
      reset();
      await expect(epi.list(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_INTEGRITY' });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'list',
          outcome: 'ERR_VAULT_INTEGRITY',
        }),
      ]);
    });

    it('readAll: records and merged day bundles in order, one leaf per category counting its rows', async () => {
      const c = await citizen();
      const e = (id: string, time?: string, at?: string) => ({
        id,
        ...(time === undefined ? {} : { time }),
        ...(at === undefined ? {} : { at }),
      });
      const t0 = clock.now();
      const temp = await epi.put(c.id, 'temperature', { celsius: 37.2 });
      clock.advance(1000);
      const day27 = await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        e('e.b', '2026-11-27T10:00:00+08:00'),
        e('e.c', '2026-11-27T09:00:00+08:00'),
      ]);
      clock.advance(1000);
      const day26 = await epi.putEntries(c.id, 'location-events', '2026-11-26', [
        e('e.x', '2026-11-26T08:00:00+08:00'),
      ]);
      clock.advance(1000);
      // A later ingest of the 27th: merged into the first bundle's record id, in time order.
      await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        e('e.a', '2026-11-27T10:00:00+08:00'),
        e('e.d', undefined, '2026-11-27T08:00:00+08:00'),
        e('e.z'),
      ]);
      clock.advance(1000);
      const itin = await epi.putEntries(c.id, 'itinerary', '2026-11-25', [
        e('i.1', '2026-11-25T12:00:00+08:00'),
      ]);
      clock.advance(1000);
      const t5 = clock.now();
      const ident = await epi.put(c.id, 'identity', { name: 'x' });
      clock.advance(1000);
      reset();
      const all = await epi.readAll(c.id);
      expect(all).toStrictEqual({
        records: [
          {
            recordId: ident,
            subjectId: c.id,
            group: 'basic',
            category: 'identity',
            createdAt: t5,
            updatedAt: t5,
            value: { name: 'x' },
          },
          {
            recordId: temp,
            subjectId: c.id,
            group: 'health',
            category: 'temperature',
            createdAt: t0,
            updatedAt: t0,
            value: { celsius: 37.2 },
          },
        ],
        bundles: [
          {
            recordId: itin.recordId,
            subjectId: c.id,
            category: 'itinerary',
            day: '2026-11-25',
            entries: [e('i.1', '2026-11-25T12:00:00+08:00')],
          },
          {
            recordId: day26.recordId,
            subjectId: c.id,
            category: 'location-events',
            day: '2026-11-26',
            entries: [e('e.x', '2026-11-26T08:00:00+08:00')],
          },
          {
            recordId: day27.recordId,
            subjectId: c.id,
            category: 'location-events',
            day: '2026-11-27',
            entries: [
              e('e.z'),
              e('e.d', undefined, '2026-11-27T08:00:00+08:00'),
              e('e.c', '2026-11-27T09:00:00+08:00'),
              e('e.a', '2026-11-27T10:00:00+08:00'),
              e('e.b', '2026-11-27T10:00:00+08:00'),
            ],
          },
        ],
      });
      expect(guard.requests.map((r) => r.category)).toEqual([
        'identity',
        'itinerary',
        'location-events',
        'temperature',
      ]);
      expect(audit.events).toStrictEqual(
        (
          [
            ['identity', 1],
            ['itinerary', 1],
            ['location-events', 3],
            ['temperature', 1],
          ] as const
        ).map(([category, records]) =>
          leaf(epidemic, {
            kind: 'access',
            subjectAuditId: c.auditId,
            category,
            action: 'read-all',
            outcome: 'ok',
            details: { records, reason: 'statutory-basis' },
          }),
        ),
      );

      reset();
      await maint.readAll(c.id);
      expect(audit.events.map((x) => [x.purpose, x.details?.reason])).toEqual(
        Array(4).fill(['maintenance', 'system-purpose']),
      );
      expect(guard.requests).toEqual([]);

      guard.deny.add('location-events');
      reset();
      await expect(epi.readAll(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_REFUSED' });
      expect(guard.requests.map((r) => r.category)).toEqual([
        'identity',
        'itinerary',
        'location-events',
      ]);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'read-all',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'denied-by-test' },
        }),
      ]);
      guard.deny.clear();

      await corrupt(day26.recordId!);
      reset();
      await expect(epi.readAll(c.id)).rejects.toMatchObject({ code: 'ERR_VAULT_INTEGRITY' });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'read-all',
          outcome: 'ERR_VAULT_INTEGRITY',
        }),
      ]);

      const empty = await citizen();
      expect(await epi.readAll(empty.id)).toStrictEqual({ records: [], bundles: [] });
      expect(audit.events).toEqual([]);
    });

    // ---- corrections -----------------------------------------------------------------------

    it('correct: re-seals in place (same id, created kept, updated now) with one write leaf', async () => {
      const c = await citizen();
      const t0 = clock.now();
      const id = await epi.put(c.id, 'temperature', { celsius: 39.0 });
      const before = await row(id);
      clock.advance(60_000);
      const t1 = clock.now();
      reset();
      await epi.correct(c.id, id, { celsius: 36.9 });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'temperature',
          action: 'correct',
          outcome: 'ok',
          details: { recordId: id },
        }),
      ]);
      expect(guard.requests).toEqual([]);
      const after = await row(id);
      expect(Buffer.from(after.ct).equals(Buffer.from(before.ct))).toBe(false);
      expect([after.gen, after.bucket, after.entries, after.grp]).toEqual([
        before.gen,
        null,
        null,
        'health',
      ]);
      expect(await epi.get(c.id, id)).toStrictEqual({
        recordId: id,
        subjectId: c.id,
        group: 'health',
        category: 'temperature',
        createdAt: t0,
        updatedAt: t1,
        value: { celsius: 36.9 },
      });
      expect(await recordCount(c.id)).toBe(1);
    });

    it('correct: unknown records, bundles and restricted data are refused; the record is unchanged', async () => {
      const c = await citizen();
      const id = await epi.put(c.id, 'symptoms', { list: ['cough'] });
      const bundle = await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]);
      reset();
      await expect(epi.correct(c.id, 'nosuchrecord0000000000', 1)).rejects.toMatchObject({
        code: 'ERR_VAULT_RECORD_UNKNOWN',
        message: 'no such record for this subject',
      });
      await expect(epi.correct(c.id, bundle.recordId!, [])).rejects.toMatchObject({
        code: 'ERR_VAULT_VALUE',
        message: 'a bundle is corrected entry by entry (correctEntry)',
      });
      expect(audit.events).toEqual([]);
      expect((await epi.listEntries(c.id, 'location-events'))[0].entries).toEqual([{ id: 'e.1' }]);

      await vault.restrict(c.id, 'symptoms', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(epi.correct(c.id, id, { list: [] })).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
        message: RESTRICTED_MESSAGE,
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'symptoms',
          action: 'correct',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      expect((await maint.get(c.id, id)).value).toEqual({ list: ['cough'] });
      reset();
      await maint.correct(c.id, id, { list: ['fever'] });
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'symptoms',
          action: 'correct',
          outcome: 'ok',
          details: { recordId: id },
        }),
      ]);
      expect((await maint.get(c.id, id)).value).toEqual({ list: ['fever'] });
      await vault.unrestrict(c.id, 'symptoms', { actor: 'operator:alice' });
    });

    it('correct and correctEntry: a row changed meanwhile is not overwritten and not audited', async () => {
      const c = await citizen();
      const id = await epi.put(c.id, 'temperature', { celsius: 38 });
      const b = await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]);
      const keyring = t.store.keyring;
      const moveGen = (recordId: string, delta: number) =>
        db()
          .updateTable('vault_record')
          .set((eb) => ({ gen: eb('gen', '+', delta) }))
          .where('id', '=', recordId)
          .execute();
      for (const [target, run, message] of [
        [
          id,
          () => epi.correct(c.id, id, { celsius: 36 }),
          'the record changed or was erased meanwhile; try again',
        ],
        [
          b.recordId!,
          () => epi.correctEntry(c.id, 'location-events', '2026-11-27', { id: 'e.1', n: 2 }),
          'the entry changed or was erased meanwhile; try again',
        ],
      ] as const) {
        const original = keyring.ensureDataKeys.bind(keyring);
        const spy = vi.spyOn(keyring, 'ensureDataKeys').mockImplementationOnce(async (reqs) => {
          // Another writer moves the row on between our read and our update.
          await moveGen(target, 100);
          return original(reqs);
        });
        const ct = Buffer.from((await row(target)).ct);
        reset();
        try {
          await expect(run()).rejects.toMatchObject({ code: 'ERR_VAULT_RECORD_UNKNOWN', message });
        } finally {
          spy.mockRestore();
        }
        expect(audit.events).toEqual([]);
        expect(Buffer.from((await row(target)).ct).equals(ct)).toBe(true);
        await moveGen(target, -100);
      }
      expect((await epi.get(c.id, id)).value).toEqual({ celsius: 38 });
      expect((await epi.listEntries(c.id, 'location-events'))[0].entries).toEqual([{ id: 'e.1' }]);
    });

    // ---- entries ---------------------------------------------------------------------------

    it('putEntries: counts, the day bucket and entry index, de-duplication per day and category', async () => {
      const c = await citizen();
      reset();
      const r1 = await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        { id: 'e.1' },
        { id: 'e.2' },
      ]);
      expect(r1).toStrictEqual({
        recordId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        added: 2,
        duplicates: 0,
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'put-entries',
          outcome: 'ok',
          details: { recordId: r1.recordId!, entries: 2, duplicates: 0 },
        }),
      ]);
      const r = await row(r1.recordId!);
      expect([r.subject_id, r.grp, r.category, r.bucket, r.entries]).toEqual([
        c.id,
        'itinerary',
        'location-events',
        bucketOf('2026-11-27'),
        'e.1\ne.2',
      ]);

      reset();
      const r2 = await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        { id: 'e.2' },
        { id: 'e.3' },
        { id: 'e.3' },
        { id: 'e.4' },
      ]);
      expect(r2).toStrictEqual({ recordId: expect.any(String), added: 2, duplicates: 2 });
      expect(r2.recordId).not.toBe(r1.recordId);
      expect(audit.events[0].details).toStrictEqual({
        recordId: r2.recordId!,
        entries: 2,
        duplicates: 2,
      });
      expect((await row(r2.recordId!)).entries).toBe('e.3\ne.4');

      reset();
      const before = await recordCount(c.id);
      expect(
        await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }, { id: 'e.4' }]),
      ).toStrictEqual({ recordId: undefined, added: 0, duplicates: 2 });
      expect(audit.events).toEqual([]);
      expect(await recordCount(c.id)).toBe(before);

      // The same id on another day, or in another category, is not a duplicate.
      expect(
        (await epi.putEntries(c.id, 'location-events', '2026-11-28', [{ id: 'e.1' }])).added,
      ).toBe(1);
      expect((await epi.putEntries(c.id, 'itinerary', '2026-11-27', [{ id: 'e.1' }])).added).toBe(
        1,
      );
    });

    it('putEntries: restricted data and bad entry ids are refused, nothing stored', async () => {
      const c = await citizen();
      await vault.restrict(c.id, 'itinerary', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(
        epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]),
      ).rejects.toMatchObject({ code: 'ERR_VAULT_RESTRICTED', message: RESTRICTED_MESSAGE });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'put-entries',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      reset();
      await expect(
        epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }, { id: 'bad id' }]),
      ).rejects.toMatchObject({ code: 'ERR_VAULT_VALUE' });
      expect(audit.events).toEqual([]);
      expect(await recordCount(c.id)).toBe(0);
      expect(
        await maint.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]),
      ).toMatchObject({ added: 1, duplicates: 0 });
      await vault.unrestrict(c.id, 'itinerary', { actor: 'operator:alice' });
    });

    it('listEntries: day ranges, merged bundles field by field, one leaf counting bundles', async () => {
      const c = await citizen();
      const d25 = await epi.putEntries(c.id, 'location-events', '2026-11-25', [{ id: 'a.1' }]);
      clock.advance(1000);
      const d26 = await epi.putEntries(c.id, 'location-events', '2026-11-26', [
        { id: 'b.2', time: '2026-11-26T09:00:00+08:00' },
        { id: 'b.3', time: '2026-11-26T08:00:00+08:00' },
      ]);
      clock.advance(1000);
      await epi.putEntries(c.id, 'location-events', '2026-11-26', [
        { id: 'b.1', time: '2026-11-26T09:00:00+08:00' },
        { id: 'b.0', at: '2026-11-26T07:00:00+08:00' },
        { id: 'b.9' },
      ]);
      clock.advance(1000);
      const d27 = await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'c.1' }]);
      await epi.putEntries(c.id, 'itinerary', '2026-11-26', [{ id: 'other' }]);
      reset();
      const all = await epi.listEntries(c.id, 'location-events');
      expect(all).toStrictEqual([
        {
          recordId: d25.recordId,
          subjectId: c.id,
          category: 'location-events',
          day: '2026-11-25',
          entries: [{ id: 'a.1' }],
        },
        {
          recordId: d26.recordId,
          subjectId: c.id,
          category: 'location-events',
          day: '2026-11-26',
          entries: [
            { id: 'b.9' },
            { id: 'b.0', at: '2026-11-26T07:00:00+08:00' },
            { id: 'b.3', time: '2026-11-26T08:00:00+08:00' },
            { id: 'b.1', time: '2026-11-26T09:00:00+08:00' },
            { id: 'b.2', time: '2026-11-26T09:00:00+08:00' },
          ],
        },
        {
          recordId: d27.recordId,
          subjectId: c.id,
          category: 'location-events',
          day: '2026-11-27',
          entries: [{ id: 'c.1' }],
        },
      ]);
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'list-entries',
          outcome: 'ok',
          details: { bundles: 4, reason: 'statutory-basis' },
        }),
      ]);
      expect(guard.requests.map((r) => r.category)).toEqual(['location-events']);

      const days = async (range: { from?: string; to?: string }) =>
        (await epi.listEntries(c.id, 'location-events', range)).map((d) => d.day);
      expect(await days({ from: '2026-11-26' })).toEqual(['2026-11-26', '2026-11-27']);
      expect(await days({ to: '2026-11-26' })).toEqual(['2026-11-25', '2026-11-26']);
      expect(await days({ from: '2026-11-26', to: '2026-11-26' })).toEqual(['2026-11-26']);
      expect(await days({ from: '2026-11-28' })).toEqual([]);
      reset();
      await epi.listEntries(c.id, 'location-events', { from: '2026-11-26', to: '2026-11-26' });
      expect(audit.events[0].details).toStrictEqual({ bundles: 2, reason: 'statutory-basis' });
      reset();
      expect(await epi.listEntries(c.id, 'location-events', { from: '2026-11-28' })).toEqual([]);
      expect(audit.events[0].details).toStrictEqual({ bundles: 0, reason: 'statutory-basis' });

      reset();
      await maint.listEntries(c.id, 'location-events', { to: '2026-11-25' });
      expect(audit.events).toStrictEqual([
        leaf(maintCtx, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'list-entries',
          outcome: 'ok',
          details: { bundles: 1, reason: 'system-purpose' },
        }),
      ]);
    });

    it('listEntries: refusals and a failed decryption are audited with their codes', async () => {
      const c = await citizen();
      const b = await epi.putEntries(c.id, 'location-events', '2026-11-27', [{ id: 'e.1' }]);
      reset();
      await expect(transit.listEntries(c.id, 'location-events')).rejects.toMatchObject({
        code: 'ERR_VAULT_REFUSED',
      });
      expect(audit.events).toStrictEqual([
        leaf(transitCtx, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'list-entries',
          outcome: 'ERR_VAULT_REFUSED',
          details: { reason: 'no-consent' },
        }),
      ]);
      await vault.restrict(c.id, 'location-events', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(epi.listEntries(c.id, 'location-events')).rejects.toMatchObject({
        code: 'ERR_VAULT_RESTRICTED',
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'list-entries',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      await vault.unrestrict(c.id, 'location-events', { actor: 'operator:alice' });
      await corrupt(b.recordId!);
      reset();
      await expect(epi.listEntries(c.id, 'location-events')).rejects.toMatchObject({
        code: 'ERR_VAULT_INTEGRITY',
      });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'access',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'list-entries',
          outcome: 'ERR_VAULT_INTEGRITY',
        }),
      ]);
    });

    it('correctEntry: replaces the one entry in the bundle that holds it, with one write leaf', async () => {
      const c = await citizen();
      const first = await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        { id: 'e.1', cell: 'a' },
        { id: 'e.2', cell: 'b' },
      ]);
      // Later, so that the merged day keeps the first bundle's record id.
      clock.advance(1000);
      const second = await epi.putEntries(c.id, 'location-events', '2026-11-27', [
        { id: 'e.3', cell: 'c' },
        { id: 'e.4', cell: 'd' },
      ]);
      await epi.putEntries(c.id, 'location-events', '2026-11-28', [{ id: 'e.5', cell: 'e' }]);
      const before = await row(second.recordId!);
      clock.advance(60_000);
      reset();
      await epi.correctEntry(c.id, 'location-events', '2026-11-27', { id: 'e.4', cell: 'z' });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'write',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'correct-entry',
          outcome: 'ok',
          details: { recordId: second.recordId! },
        }),
      ]);
      const after = await row(second.recordId!);
      expect([
        after.entries,
        after.bucket,
        Number(after.updated_at),
        Number(after.created_at),
      ]).toEqual([
        'e.3\ne.4',
        bucketOf('2026-11-27'),
        clock.now().getTime(),
        Number(before.created_at),
      ]);
      const days = await epi.listEntries(c.id, 'location-events');
      expect(days.map((d) => [d.day, d.recordId, d.entries])).toEqual([
        [
          '2026-11-27',
          first.recordId,
          [
            { id: 'e.1', cell: 'a' },
            { id: 'e.2', cell: 'b' },
            { id: 'e.3', cell: 'c' },
            { id: 'e.4', cell: 'z' },
          ],
        ],
        ['2026-11-28', expect.any(String), [{ id: 'e.5', cell: 'e' }]],
      ]);

      reset();
      for (const [day, id] of [
        ['2026-11-27', 'e.5'],
        ['2026-11-28', 'e.1'],
        ['2026-11-27', 'e.9'],
      ]) {
        await expect(
          epi.correctEntry(c.id, 'location-events', day, { id, cell: 'q' }),
        ).rejects.toMatchObject({
          code: 'ERR_VAULT_RECORD_UNKNOWN',
          message: 'no such entry for this subject, category and day',
        });
      }
      await expect(
        epi.correctEntry(c.id, 'itinerary', '2026-11-27', { id: 'e.1' }),
      ).rejects.toMatchObject({ code: 'ERR_VAULT_RECORD_UNKNOWN' });
      expect(audit.events).toEqual([]);

      await vault.restrict(c.id, '*', { actor: 'operator:alice', reason: 'test' });
      reset();
      await expect(
        epi.correctEntry(c.id, 'location-events', '2026-11-27', { id: 'e.1', cell: 'q' }),
      ).rejects.toMatchObject({ code: 'ERR_VAULT_RESTRICTED', message: RESTRICTED_MESSAGE });
      expect(audit.events).toStrictEqual([
        leaf(epidemic, {
          kind: 'refusal',
          subjectAuditId: c.auditId,
          category: 'location-events',
          action: 'correct-entry',
          outcome: 'ERR_VAULT_RESTRICTED',
        }),
      ]);
      await maint.correctEntry(c.id, 'location-events', '2026-11-27', { id: 'e.1', cell: 'm' });
      expect((await maint.listEntries(c.id, 'location-events'))[0].entries[0]).toEqual({
        id: 'e.1',
        cell: 'm',
      });
      await vault.unrestrict(c.id, '*', { actor: 'operator:alice' });
    });

    it('ensureCitizen keeps the birth date and the guardian in the encrypted subject facts', async () => {
      const core = new VaultCore(t.store, { audit, guard });
      const facts = async (subjectId: string) =>
        core.meta(core.db, await core.subjectRow(core.db, subjectId));
      const adult = await citizen('19800101');
      reset();
      const child = await epi.ensureCitizen(idNumber('20200101', ++seq), { guardian: adult.id });
      const childAuditId = audit.events[0].subjectAuditId;
      const sim = await subscriber();
      expect(await facts(adult.id)).toStrictEqual({
        auditId: adult.auditId,
        birthDate: '1980-01-01',
      });
      expect(await facts(child.subjectId)).toStrictEqual({
        auditId: childAuditId,
        birthDate: '2020-01-01',
        guardian: adult.id,
      });
      expect(await facts(sim.id)).toStrictEqual({ auditId: sim.auditId });
    });

    it('entries: a missing entry is a value error, not a crash; untyped failures are not audited as access', async () => {
      const c = await citizen();
      reset();
      for (const bad of [null, undefined, {}]) {
        await expect(
          epi.putEntries(c.id, 'location-events', '2026-11-27', [bad as never]),
        ).rejects.toMatchObject({ code: 'ERR_VAULT_VALUE' });
        await expect(
          epi.correctEntry(c.id, 'location-events', '2026-11-27', bad as never),
        ).rejects.toMatchObject({ code: 'ERR_VAULT_VALUE' });
      }
      expect(audit.events).toEqual([]);

      const id = await epi.put(c.id, 'temperature', { celsius: 36.6 });
      const keyring = t.store.keyring;
      const original = keyring.dataKey.bind(keyring);
      const failure = new Error('key store unreachable');
      const spy = vi
        .spyOn(keyring, 'dataKey')
        .mockImplementation((subjectId, scope, gen, via) =>
          scope === 'health' ? Promise.reject(failure) : original(subjectId, scope, gen, via),
        );
      reset();
      try {
        await expect(epi.get(c.id, id)).rejects.toBe(failure);
      } finally {
        spy.mockRestore();
      }
      expect(audit.events).toEqual([]);
    });

    it('the repository keeps its access context', () => {
      expect(epi.context).toBe(epidemic);
      expect(maint.context).toStrictEqual({ ...maintCtx, role: 'system' });
    });
  });
}
