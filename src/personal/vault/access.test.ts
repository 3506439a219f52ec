// SPDX-License-Identifier: Apache-2.0
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestInstance, type TestInstance } from '../../../test/support/dialects.js';
import { FixedClock } from '../../kernel/shared/index.js';
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import { openVault, type Vault, type VaultRepository } from './index.js';
import {
  VaultErasedError,
  VaultIntegrityError,
  VaultPurposeUnknownError,
  VaultRefusedError,
  VaultRestrictedError,
  VaultSubjectUnknownError,
  VaultValueError,
} from './errors.js';
import { RecordingAudit } from './testing.js';

// GB 11643-1999 example numbers (DOMAIN.md §4.2) and a synthetic mobile number.
const ID_A = '11010519491231002X';
const ID_B = '440524188001010014';
const PHONE = '138 0013 8000';
const epidemic = { actor: 'operator:alice', role: 'operator', purpose: 'epidemic-control' };

for (const dialect of DIALECTS) {
  describe(`vault repository on ${dialect}`, () => {
    let t: TestInstance;
    let vault: Vault;
    let audit: RecordingAudit;
    let repo: VaultRepository;
    beforeAll(async () => {
      t = await createTestInstance(dialect, { clock: new FixedClock('2026-11-28T08:00:00+08:00') });
      audit = new RecordingAudit();
      vault = openVault(t.store, { audit });
      repo = vault.repository(epidemic);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('creates subjects with opaque ids, finds them by blind index, never stores the identifier', async () => {
      const a = await repo.ensureCitizen(ID_A);
      expect(a.created).toBe(true);
      expect(a.subjectId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await repo.ensureCitizen(' 11010519491231002x ')).toEqual({
        subjectId: a.subjectId,
        created: false,
      });
      expect(await repo.findCitizen(ID_A)).toBe(a.subjectId);
      expect(await repo.findCitizen(ID_B)).toBeUndefined();
      const s = await repo.ensureSubscriber(PHONE);
      expect(await repo.findSubscriber('+8613800138000')).toBe(s.subjectId);
      const rows = await t.store.db.kysely.selectFrom('vault_subject').selectAll().execute();
      // The random subject ids (checked above) are left out: base64url text can spell six
      // digits by chance.
      const dump = JSON.stringify(
        rows.map((r) => ({
          ...r,
          id: undefined,
          lookup: Buffer.from(r.lookup).toString('latin1'),
          meta: Buffer.from(r.meta).toString('latin1'),
        })),
      );
      expect(dump).not.toContain('110105');
      expect(dump).not.toContain('13800138000');
      await repo.link(a.subjectId, s.subjectId);
      expect(await repo.links(s.subjectId)).toEqual([a.subjectId]);
    });

    it('puts, gets, lists and corrects every data category, auditing by audit id only', async () => {
      const { subjectId } = await repo.ensureCitizen(ID_B);
      audit.events.length = 0;
      const ids: string[] = [];
      for (const category of DATA_CATEGORIES) {
        ids.push(await repo.put(subjectId, category, { category, n: 1 }));
      }
      for (const [i, category] of DATA_CATEGORIES.entries()) {
        const r = await repo.get(subjectId, ids[i]);
        expect(r).toMatchObject({ category, value: { category, n: 1 }, subjectId });
      }
      const listed = await repo.list(subjectId, { groups: ['health'] });
      expect(listed.map((r) => r.category).sort()).toEqual(['symptoms', 'temperature']);
      await repo.correct(subjectId, ids[4], { celsius: 36.9 });
      expect((await repo.get(subjectId, ids[4])).value).toEqual({ celsius: 36.9 });
      const kinds = new Set(audit.events.map((e) => `${e.kind}:${e.action}`));
      expect(kinds).toEqual(new Set(['write:put', 'access:get', 'access:list', 'write:correct']));
      expect(audit.events.every((e) => /^a[A-Za-z0-9_-]{22}$/.test(e.subjectAuditId ?? ''))).toBe(
        true,
      );
      expect(JSON.stringify(audit.events)).not.toContain(subjectId);
      // Without the random audit ids (checked above), which could spell '440524' by chance.
      const text = JSON.stringify(audit.events.map((e) => ({ ...e, subjectAuditId: undefined })));
      expect(text).not.toContain('440524');
      // Values are ciphertext at rest.
      const cts = await t.store.db.kysely.selectFrom('vault_record').select('ct').execute();
      expect(cts.some((r) => Buffer.from(r.ct).includes('celsius'))).toBe(false);
    });

    it('refuses purposes without a basis (interim guard) and audits the refusal', async () => {
      const { subjectId } = await repo.ensureCitizen(ID_B);
      const id = await repo.put(subjectId, 'test-results', { result: 'negative' });
      const transit = vault.repository({
        actor: 'svc:metro',
        role: 'operator',
        purpose: 'public-transit',
      });
      audit.events.length = 0;
      await expect(transit.get(subjectId, id)).rejects.toBeInstanceOf(VaultRefusedError);
      expect(audit.events).toMatchObject([
        {
          kind: 'refusal',
          purpose: 'public-transit',
          outcome: 'ERR_VAULT_REFUSED',
          category: 'test-results',
        },
      ]);
      expect(() => vault.repository({ ...epidemic, purpose: 'marketing' })).toThrow(
        VaultPurposeUnknownError,
      );
      expect(() => vault.repository({ ...epidemic, purpose: 'purge' })).toThrow(
        VaultPurposeUnknownError,
      );
    });

    it('refuses business access to restricted data; maintenance still reaches it', async () => {
      const { subjectId } = await repo.ensureCitizen(ID_B);
      const id = await repo.put(subjectId, 'vaccination', { dose: 1 });
      for (const scope of ['vaccination', 'certification', '*']) {
        await vault.restrict(subjectId, scope, {
          actor: 'operator:alice',
          reason: 'retention:test',
        });
        audit.events.length = 0;
        await expect(repo.get(subjectId, id)).rejects.toMatchObject({
          code: 'ERR_VAULT_RESTRICTED',
        });
        await expect(repo.put(subjectId, 'vaccination', { dose: 2 })).rejects.toBeInstanceOf(
          VaultRestrictedError,
        );
        expect(audit.events.map((e) => e.outcome)).toEqual([
          'ERR_VAULT_RESTRICTED',
          'ERR_VAULT_RESTRICTED',
        ]);
        const maint = vault.systemRepository({ actor: 'job:backup-check', purpose: 'maintenance' });
        expect((await maint.get(subjectId, id)).value).toEqual({ dose: 1 });
        await vault.unrestrict(subjectId, scope, { actor: 'operator:alice' });
      }
      expect((await repo.get(subjectId, id)).value).toEqual({ dose: 1 });
    });

    it('detects moved, corrupted and truncated ciphertexts and missing keys with typed errors', async () => {
      const a = (await repo.ensureCitizen(ID_A)).subjectId;
      const b = (await repo.ensureCitizen(ID_B)).subjectId;
      const ra = await repo.put(a, 'temperature', { celsius: 36.5 });
      const rb = await repo.put(b, 'temperature', { celsius: 39.1 });
      const rb2 = await repo.put(b, 'symptoms', { list: ['cough'] });
      const db = t.store.db.kysely;
      const ct = async (id: string) =>
        Buffer.from(
          (
            await db
              .selectFrom('vault_record')
              .select('ct')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).ct,
        );
      const set = (id: string, v: Buffer) =>
        db.updateTable('vault_record').set({ ct: v }).where('id', '=', id).execute();
      const original = await ct(ra);
      // Moved from another subject, and from another category of the same subject.
      await set(ra, await ct(rb));
      await expect(repo.get(a, ra)).rejects.toBeInstanceOf(VaultIntegrityError);
      await set(rb, await ct(rb2));
      await expect(repo.get(b, rb)).rejects.toBeInstanceOf(VaultIntegrityError);
      // Corrupted and truncated.
      const flipped = Buffer.from(original);
      flipped[20] ^= 0x40;
      await set(ra, flipped);
      await expect(repo.get(a, ra)).rejects.toBeInstanceOf(VaultIntegrityError);
      await set(ra, original.subarray(0, 20));
      await expect(repo.get(a, ra)).rejects.toMatchObject({ code: 'ERR_VAULT_INTEGRITY' });
      await set(ra, original);
      expect((await repo.get(a, ra)).value).toEqual({ celsius: 36.5 });
      // A data key missing from the key store.
      await t.store.keyring.store
        .deleteFrom('dek')
        .where('subject_id', '=', a)
        .where('scope', '=', 'health')
        .execute();
      await expect(repo.get(a, ra)).rejects.toBeInstanceOf(VaultIntegrityError);
      // No partial write: an unusable value leaves nothing behind.
      const before = await db.selectFrom('vault_record').select('id').execute();
      await expect(repo.put(b, 'symptoms', { big: 'x'.repeat(1 << 20) })).rejects.toBeInstanceOf(
        VaultValueError,
      );
      await expect(repo.put(b, 'symptoms', { n: 1n })).rejects.toBeInstanceOf(VaultValueError);
      await expect(repo.put('nosuchsubject000000000', 'symptoms', {})).rejects.toBeInstanceOf(
        VaultSubjectUnknownError,
      );
      expect(await db.selectFrom('vault_record').select('id').execute()).toHaveLength(
        before.length,
      );
    });

    it('stores entries of one day in one ciphertext and de-duplicates by entry id', async () => {
      const s = (await repo.ensureSubscriber('13900139000')).subjectId;
      const ev = (id: string, h: number) => ({
        id,
        time: `2026-11-27T0${h}:00:00+08:00`,
        cell: '8a31aa0d0a0ffff',
      });
      const r1 = await repo.putEntries(s, 'location-events', '2026-11-27', [
        ev('e.1', 1),
        ev('e.2', 2),
      ]);
      expect(r1).toMatchObject({ added: 2, duplicates: 0 });
      const r2 = await repo.putEntries(s, 'location-events', '2026-11-27', [
        ev('e.2', 2),
        ev('e.3', 3),
        ev('e.3', 3),
      ]);
      expect(r2).toMatchObject({ added: 1, duplicates: 2 });
      await repo.putEntries(s, 'location-events', '2026-11-28', [ev('e.4', 4)]);
      const days = await repo.listEntries(s, 'location-events', {
        from: '2026-11-27',
        to: '2026-11-27',
      });
      expect(days).toHaveLength(1);
      expect(days[0].entries.map((e) => e.id)).toEqual(['e.1', 'e.2', 'e.3']);
      await repo.correctEntry(s, 'location-events', '2026-11-27', {
        ...ev('e.2', 2),
        cell: '8a31aa0d0a17fff',
      });
      const after = await repo.listEntries(s, 'location-events');
      expect(after.map((d) => d.day)).toEqual(['2026-11-27', '2026-11-28']);
      expect(after[0].entries.find((e) => e.id === 'e.2')?.cell).toBe('8a31aa0d0a17fff');
      await expect(
        repo.putEntries(s, 'location-events', '2026-11-27', [{ id: '13800138000' }]),
      ).rejects.toBeInstanceOf(VaultValueError);
      await expect(
        repo.putEntries(s, 'location-events', '2026-02-30', [{ id: 'x' }]),
      ).rejects.toBeInstanceOf(VaultValueError);
      // The index is plaintext-free: entry ids and a day bucket, nothing else.
      const row = await t.store.db.kysely
        .selectFrom('vault_record')
        .selectAll()
        .where('subject_id', '=', s)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.ct).includes('8a31aa0d0a0ffff')).toBe(false);
    });

    it('erases a group, a category inside a kept group, and a whole subject', async () => {
      const { subjectId } = await repo.ensureCitizen(ID_B);
      const health = await repo.put(subjectId, 'temperature', { celsius: 38.2 });
      const ident = await repo.put(subjectId, 'identity', { name: 'x' });
      const addr = await repo.put(subjectId, 'address', { region: '440524' });
      const tr = await repo.put(subjectId, 'test-results', { result: 'positive' });
      const vac = await repo.put(subjectId, 'vaccination', { dose: 3 });
      audit.events.length = 0;
      const r = await vault.erase(subjectId, { groups: ['health'] }, { actor: 'operator:alice' });
      expect(r).toMatchObject({ erased: 1, unknown: 0 });
      await expect(repo.get(subjectId, health)).rejects.toMatchObject({
        code: 'ERR_VAULT_RECORD_UNKNOWN',
      });
      expect((await repo.get(subjectId, ident)).value).toEqual({ name: 'x' });
      expect(audit.events.find((e) => e.kind === 'erasure')).toMatchObject({
        action: 'erase',
        outcome: 'ok',
      });
      // Partial: test results go; vaccination stays, re-encrypted under a fresh certification key.
      const oldVac = await t.store.db.kysely
        .selectFrom('vault_record')
        .selectAll()
        .where('id', '=', vac)
        .executeTakeFirstOrThrow();
      await vault.erase(subjectId, { categories: ['test-results'] }, { actor: 'operator:alice' });
      await expect(repo.get(subjectId, tr)).rejects.toMatchObject({
        code: 'ERR_VAULT_RECORD_UNKNOWN',
      });
      expect((await repo.get(subjectId, vac)).value).toEqual({ dose: 3 });
      const newVac = await t.store.db.kysely
        .selectFrom('vault_record')
        .selectAll()
        .where('id', '=', vac)
        .executeTakeFirstOrThrow();
      expect(newVac.gen).toBe(oldVac.gen + 1);
      // An older copy of the group (as in an old backup) no longer opens: its key is gone.
      await t.store.db.kysely
        .updateTable('vault_record')
        .set({ ct: oldVac.ct, gen: oldVac.gen })
        .where('id', '=', vac)
        .execute();
      await expect(repo.get(subjectId, vac)).rejects.toBeInstanceOf(VaultErasedError);
      // Whole subject: rows, keys and the audit-id link all go; a tombstone stays.
      await vault.erase(subjectId, {}, { actor: 'operator:alice' });
      await expect(repo.get(subjectId, addr)).rejects.toBeInstanceOf(VaultSubjectUnknownError);
      expect(await repo.findCitizen(ID_B)).toBeUndefined();
      expect(await vault.residue([subjectId])).toEqual({ keysPresent: 0, rowsRemaining: 0 });
      const again = await vault.erase(subjectId, {}, { actor: 'operator:alice' });
      expect(again).toMatchObject({ erased: 0, alreadyErased: 1 });
      const tombs = await t.store.keyring.tombstones();
      expect(tombs.filter((x) => x.subjectId === subjectId).map((x) => x.state)).toEqual([
        'done',
        'done',
        'done',
      ]);
    });
  });
}
