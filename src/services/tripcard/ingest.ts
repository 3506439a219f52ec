// SPDX-License-Identifier: Apache-2.0
/**
 * @module Ingest of carrier location events (issue 8 item 1; DOMAIN.md §6 req. 21): records are
 * validated one by one (rejects counted by reason and reported by line number only), grouped
 * into batches, and each batch is stored in one data transaction with one audit event per
 * subscriber: the phone's `subscriber` subject is found (or created) in the vault by its blind
 * index, each event sealed under the subject's `itinerary` data key, and rows whose event id is
 * already stored are skipped — so re-running a file adds nothing, and two ingests of one file at
 * once store each event once: the check and the insert run under the write lock of the batch's
 * transaction (SQLite's database lock; on PostgreSQL the ingest advisory lock, `lockIngest`).
 */
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import type { DataKey } from '../../platform/keys/index.js';
import { writeTransaction } from '../../platform/keys/index.js';
import { zeroize } from '../../kernel/crypto/index.js';
import { TRIPCARD_PURPOSE, windowAt, type TripcardContext } from './context.js';
import { parseRecord, REJECT_REASONS, type RejectReason, type TripEvent } from './model.js';
import {
  insertBundles,
  lockIngest,
  slotKey,
  storedEids,
  type TripcardEventTable,
} from './repository.js';
import { EVENT_CATEGORY, EVENT_SCOPE, eventIndex, sealBundle } from './sealing.js';
import { localDayNumber } from '../../kernel/shared/local-day.js';
import type { RawLine } from './reader.js';

/** What an ingest run did (counts only: no phone, place or time). */
export interface IngestSummary {
  /** Data lines read. */
  records: number;
  /** Events newly stored. */
  loaded: number;
  /** Events whose id was already stored (a re-run), or repeated in the input. */
  duplicates: number;
  rejected: number;
  /** Rejections per reason. */
  reasons: Record<RejectReason, number>;
  /** Subscribers the run wrote events for. */
  subscribers: number;
}

export interface IngestOptions {
  /** Carrier name for the audit actor (`carrier:<name>`); default `unknown`. */
  readonly carrier?: string;
  /** Cell → prefecture-level place. */
  readonly cells: ReadonlyMap<string, string>;
  /** Called for each rejected line (line number and reason only). */
  readonly onReject?: (line: number, reason: RejectReason) => void | Promise<void>;
  /** Called after each batch with records read so far. */
  readonly onProgress?: (records: number) => void;
  /** Events per transaction (default 5,000). */
  readonly batchSize?: number;
}

interface SubjectInfo {
  readonly subjectId: string;
  readonly auditId: string;
}

/** The new events of one subscriber and day in a batch. */
interface Group {
  readonly subject: SubjectInfo;
  readonly day: number;
  readonly items: { eid: Buffer; key: string; at: number; place: string }[];
}

const CARRIER = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/** Ingests raw lines; each batch is committed before the next is read. */
export async function ingestLines(
  ctx: TripcardContext,
  lines: AsyncIterable<RawLine> | Iterable<RawLine>,
  options: IngestOptions,
): Promise<IngestSummary> {
  const carrier = options.carrier ?? 'unknown';
  if (!CARRIER.test(carrier)) {
    throw new RangeError('"carrier" expected a lower-case name of at most 32 characters');
  }
  const now = ctx.store.clock.now();
  const window = windowAt(now, ctx.timeZone);
  const parseCtx = { cells: options.cells, from: window.from, to: window.to };
  const summary: IngestSummary = {
    records: 0,
    loaded: 0,
    duplicates: 0,
    rejected: 0,
    reasons: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
    subscribers: 0,
  };
  const batchSize = options.batchSize ?? 5000;
  const state = new IngestState(ctx, carrier);
  let batch: TripEvent[] = [];
  try {
    for await (const { line, record } of lines) {
      summary.records++;
      const parsed =
        record === undefined
          ? ({ ok: false, reason: 'malformed' } as const)
          : parseRecord(record, parseCtx);
      if (!parsed.ok) {
        summary.rejected++;
        summary.reasons[parsed.reason]++;
        await options.onReject?.(line, parsed.reason);
        continue;
      }
      batch.push(parsed.event);
      if (batch.length >= batchSize) {
        await state.commit(batch, summary);
        batch = [];
        options.onProgress?.(summary.records);
      }
    }
    if (batch.length > 0) {
      await state.commit(batch, summary);
    }
    options.onProgress?.(summary.records);
  } finally {
    state.dispose();
  }
  summary.subscribers = state.written.size;
  return summary;
}

class IngestState {
  readonly #ctx: TripcardContext;
  readonly #actor: string;
  readonly #subjects = new Map<string, SubjectInfo>();
  readonly #keys = new Map<string, DataKey>();
  readonly written = new Set<string>();

