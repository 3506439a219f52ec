// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault and key store as disposal's {@link DisposalTarget} (DESIGN.md §3; PIPL art. 47):
 * enumerates subjects with their record counts; disposes of a batch by withdrawing outbox
 * messages addressed to those subjects, restricting retained categories (art. 47 para. 2),
 * crypto-erasing through the vault — whole groups when the subject keeps nothing of them, single
 * categories otherwise (the vault re-keys the rest) — and removing rows elsewhere that point at
 * wholly erased subjects; checks residue; scrubs freed pages once at the end.
 */
import { sql } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import {
  categoryInfo,
  normalisePhone,
  type DataCategory,
  type DataGroup,
  domainErrors,
} from '../../kernel/domain/index.js';
import { FileOutbox } from '../../foundation/outbox/index.js';
import type { AuditPort } from '../../platform/runtime/audit-port.js';
import {
  openVault,
  type EraseRequest,
  type Vault,
  type VaultRecord,
  type VaultRepository,
  vaultErrors,
} from '../../personal/vault/index.js';
import { ageBand, generaliseRegion, isoWeek, type GeneralisedRecord } from './anonymise.js';
import type { DisposalTarget, DisposeItem, ResidueItem } from './ports.js';
import { deleteStoreRows } from './service-stores.js';
import { sweepSubjectRows } from './subject-rows.js';

export const VAULT_STORE = 'db:vault_record';

/** Groups the subject loses entirely (held categories of the group all erased). */
export function wholeGroups(
  held: readonly DataCategory[],
  erased: readonly DataCategory[],
): DataGroup[] {
  const gone = new Set(erased);
  const groups = new Set(erased.map((c) => categoryInfo(c).group));
  return [...groups]
    .filter((g) => held.filter((c) => categoryInfo(c).group === g).every((c) => gone.has(c)))
    .sort();
}

/** The vault erase request for one decision. */
export function eraseRequest(it: DisposeItem): EraseRequest | undefined {
  const d = it.decision;
  if (d.wholeSubject) {
    return { subjectId: it.subjectId };
  }
  if (d.erase.length === 0) {
    return undefined;
  }
  const held = it.held ?? d.erase;
  const groups = wholeGroups(held, d.erase);
  const categories = d.erase.filter((c) => !groups.includes(categoryInfo(c).group));
  return {
    subjectId: it.subjectId,
    ...(groups.length > 0 ? { groups } : {}),
    ...(categories.length > 0 ? { categories } : {}),
  };
}

/** A phone in its normal form; an address that is no phone number stays as it is. */
function normalised(phone: string): string {
  try {
    return normalisePhone(phone);
  } catch (err) {
    if (err instanceof domainErrors.PhoneError) {
      return phone;
    }
    throw err;
  }
}

/**
 * A subject's records of `categories`; none when the subject is already gone (a resumed batch
 * whose erasure committed before the crash) or its data key of those categories is destroyed
 * (an erasure already under way). Any other failure fails the step.
 */
async function recordsOrNone(
  sys: VaultRepository,
  subjectId: string,
  categories: VaultRecord['category'][],
): Promise<VaultRecord[]> {
  try {
    return await sys.list(subjectId, { categories });
  } catch (err) {
    if (
      err instanceof vaultErrors.VaultSubjectUnknownError ||
      err instanceof vaultErrors.VaultErasedError
    ) {
      return [];
    }
    throw err;
  }
}

/** The subscriber subject of an outbox address; none when the address is no phone number. */
async function subscriberOf(sys: VaultRepository, to: string): Promise<string | undefined> {
  try {
    return await sys.findSubscriber(to);
  } catch (err) {
    if (err instanceof domainErrors.PhoneError) {
      return undefined;
    }
    throw err;
  }
}

async function purgeOutbox(
  store: Store,
  vault: Vault,
  subjects: ReadonlySet<string>,
  actor: string,
): Promise<number> {
  const outbox = new FileOutbox(store.paths.outbox);
  // A missing outbox folder lists as empty; an unreadable one fails the step (and the run).
  const messages = await outbox.list();
  if (messages.length === 0) {
    return 0;
  }
  const sys = vault.systemRepository({ actor, purpose: 'purge' });
  // Citizens are reached at the phones in their contact records; subscribers by their own number.
  const phones = new Set<string>();
  for (const id of subjects) {
    const contact = await recordsOrNone(sys, id, ['contact']);
    for (const r of contact) {
      const v = r.value as { phone?: unknown; secondPhone?: unknown };
      for (const p of [v.phone, v.secondPhone]) {
        if (typeof p === 'string') {
          phones.add(normalised(p));
        }
      }
    }
  }
  let n = 0;
  for (const m of messages) {
    const sub = await subscriberOf(sys, m.to);
    if (phones.has(normalised(m.to)) || (sub !== undefined && subjects.has(sub))) {
      await outbox.withdraw(m.id);
      n++;
    }
  }
  return n;
}

