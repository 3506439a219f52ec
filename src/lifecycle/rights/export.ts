// SPDX-License-Identifier: Apache-2.0
/**
 * @module The access and copy export (PIPL art. 45: 查阅、复制; DOMAIN.md §6 req. 19): one JSON
 * document with all four GB/T 38962 data groups of every subject of the person, the colour
 * history, the consents with their receipts, and the subject's audit trail; and a CSV of the
 * data (RFC 4180: CRLF lines, quoted fields) for spreadsheets. Pure rendering; files are written
 * by the executor where the requester says, never into the data dir.
 */
import { DATA_GROUPS, type DataGroup } from '../../kernel/domain/index.js';
import type { SubjectConsents } from '../../personal/consent/index.js';
import type { AuditEntry } from '../../foundation/audit/index.js';
import { groupOfCategory, type SubjectHoldingsFull } from './person.js';

export const EXPORT_FORMAT = 'healthcode-export/v1';

export interface ExportRecord {
  readonly recordId: string;
  readonly category: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly value: unknown;
}

export interface ExportBundle {
  readonly recordId: string;
  readonly category: string;
  readonly day: string;
  readonly entries: readonly unknown[];
}

export interface ExportSubject {
  readonly subjectId: string;
  readonly kind: string;
  readonly groups: Readonly<
    Record<DataGroup, { records: ExportRecord[]; bundles: ExportBundle[] }>
  >;
  /** Colour decisions, oldest first (the certification group's `colour-decisions`). */
  readonly colourHistory: readonly unknown[];
  readonly consents: SubjectConsents | null;
  readonly auditTrail: ReadonlyArray<Record<string, unknown>>;
}

export interface ExportDocument {
  readonly format: typeof EXPORT_FORMAT;
  readonly requestId: string;
  readonly controller: { readonly name: string; readonly contact: string };
  readonly generatedAt: string;
  readonly subjects: readonly ExportSubject[];
}

/** One subject's section of the export. */
export function exportSubject(
  h: SubjectHoldingsFull,
  consents: SubjectConsents | null,
  trail: readonly AuditEntry[],
): ExportSubject {
  const groups = Object.fromEntries(
    DATA_GROUPS.map((g) => [g, { records: [] as ExportRecord[], bundles: [] as ExportBundle[] }]),
  ) as Record<DataGroup, { records: ExportRecord[]; bundles: ExportBundle[] }>;
  const colour: Array<{ at: string; value: unknown }> = [];
  for (const r of h.records) {
    groups[r.group].records.push({
      recordId: r.recordId,
      category: r.category,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      value: r.value,
    });
    if (r.category === 'colour-decisions') {
      colour.push({ at: r.createdAt.toISOString(), value: r.value });
    }
  }
  for (const b of h.bundles) {
    groups[groupOfCategory(b.category)].bundles.push({
      recordId: b.recordId,
      category: b.category,
      day: b.day,
      entries: b.entries,
    });
  }
  return {
    subjectId: h.subjectId,
    kind: h.kind,
    groups,
    colourHistory: colour.sort((a, b) => a.at.localeCompare(b.at)).map((c) => c.value),
    consents,
    auditTrail: trail.map((e) => ({
      leafIndex: e.leafIndex,
      at: e.at.toISOString(),
      kind: e.kind,
      ...(e.actor === undefined ? {} : { actor: e.actor }),
      ...(e.purpose === undefined ? {} : { purpose: e.purpose }),
      ...(e.category === undefined ? {} : { category: e.category }),
      ...(e.action === undefined ? {} : { action: e.action }),
      ...(e.outcome === undefined ? {} : { outcome: e.outcome }),
      detailsState: e.detailsState,
      ...(e.details === undefined ? {} : { details: e.details }),
    })),
  };
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const CSV_HEADER = ['subject', 'kind', 'group', 'category', 'record', 'day', 'created', 'value'];

/** The data of the export as CSV: one row per record, one per bundle entry (RFC 4180). */
export function exportCsv(doc: ExportDocument): string {
  const rows: string[][] = [CSV_HEADER];
  for (const s of doc.subjects) {
    for (const g of DATA_GROUPS) {
      for (const r of s.groups[g].records) {
        rows.push([
          s.subjectId,
          s.kind,
          g,
          r.category,
          r.recordId,
          '',
          r.createdAt,
          JSON.stringify(r.value),
        ]);
      }
      for (const b of s.groups[g].bundles) {
        for (const e of b.entries) {
          rows.push([s.subjectId, s.kind, g, b.category, b.recordId, b.day, '', JSON.stringify(e)]);
        }
      }
    }
    for (const c of s.consents?.consents ?? []) {
      rows.push([
        s.subjectId,
        s.kind,
        'consent',
        c.category,
        c.purposeId,
        '',
        c.grantedAt,
        JSON.stringify({ status: c.status, withdrawnAt: c.withdrawnAt }),
      ]);
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Counts for the request's stored result (never values). */
export function exportSummary(doc: ExportDocument): Record<string, number> {
  let records = 0;
  let entries = 0;
  for (const s of doc.subjects) {
    for (const g of DATA_GROUPS) {
      records += s.groups[g].records.length;
      entries += s.groups[g].bundles.reduce((n, b) => n + b.entries.length, 0);
    }
  }
  return {
    subjects: doc.subjects.length,
    records,
    entries,
    consents: doc.subjects.reduce((n, s) => n + (s.consents?.consents.length ?? 0), 0),
    auditEntries: doc.subjects.reduce((n, s) => n + s.auditTrail.length, 0),
  };
}
