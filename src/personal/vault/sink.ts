// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault's {@link PopulationSink}: how a synthetic city (src/foundation/sim) is seeded as
 * encrypted personal data, under purpose `epidemic-control` as actor `system:seed`. Residents
 * become citizen subjects (found by ID number) and their SIMs subscriber subjects (found by
 * phone; not linked to the citizen — only the person can prove both); location events go to the
 * subscriber, one ciphertext per phone and day; declarations, test results and vaccinations go
 * to the citizen (GB/T 38962 health and certification groups).
 *
 * Throughput (anchors/baselines.md): one key-store transaction and one data transaction per
 * batch, fresh data keys drawn in one CSPRNG call and wrapped in a loop, nonces drawn in bulk,
 * prepared statements on SQLite, one ciphertext per day of events, and one audit event per
 * subject (not per record). A batch is acknowledged when `write` resolves: both transactions have
 * committed, so a crash afterwards loses nothing of it, and a crash before leaves at most unused
 * data keys (harmless) and no rows.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Store } from '../../platform/runtime/store.js';
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';
import {
  syntheticConsents,
  type PopulationSink,
  type SyntheticConsent,
  type SyntheticRecord,
  type SyntheticResident,
} from '../../foundation/sim/index.js';
import {
  normalisePhone,
  parseIdNumber,
  toDivisionRecord,
  type DataCategory,
} from '../../kernel/domain/index.js';
import { zeroize } from '../../kernel/crypto/index.js';
import type { DataKey, DataKeyRequest } from '../../platform/keys/index.js';
import { isUnder14, newAuditId, VaultCore } from './core.js';
import {
  blindIndex,
  dayToBucket,
  encodeValue,
  groupOf,
  SUBJECT_SCOPE,
  type SubjectKind,
} from './model.js';
import type { VaultRecordTable, VaultSubjectTable } from './repository.js';
import { insertRows, subjectsByLookups } from './bulk.js';
import type { Guard } from './guard.js';

/** One resident's synthetic consent, with the subjects the vault created for them. */
export interface SeedConsentRow {
  readonly subjectId: string;
  /** The guardian's subject id, for an under-14's consent (PIPL art. 31). */
  readonly guardianId?: string;
  readonly consent: SyntheticConsent;
}

/** Writes consent rows in the vault's own data transaction (the consent ledger implements it). */
export interface ConsentRowWriter {
  insert(trx: Kysely<Database>, rows: readonly SeedConsentRow[]): Promise<unknown>;
}

/**
 * The consent side of seeding, a port the composition root implements over the consent ledger.
 * `prepare` runs outside any transaction (it may publish the first notices); `newId` draws the
 * vault's ids.
 */
export interface ConsentSeedingPort {
  prepare(newId: () => string): Promise<ConsentRowWriter>;
}

export interface VaultSinkOptions {
  /** Who writes (default and usual: `system:seed`). */
  readonly actor: string;
  /** Where the seed's audit events go (the root passes the instance's audit log). */
  readonly audit: AuditPort;
  readonly guard?: Guard;
  /**
   * Seed the residents' synthetic consents (src/foundation/sim `syntheticConsents`) through this
   * port, in the same transaction as the subjects (absent: no consents; `seed --consents`, the
   * demo pass it).
   */
  readonly consents?: ConsentSeedingPort;
}

/** The purpose seeded data is written under (PIPL art. 13(4)). */
export const SEED_PURPOSE = 'epidemic-control';

interface PendingSubject {
  readonly kind: SubjectKind;
  readonly lookup: Buffer;
  readonly normalised: string;
  subjectId: string;
  auditId: string;
  created: boolean;
  gen: number;
  readonly birthDate?: string;
  /** The guardian's seq (an earlier resident, maybe of this very batch), resolved at commit. */
  readonly guardianSeq?: number;
  guardian?: string;
  records: number;
}

interface PendingRecord {
  readonly subject: PendingSubject;
  readonly category: DataCategory;
  readonly bucket: number | null;
  readonly entries: string | null;
  /** The value, or a thunk evaluated once subject ids are known (the guardian's id). */
  readonly value: unknown;
  readonly lazy?: boolean;
}

