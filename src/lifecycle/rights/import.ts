// SPDX-License-Identifier: Apache-2.0
/**
 * @module Importing a portability package from another instance (PIPL art. 45 para. 3;
 * `healthcode import FILE --trust KEYFILE`): the package is verified against the trusted key and
 * checked in full before the vault is touched, so a forged, altered, malformed or replayed
 * package changes nothing. The person's subjects are found or created by ID number and phone
 * (blind index), their records and day bundles written under fresh data keys of this instance
 * (bundle entries de-duplicate by id), proven links re-made, and the package id recorded so a
 * second import is refused. Consents are not carried over: consent is given to a controller,
 * and this instance's own notice has not been shown yet (art. 14).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Clock } from '../../kernel/shared/clock.js';
import { normalisePhone, parseIdNumber, domainErrors } from '../../kernel/domain/index.js';
import type { Vault } from '../../personal/vault/index.js';
import { PackageInvalidError, PackageReplayedError } from './errors.js';
import { parseTrust, verifyPackage, type PackagePayload } from './package.js';
import * as repo from './repository.js';

export interface ImportDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly vault: Vault;
  readonly actor: string;
}

export interface ImportReport {
  readonly packageId: string;
  readonly issuer: string;
  readonly subjects: number;
  readonly created: number;
  readonly records: number;
  readonly entries: number;
  readonly links: number;
}

interface Key {
  readonly kind: 'citizen' | 'subscriber';
  readonly value: string;
}

/** The value that finds the subject again: the ID number or the phone. */
function keyOf(s: PackagePayload['subjects'][number], now: Date): Key {
  const category = s.kind === 'citizen' ? 'identity' : 'contact';
  const rec = s.records.find((r) => r.category === category);
  const v = rec?.value as { idNumber?: unknown; phone?: unknown } | undefined;
  try {
    if (s.kind === 'citizen' && typeof v?.idNumber === 'string') {
      return { kind: 'citizen', value: parseIdNumber(v.idNumber, now).normalised };
    }
    if (s.kind === 'subscriber' && typeof v?.phone === 'string') {
      return { kind: 'subscriber', value: normalisePhone(v.phone) };
    }
  } catch (err) {
    // An invalid number falls through to the typed error below, without echoing the value.
    if (!(err instanceof domainErrors.IdNumberError || err instanceof domainErrors.PhoneError)) {
      throw err;
    }
  }
  throw new PackageInvalidError(
    `a ${s.kind} in the package has no valid ${s.kind === 'citizen' ? 'ID number' : 'phone'}`,
  );
}

/** Verifies and imports a package; nothing changes unless every check passes. */
export async function importPackage(
  deps: ImportDeps,
  packageText: string,
  trustText: string,
): Promise<ImportReport> {
  const trust = parseTrust(trustText);
  const payload = verifyPackage(packageText, trust);
  if ((await repo.selectImport(deps.db, payload.packageId)) !== undefined) {
    throw new PackageReplayedError('this package was imported already');
  }
  const now = deps.clock.now();
  const keys = payload.subjects.map((s) => keyOf(s, now));
  const sys = deps.vault.systemRepository({ actor: deps.actor, purpose: 'maintenance' });
  const ids = new Map<number, string>();
  let created = 0;
  let records = 0;
  let entries = 0;
  for (const [i, s] of payload.subjects.entries()) {
    const k = keys[i];
    const r =
      k.kind === 'citizen' ? await sys.ensureCitizen(k.value) : await sys.ensureSubscriber(k.value);
    ids.set(s.ref, r.subjectId);
    created += r.created ? 1 : 0;
    for (const rec of s.records) {
      await sys.put(r.subjectId, rec.category, rec.value);
      records++;
    }
    for (const b of s.bundles) {
      const out = await sys.putEntries(r.subjectId, b.category, b.day, b.entries);
      entries += out.added;
    }
  }
  let links = 0;
  for (const s of payload.subjects) {
    if (s.kind !== 'citizen') {
      continue;
    }
    for (const l of s.links) {
      const other = payload.subjects.find((x) => x.ref === l);
      const [c, sub] = [ids.get(s.ref)!, ids.get(l)!];
      if (other?.kind === 'subscriber' && !(await sys.links(c)).includes(sub)) {
        await sys.link(c, sub);
        links++;
      }
    }
  }
  await repo.insertImport(deps.db, {
    package_id: payload.packageId,
    key_id: trust.kid,
    issued_at: Date.parse(payload.issuedAt),
    imported_at: now.getTime(),
    subjects: payload.subjects.length,
  });
  return {
    packageId: payload.packageId,
    issuer: payload.issuer.name,
    subjects: payload.subjects.length,
    created,
    records,
    entries,
    links,
  };
}