function dayOf(value: unknown): string | undefined {
  const v = value as { at?: unknown; date?: unknown; time?: unknown };
  const t = [v.at, v.date, v.time].find(
    (x): x is string => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}/.test(x),
  );
  return t?.slice(0, 10);
}

/** A coarse value per category: never a free-text field, never an identifier. */
export function coarseValue(category: DataCategory, value: unknown): string {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const text = (x: unknown, fallback: string) =>
    typeof x === 'string' || typeof x === 'number' ? String(x) : fallback;
  switch (category) {
    case 'test-results':
      return `${text(v.kind, 'test')}:${text(v.result, 'unknown')}`;
    case 'temperature':
      return typeof v.celsius === 'number' && v.celsius >= 37.3 ? 'fever' : 'normal';
    case 'symptoms':
      return Array.isArray(v.symptoms) && v.symptoms.length > 0 ? 'symptomatic' : 'none';
    case 'vaccination':
      return `dose-${text(v.dose, '?')}`;
    case 'colour-decisions':
      return text(v.colour, 'unknown');
    case 'identity':
    case 'contact':
    case 'address':
    case 'medical-history':
    case 'location-events':
    case 'itinerary':
      return 'record';
  }
}

/** The vault of an instance as a disposal target. */
export function vaultTarget(
  store: Store,
  audit: AuditPort,
  actor = 'system:disposal',
): DisposalTarget {
  const vault = openVault(store, { audit });
  return {
    stores: [VAULT_STORE],
    async subjects(after, limit) {
      const page = await vault.subjects(after, limit);
      return page.map((h) => ({
        subjectId: h.subjectId,
        kind: h.kind,
        records: h.records.map((r) => ({
          category: r.category as DataCategory,
          store: VAULT_STORE,
          records: r.records,
        })),
      }));
    },
    async dispose(items) {
      await purgeOutbox(store, vault, new Set(items.map((i) => i.subjectId)), actor);
      for (const it of items) {
        for (const c of it.decision.restrict) {
          await vault.restrict(it.subjectId, c, { actor, reason: 'disposal:exemption' });
        }
      }
      const requests = items.map(eraseRequest).filter((r): r is EraseRequest => r !== undefined);
      if (requests.length > 0) {
        await vault.eraseMany(requests, { actor, batchSize: 1000, scrub: false });
      }
      await sweepSubjectRows(
        store.db.kysely,
        items.filter((i) => i.decision.wholeSubject).map((i) => i.subjectId),
      );
      for (const s of [...new Set(items.flatMap((i) => i.stores ?? []))]) {
        await deleteStoreRows(
          store.db.kysely,
          [s],
          items.filter((i) => i.stores?.includes(s) === true).map((i) => i.subjectId),
        );
      }
    },
    async residue(items: readonly ResidueItem[]) {
      let keysPresent = 0;
      let rowsRemaining = 0;
      const whole = items.filter((i) => i.whole).map((i) => i.subjectId);
      if (whole.length > 0) {
        const r = await vault.residue(whole);
        keysPresent += r.keysPresent;
        rowsRemaining += r.rowsRemaining;
      }
      for (const it of items.filter((i) => !i.whole && i.erased.length > 0)) {
        const groups = wholeGroups(it.held ?? it.erased, it.erased);
        if (groups.length > 0) {
          keysPresent += (await vault.residue([it.subjectId], groups)).keysPresent;
        }
        const rows = await sql<{ n: number | string }>`select count(*) as n from vault_record
          where subject_id = ${it.subjectId} and category in (${sql.join([...it.erased])})`.execute(
          store.db.kysely,
        );
        rowsRemaining += Number(rows.rows[0]?.n ?? 0);
      }
      return { keysPresent, rowsRemaining };
    },
    async scrub() {
      await vault.scrub();
    },
    async generalise(subjectIds, category) {
      const sys = vault.systemRepository({ actor, purpose: 'purge' });
      const out: GeneralisedRecord[] = [];
      for (const id of subjectIds) {
        const base = await sys.list(id, { categories: ['identity', 'address'] });
        const identity = base.find((r) => r.category === 'identity')?.value as
          { sex?: string; birthDate?: string } | undefined;
        const address = base.find((r) => r.category === 'address')?.value as
          { householdRegion?: string } | undefined;
        for (const r of await sys.list(id, { categories: [category] })) {
          const day = dayOf(r.value) ?? r.createdAt.toISOString().slice(0, 10);
          out.push({
            subjectKey: id,
            prefecture: generaliseRegion(address?.householdRegion ?? ''),
            week: isoWeek(day),
            sex: identity?.sex ?? 'unknown',
            ageBand: identity?.birthDate ? ageBand(identity.birthDate, day) : 'unknown',
            value: coarseValue(category, r.value),
          });
        }
      }
      return out;
    },
    async findSubject(kind, value) {
      const sys = vault.systemRepository({ actor, purpose: 'maintenance' });
      return kind === 'citizen' ? sys.findCitizen(value) : sys.findSubscriber(value);
    },
  };
}