/**
 * Creates the seeding sink (src/edges/app/seed wires it to the instance's audit log).
 *
 * @example
 * const sink = createVaultSink(store, { actor: 'system:seed', audit });
 * for (const batch of generatePopulation(options)) await sink.write(batch);
 * await sink.finish();
 */
export function createVaultSink(store: Store, options: VaultSinkOptions): PopulationSink {
  return new VaultSink(store, options);
}

class VaultSink implements PopulationSink {
  readonly #store: Store;
  readonly #options: VaultSinkOptions;
  #core: VaultCore | undefined;
  #consents: ConsentRowWriter | undefined;
  /** seq → citizen subject id, for children's guardians (a smaller seq, seen earlier). */
  readonly #bySeq = new Map<number, string>();
  #subjects = 0;
  #records = 0;
  #finished = false;

  constructor(store: Store, options: VaultSinkOptions) {
    this.#store = store;
    this.#options = options;
  }

  async #ready(): Promise<VaultCore> {
    if (this.#core === undefined) {
      const core = new VaultCore(this.#store, {
        audit: this.#options.audit,
        ...(this.#options.guard === undefined ? {} : { guard: this.#options.guard }),
      });
      // Prepared outside any transaction: it may publish the first notices.
      this.#consents = await this.#options.consents?.prepare(() => core.newId());
      this.#core = core;
    }
    return this.#core;
  }

  async write(batch: readonly SyntheticRecord[]): Promise<void> {
    if (this.#finished) {
      throw new TypeError('write after finish');
    }
    const core = await this.#ready();
    const now = core.now();
    const lookupKey = await core.keyring.instanceKey('lookup');
    const subjects = new Map<string, PendingSubject>(); // by lookup (latin1)
    const citizens = new Map<number, PendingSubject>();
    const phones = new Map<string, PendingSubject>();
    const records: PendingRecord[] = [];
    const residents: SyntheticResident[] = [];
    const subject = (
      kind: SubjectKind,
      normalised: string,
      facts: Partial<PendingSubject> = {},
    ) => {
      const lookup = blindIndex(lookupKey, kind, normalised);
      const k = lookup.toString('latin1');
      let s = subjects.get(k);
      if (s === undefined) {
        s = {
          kind,
          lookup,
          normalised,
          subjectId: '',
          auditId: '',
          created: false,
          gen: 1,
          records: 0,
          ...facts,
        };
        subjects.set(k, s);
      }
      return s;
    };
    const add = (
      s: PendingSubject,
      category: DataCategory,
      value: unknown,
      day?: string,
      ids?: string,
    ) => {
      s.records++;
      records.push({
        subject: s,
        category,
        bucket: day === undefined ? null : dayToBucket(day),
        entries: ids ?? null,
        value,
        lazy: typeof value === 'function',
      });
    };
    for (const r of batch) {
      switch (r.type) {
        case 'resident': {
          residents.push(r.resident);
          const c = residentSubject(r.resident, now, subject);
          citizens.set(r.resident.seq, c);
          residentRecords(r.resident, c, add);
          for (const sim of [
            { phone: r.resident.phone, carrier: r.resident.carrier },
            ...(r.resident.secondPhone ? [r.resident.secondPhone] : []),
          ]) {
            const p = normalisePhone(sim.phone);
            const s = subject('subscriber', p);
            phones.set(p, s);
            add(s, 'contact', { phone: p, carrier: sim.carrier });
          }
          break;
        }
        case 'location-events': {
          const p = normalisePhone(r.phone);
          const s = phones.get(p) ?? subject('subscriber', p);
          phones.set(p, s);
          add(s, 'location-events', r.events, r.day, r.events.map((e) => e.id).join('\n'));
          break;
        }
        case 'declaration': {
          const c = citizenOf(citizens, r.seq);
          add(c, 'temperature', { celsius: r.temperature, at: r.time });
          add(c, 'symptoms', { symptoms: r.symptoms, at: r.time });
          break;
        }
        case 'test-result': {
          add(citizenOf(citizens, r.seq), 'test-results', {
            kind: r.kind,
            result: r.result,
            at: r.time,
          });
          break;
        }
        case 'vaccination': {
          add(citizenOf(citizens, r.seq), 'vaccination', {
            date: r.date,
            vaccine: r.vaccine,
            dose: r.dose,
          });
          break;
        }
      }
    }
    await this.#commit(core, [...subjects.values()], records, now, citizens, residents);
    for (const [seq, c] of citizens) {
      this.#bySeq.set(seq, c.subjectId);
    }
  }

  async #commit(
    core: VaultCore,
    subjects: PendingSubject[],
    records: PendingRecord[],
    now: Date,
    citizens: ReadonlyMap<number, PendingSubject>,
    residents: readonly SyntheticResident[],
  ): Promise<void> {
    // Who exists already (a second seed into the same dir): reuse them, with their keys.
    const existing = new Map(
      (
        await subjectsByLookups(
          core.db,
          subjects.map((s) => s.lookup),
        )
      ).map((r) => [r.lookup.toString('latin1'), r]),
    );
    for (const s of subjects) {
      const row = existing.get(s.lookup.toString('latin1'));
      if (row === undefined) {
        s.subjectId = core.newId();
        s.auditId = newAuditId(core.ids);
        s.created = true;
      } else {
        s.subjectId = row.id;
        s.gen = row.gen;
        s.auditId = (await core.meta(core.db, row)).auditId;
      }
    }
    for (const s of subjects) {
      if (s.guardianSeq !== undefined) {
        const g = citizens.get(s.guardianSeq)?.subjectId ?? this.#bySeq.get(s.guardianSeq);
        if (g !== undefined) {
          s.guardian = g;
        }
      }
    }
    // Data keys: fresh ones in bulk for new subjects, the current ones for existing subjects.
    const scopes = new Map<PendingSubject, Set<string>>();
    for (const s of subjects) {
      scopes.set(s, new Set(s.created ? [SUBJECT_SCOPE] : []));
    }
    for (const r of records) {
      scopes.get(r.subject)!.add(groupOf(r.category));
    }
    const fresh: DataKeyRequest[] = [];
    const known: DataKeyRequest[] = [];
    for (const [s, set] of scopes) {
      for (const scope of set) {
        (s.created ? fresh : known).push({ subjectId: s.subjectId, scope });
      }
    }
    const keys = new Map<string, DataKey>();
    for (const k of [
      ...(await core.keyring.createFreshDataKeys(fresh)),
      ...(await core.keyring.ensureDataKeys(known)),
    ]) {
      keys.set(`${k.subjectId}\u0000${k.scope}`, k);
    }
    const key = (s: PendingSubject, scope: string) => keys.get(`${s.subjectId}\u0000${scope}`)!;
    const at = now.getTime();
    const subjectRows: VaultSubjectTable[] = subjects
      .filter((s) => s.created)
      .map((s) => ({
        id: s.subjectId,
        kind: s.kind,
        lookup: s.lookup,
        gen: 1,
        meta: core.sealMeta(key(s, SUBJECT_SCOPE), s.kind, {
          auditId: s.auditId,
          ...(s.birthDate === undefined ? {} : { birthDate: s.birthDate }),
          ...(s.guardian === undefined ? {} : { guardian: s.guardian }),
        }),
        created_at: at,
      }));
    const recordRows: VaultRecordTable[] = records.map((r) => {
      const group = groupOf(r.category);
      const k = key(r.subject, group);
      const id = core.newId();
      return {
        id,
        subject_id: r.subject.subjectId,
        grp: group,
        category: r.category,
        bucket: r.bucket,
        gen: k.gen,
        entries: r.entries,
        ct: core.sealRecord(
          k,
          r.category,
          id,
          r.bucket,
          r.entries,
          encodeValue(r.lazy === true ? (r.value as () => unknown)() : r.value),
        ),
        created_at: at,
        updated_at: at,
      };
    });
    for (const k of keys.values()) {
      zeroize(k.key);
    }
    const events: AuditEvent[] = subjects.map((s) => ({
      kind: 'write',
      actor: this.#options.actor,
      purpose: SEED_PURPOSE,
      subjectAuditId: s.auditId,
      action: s.created ? 'seed' : 'seed-append',
      outcome: 'ok',
      at: now,
      details: { records: s.records, subjectKind: s.kind },
    }));
    const consents = this.#consentRows(residents, citizens, now);
    await core.dataTx(async (trx) => {
      await insertRows(core.store.db, trx, subjectRows, recordRows);
      if (consents.length > 0) {
        await this.#consents!.insert(trx, consents);
      }
      await core.emit(trx, events);
    });
    this.#subjects += subjectRows.length;
    this.#records += recordRows.length;
  }

  /** The consents of the residents created by this batch (guardians' subjects resolved). */
  #consentRows(
    residents: readonly SyntheticResident[],
    citizens: ReadonlyMap<number, PendingSubject>,
    now: Date,
  ): SeedConsentRow[] {
    if (this.#consents === undefined) {
      return [];
    }
    const rows: SeedConsentRow[] = [];
    for (const r of residents) {
      const c = citizens.get(r.seq);
      if (c === undefined || !c.created) {
        continue;
      }
      // A child is whom the ID number's birth date makes one, whatever the generator marked.
      const child = isUnder14(c.birthDate, now);
      for (const consent of syntheticConsents(r, now)) {
        const byGuardian = consent.guardianSeq !== undefined && c.guardian !== undefined;
        if ((child || consent.guardianSeq !== undefined) && !byGuardian) {
          continue; // a child's consent needs its guardian (PIPL art. 31)
        }
        rows.push({
          subjectId: c.subjectId,
          ...(consent.guardianSeq === undefined ? {} : { guardianId: c.guardian! }),
          consent,
        });
      }
    }
    return rows;
  }

  finish(): Promise<{ subjects: number; records: number }> {
    this.#finished = true;
    return Promise.resolve({ subjects: this.#subjects, records: this.#records });
  }
}

function residentSubject(
  r: SyntheticResident,
  now: Date,
  subject: (
    kind: SubjectKind,
    normalised: string,
    facts?: Partial<PendingSubject>,
  ) => PendingSubject,
): PendingSubject {
  const id = parseIdNumber(r.idNumber, now);
  return subject('citizen', id.normalised, {
    birthDate: id.birthDate,
    ...(r.guardianSeq === undefined ? {} : { guardianSeq: r.guardianSeq }),
  });
}

function residentRecords(
  r: SyntheticResident,
  c: PendingSubject,
  add: (s: PendingSubject, category: DataCategory, value: unknown) => void,
): void {
  add(c, 'identity', () => ({
    name: r.name,
    idNumber: r.idNumber,
    sex: r.sex,
    birthDate: r.birthDate,
    nationality: r.nationality,
    documentType: 'resident-id-card',
    ...(c.guardian === undefined ? {} : { guardian: c.guardian }),
  }));
  add(c, 'contact', {
    phone: normalisePhone(r.phone),
    carrier: r.carrier,
    ...(r.secondPhone
      ? { secondPhone: normalisePhone(r.secondPhone.phone), secondCarrier: r.secondPhone.carrier }
      : {}),
  });
  // The code goes with the pinned dataset it was checked against (DOMAIN.md §6 req. 4): a later
  // dataset may rename or drop a county, and the record must still say which list it came from.
  const division = toDivisionRecord(r.householdRegion);
  add(c, 'address', {
    householdRegion: division.code,
    regionDataset: division.dataset,
    regionKnown: division.known,
    address: r.address,
    homeCell: r.homeCell,
    workCell: r.workCell,
  });
  if (r.medicalHistory.length > 0) {
    add(c, 'medical-history', { conditions: r.medicalHistory });
  }
}

function citizenOf(citizens: ReadonlyMap<number, PendingSubject>, seq: number): PendingSubject {
  const c = citizens.get(seq);
  if (c === undefined) {
    throw new RangeError(
      'a record came before its resident (records must follow their resident in the same batch)',
    );
  }
  return c;
}