  constructor(ctx: TripcardContext, carrier: string) {
    this.#ctx = ctx;
    this.#actor = `carrier:${carrier}`;
  }

  /** The subscriber subject of a phone, created (with its phone as contact) when missing. */
  async #subject(phone: string): Promise<SubjectInfo> {
    const hit = this.#subjects.get(phone);
    if (hit !== undefined) {
      return hit;
    }
    const { vault } = this.#ctx.vault;
    const repo = vault.repository({
      actor: this.#actor,
      role: 'carrier',
      purpose: TRIPCARD_PURPOSE,
    });
    const { subjectId, created } = await repo.ensureSubscriber(phone);
    if (created) {
      // The vault's holdings (what disposal plans over) then show this subscriber.
      await repo.put(subjectId, 'contact', { phone });
    }
    const auditId = (await vault.auditIdOf(this.#ctx.store.db.kysely, subjectId)) ?? '';
    const info = { subjectId, auditId };
    this.#subjects.set(phone, info);
    return info;
  }

  async commit(events: readonly TripEvent[], summary: IngestSummary): Promise<void> {
    const ctx = this.#ctx;
    const tz = ctx.timeZone;
    const bySubject = new Map<string, SubjectInfo>();
    for (const e of events) {
      if (!bySubject.has(e.phone)) {
        bySubject.set(e.phone, await this.#subject(e.phone));
      }
    }
    const missing = [...new Set([...bySubject.values()].map((s) => s.subjectId))].filter(
      (id) => !this.#keys.has(id),
    );
    for (const k of await ctx.store.keyring.ensureDataKeys(
      missing.map((subjectId) => ({ subjectId, scope: EVENT_SCOPE })),
    )) {
      this.#keys.set(k.subjectId, k);
    }
    // Group by (subject, day); an event id seen twice in the input counts once.
    const groups = new Map<string, Group>();
    const seen = new Set<string>();
    for (const e of events) {
      const s = bySubject.get(e.phone)!;
      const eid = eventIndex(ctx.lookupKey, e.id);
      const k = eid.toString('latin1');
      if (seen.has(k)) {
        summary.duplicates++;
        continue;
      }
      seen.add(k);
      const day = localDayNumber(e.at, tz);
      const slot = slotKey(s.subjectId, day);
      let g = groups.get(slot);
      if (g === undefined) {
        g = { subject: s, day, items: [] };
        groups.set(slot, g);
      }
      g.items.push({ eid, key: k, at: e.at, place: e.place });
    }
    const now = ctx.store.clock.now();
    const db = ctx.store.db;
    await writeTransaction(
      db.kysely,
      db.dialect,
      { table: 'tripcard_event', column: 'day' },
      async (trx) => {
        await lockIngest(db, trx);
        const stored = await storedEids(
          db,
          trx,
          [...groups.values()].map((g) => ({ subjectId: g.subject.subjectId, day: g.day })),
        );
        const rows: TripcardEventTable[] = [];
        const perSubject = new Map<SubjectInfo, number>();
        for (const [slot, g] of groups) {
          const old = stored.get(slot);
          const fresh = old === undefined ? g.items : g.items.filter((i) => !old.has(i.key));
          summary.duplicates += g.items.length - fresh.length;
          if (fresh.length === 0) {
            continue;
          }
          fresh.sort((a, b) => a.at - b.at);
          const key = this.#keys.get(g.subject.subjectId)!;
          const place = {
            subject_id: g.subject.subjectId,
            day: g.day,
            bid: fresh[0].eid,
            eids: Buffer.concat(fresh.map((i) => i.eid)),
            gen: key.gen,
          };
          rows.push({ ...place, ct: sealBundle(key.key, ctx.nonces, place, fresh) });
          perSubject.set(g.subject, (perSubject.get(g.subject) ?? 0) + fresh.length);
        }
        await insertBundles(db, trx, rows);
        const audit: AuditEvent[] = [...perSubject].map(([s, n]) => {
          this.written.add(s.subjectId);
          summary.loaded += n;
          return {
            kind: 'write',
            actor: this.#actor,
            purpose: TRIPCARD_PURPOSE,
            ...(s.auditId === '' ? {} : { subjectAuditId: s.auditId }),
            category: EVENT_CATEGORY,
            action: 'tripcard-ingest',
            outcome: 'ok',
            at: now,
            details: { events: n },
          };
        });
        if (audit.length > 0) {
          await ctx.audit.append(trx, audit);
        }
      },
    );
  }

  dispose(): void {
    for (const k of this.#keys.values()) {
      zeroize(k.key);
    }
    this.#keys.clear();
  }
}
