// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault's {@link PopulationSink}: how a synthetic city (src/sim) is seeded as
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
import type { Store } from '../app/store.js';
import type { AuditEvent, AuditPort } from '../shared/audit-port.js';
import type {
  PopulationSink,
  SyntheticRecord,
  SyntheticResident,
  syntheticConsents,
} from '../sim/index.js';
import type { ConsentSeeder, SeedConsentRow } from '../consent/seeding.js';
import {
  normalisePhone,
  parseIdNumber,
  toDivisionRecord,
  type DataCategory,
} from '../domain/index.js';
import { zeroize } from '../crypto/index.js';
import type { DataKey, DataKeyRequest } from '../keys/index.js';
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

export interface VaultSinkOptions {
  /** Who writes (default and usual: `system:seed`). */
  readonly actor: string;
  /** The audit log; default: the instance's (src/audit). */
  readonly audit?: AuditPort;
  readonly guard?: Guard;
  /**
   * Seed the residents' synthetic consents (src/sim `syntheticConsents`) into the consent ledger,
   * in the same transaction as the subjects (default false: `seed --consents`, the demo).
   */
  readonly consents?: boolean;
}

/** The consent side of seeding, loaded on first write. */
interface ConsentSeeding {
  readonly seeder: ConsentSeeder;
  readonly consentsOf: typeof syntheticConsents;
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
 * Creates the seeding sink. `audit` defaults to the instance's audit log.
 *
 * @example
 * const sink = await createVaultSink(store, { actor: 'system:seed' });
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
  #consents: ConsentSeeding | undefined;
  /** Set when the sink opened the instance's audit log itself: it then signs a checkpoint. */
  #finishAudit: (() => Promise<void>) | undefined;
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
      let audit = this.#options.audit;
      if (audit === undefined) {
        const own = await instanceAudit(this.#store);
        audit = own.log;
        this.#finishAudit = () => own.finish();
      }
      const core = new VaultCore(this.#store, {
        audit,
        ...(this.#options.guard === undefined ? {} : { guard: this.#options.guard }),
      });
      if (this.#options.consents === true) {
        // Prepared outside any transaction: it may publish the first notices.
        const { consentSeeder } = await import('../consent/seeding.js');
        const { syntheticConsents } = await import('../sim/index.js');
        this.#consents = {
          seeder: await consentSeeder(this.#store, () => core.newId()),
          consentsOf: syntheticConsents,
        };
      }
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
        await this.#consents!.seeder.insert(trx, consents);
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
    const seeding = this.#consents;
    if (seeding === undefined) {
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
      for (const consent of seeding.consentsOf(r, now)) {
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

  async finish(): Promise<{ subjects: number; records: number }> {
    this.#finished = true;
    await this.#finishAudit?.();
    return { subjects: this.#subjects, records: this.#records };
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

/** The instance's audit log (src/audit), ready to append, and its checkpoint signer. */
async function instanceAudit(store: Store): Promise<{ log: AuditPort; finish(): Promise<void> }> {
  const { createAuditLog, signCheckpointIfGrown } = await import('../audit/index.js');
  const deps = { keyWrapper: store.keyring.keyWrapper() };
  const log = createAuditLog(store, deps);
  await log.init();
  return {
    log,
    finish: async () => {
      await signCheckpointIfGrown(store, deps);
    },
  };
}
