// SPDX-License-Identifier: Apache-2.0
/**
 * @module Key backups (DESIGN.md §3, DOMAIN.md §6 req. 15). A key backup holds the data keys and
 * instance keys exactly as the key store holds them — wrapped by the active KEK — plus the
 * tombstones, but never a KEK. It can therefore be restored only while that KEK version lives:
 * the next rotation destroys it, and with it every copy of every key in the backup. An erased
 * subject's key thus survives in key backups for at most one rotation period
 * (`keys status` → rotationPeriodDays; docs/key-compromise-runbook.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fromBase64Url, toBase64Url } from '../../kernel/crypto/index.js';
import { KeyBackupError } from './errors.js';
import type { Keyring } from './keyring.js';
import * as repo from './repository.js';

export const KEY_BACKUP_FORMAT = 'healthcode-key-backup/1';

interface KeyBackupFile {
  format: typeof KEY_BACKUP_FORMAT;
  kcv: string;
  kekVersion: number;
  createdAt: string;
  /** [subjectId, scope, gen, wrapped] of every live data key. */
  deks: Array<[string, string, number, string]>;
  instanceKeys: Array<[string, string]>;
  tombstones: Array<{
    id: string;
    subjectId: string;
    scopes: string;
    categories: string;
    at: number;
  }>;
}

/** Writes a key backup (mode 0600). Refused while a rotation is in progress. */
export async function createKeyBackup(
  keyring: Keyring,
  file: string,
): Promise<{ kekVersion: number; dataKeys: number; tombstones: number }> {
  const ks = keyring.store;
  const keks = await repo.listKeks(ks);
  const active = keks.find((k) => k.state === 'active');
  if (active === undefined || keks.some((k) => k.state === 'retiring')) {
    throw new KeyBackupError('a key rotation is in progress; finish it ("keys rotate") first');
  }
  const deks = await ks
    .selectFrom('dek')
    .select(['subject_id', 'scope', 'gen', 'kek_version', 'wrapped'])
    .where('wrapped', 'is not', null)
    .execute();
  const body: KeyBackupFile = {
    format: KEY_BACKUP_FORMAT,
    kcv: (await repo.getMeta(ks, 'kcv')) ?? '',
    kekVersion: active.version,
    createdAt: keyring.clock.now().toISOString(),
    deks: deks.map((d) => {
      if (d.kek_version !== active.version) {
        throw new KeyBackupError('a data key is wrapped by a non-active KEK; run "keys rotate"');
      }
      return [d.subject_id, d.scope, d.gen, toBase64Url(d.wrapped!)];
    }),
    instanceKeys: (await repo.listInstanceKeys(ks)).map((k) => [k.name, toBase64Url(k.wrapped)]),
    tombstones: (await repo.listTombstones(ks)).map((t) => ({
      id: t.id,
      subjectId: t.subject_id,
      scopes: t.scopes,
      categories: t.categories,
      at: Number(t.at),
    })),
  };
  writeFileSync(file, JSON.stringify(body) + '\n', { mode: 0o600, flag: 'wx' });
  return { kekVersion: active.version, dataKeys: deks.length, tombstones: body.tombstones.length };
}

/**
 * Restores the data keys of a key backup into slots the key store has lost (a slot the store
 * still knows, even as a destroyed husk, is never overwritten), skipping every subject scope the
 * live store or the backup has a tombstone for. Fails when the backup's KEK was destroyed.
 */
export async function restoreKeyBackup(
  keyring: Keyring,
  file: string,
): Promise<{ restored: number; present: number; tombstoned: number }> {
  let body: KeyBackupFile;
  try {
    body = JSON.parse(readFileSync(file, 'utf8')) as KeyBackupFile;
  } catch (cause) {
    throw new KeyBackupError('the key backup is not valid JSON', { cause });
  }
  if (body.format !== KEY_BACKUP_FORMAT || !Array.isArray(body.deks)) {
    throw new KeyBackupError('not a healthcode key backup');
  }
  return keyring.write(async (ks) => {
    if ((await repo.getMeta(ks, 'kcv')) !== body.kcv) {
      throw new KeyBackupError('the key backup belongs to another instance');
    }
    const kek = await repo.kekByVersion(ks, body.kekVersion);
    if (kek === undefined || kek.wrapped === null) {
      throw new KeyBackupError(
        `the key backup was made under KEK version ${body.kekVersion}, which a rotation destroyed: it can never be restored (by design)`,
      );
    }
    const erased = new Set<string>();
    for (const t of [...(await repo.listTombstones(ks)), ...body.tombstones.map(toRow)]) {
      for (const scope of t.scopes.split(',')) {
        erased.add(`${t.subject_id}\u0000${scope}`);
      }
    }
    let restored = 0;
    let present = 0;
    let tombstoned = 0;
    const now = keyring.clock.now().getTime();
    for (const [subjectId, scope, gen, wrapped] of body.deks) {
      if (erased.has(`${subjectId}\u0000${scope}`) || erased.has(`${subjectId}\u0000subject`)) {
        tombstoned++;
        continue;
      }
      const existing = await ks
        .selectFrom('dek')
        .select('gen')
        .where('subject_id', '=', subjectId)
        .where('scope', '=', scope)
        .where('gen', '=', gen)
        .executeTakeFirst();
      if (existing !== undefined) {
        present++;
        continue;
      }
      await repo.insertDeks(ks, [
        {
          subject_id: subjectId,
          scope,
          gen,
          kek_version: body.kekVersion,
          wrapped: fromBase64Url(wrapped, 'wrapped'),
          created_at: now,
          destroyed_at: null,
        },
      ]);
      restored++;
    }
    return { restored, present, tombstoned };
  });
}

function toRow(t: KeyBackupFile['tombstones'][number]) {
  return { subject_id: t.subjectId, scopes: t.scopes };
}
