// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal report --html`: one self-contained, printable HTML page for an auditor or a
 * notary (as at the Wuxi disposal witnessed by both): what was retired, records per category and
 * store before and after, progress over time, verification results, open exemptions with their
 * end dates, and third parties' acknowledgments. Counts only; never personal data.
 */
import { DATA_CATEGORIES } from '../../kernel/domain/index.js';
import type { PlanCertificate } from './certificate.js';
import { esc, groupedBars, progressLine } from './charts.js';
import type { PlanDoc } from './model.js';
import type { PlanStatus } from './service.js';
import type { StoreCounts } from './snapshot.js';

export interface ReportData {
  readonly plan: PlanDoc;
  readonly status: PlanStatus;
  readonly generatedAt: string;
  readonly synthetic: boolean;
  readonly before: StoreCounts;
  readonly after: StoreCounts | null;
  readonly progress: readonly { at: number; done: number }[];
  readonly verifications: readonly {
    at: string;
    ok: boolean;
    subjectsChecked: number;
    keysPresent: number;
    rowsRemaining: number;
    canaryHits: number | null;
    files: number | null;
    problems: readonly string[];
  }[];
  readonly certificate: (PlanCertificate & { readonly sha256: string }) | null;
  readonly acks: readonly { party: string; name: string; sentAt: string; ackedAt: string | null }[];
}

function perCategory(counts: StoreCounts | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const cats of Object.values(counts ?? {})) {
    for (const [c, n] of Object.entries(cats).filter(([k]) => k !== '*')) {
      m.set(c, (m.get(c) ?? 0) + (n ?? 0));
    }
  }
  return m;
}

function perStore(counts: StoreCounts | null): Map<string, number> {
  return new Map(
    Object.entries(counts ?? {}).map(([s, m]) => {
      const cats = Object.entries(m).filter(([c]) => c !== '*');
      return [s, cats.length > 0 ? cats.reduce((a, [, n]) => a + (n ?? 0), 0) : (m['*'] ?? 0)];
    }),
  );
}

const table = (head: readonly string[], rows: readonly (readonly unknown[])[]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length === 0
      ? `<tr><td colspan="${head.length}">none</td></tr>`
      : rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')
  }</tbody></table>`;

const CSS = `body{font:14px/1.45 system-ui,"Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:980px;color:#111}
h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #999;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;font-size:12px}
.banner{background:#fff3c4;border:1px solid #c9a227;padding:.4em .8em}.ok{color:#1d6b2f;font-weight:bold}.bad{color:#9b1c1c;font-weight:bold}
code{font-size:11px;word-break:break-all}@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}svg{page-break-inside:avoid}}`;

/** Renders the report. */
export function renderReportHtml(d: ReportData): string {
  const before = perCategory(d.before);
  const after = perCategory(d.after);
  const cats = DATA_CATEGORIES.filter((c) => before.has(c) || after.has(c));
  const sb = perStore(d.before);
  const sa = perStore(d.after);
  const stores = [...new Set([...sb.keys(), ...sa.keys()])].sort();
  const p = d.plan;
  const v = d.verifications[d.verifications.length - 1];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(`Disposal report — ${p.title}`)}</title><style>${CSS}</style></head>
<body>
${d.synthetic ? '<p class="banner">Synthetic instance: the data disposed of here was generated, not collected from people. 合成数据实例。</p>' : ''}
<h1>Disposal report · 个人信息删除处置报告</h1>
<p>${esc(p.title)}</p>
${table(
  ['field', 'value'],
  [
    ['responsible party', `${p.responsibleParty.name} (${p.responsibleParty.contact})`],
    ['retired', `${p.retire.kind}: ${p.retire.id}`],
    ['trigger', p.trigger],
    ['retired purposes', p.retiredPurposes.join(', ') || '—'],
    ['retired services', p.retiredServices.join(', ') || '—'],
    ['plan id', p.id],
    ['plan sha256', d.status.planSha256],
    ['approved by', p.approvals.map((a) => `${a.by} (${a.at})`).join('; ') || '—'],
    ['state', d.status.state],
    ['progress', `${d.status.done} / ${d.status.total} subjects`],
    ['started', d.status.startedAt ?? '—'],
    ['executed', d.status.executedAt ?? '—'],
    ['report generated', d.generatedAt],
  ],
)}
<h2>Actions per category</h2>
${table(
  [
    'category',
    'group',
    'sensitive',
    'action',
    'subjects in scope',
    'records in scope',
    'kept for (subjects)',
    'exemption',
  ],
  p.scope.map((s) => {
    const a = p.actions.find((x) => x.category === s.category);
    return [
      s.category,
      s.group,
      s.sensitive ? 'yes' : 'no',
      a?.action ?? '—',
      s.subjects,
      s.records,
      s.keptFor.map((k) => `${k.purpose} (${k.subjects})`).join(', ') || '—',
      a?.exemption
        ? `${a.exemption.name}: ${a.exemption.legalSource}, until ${a.exemption.endDate}`
        : '—',
    ];
  }),
)}
<h2>Records per category, before and after</h2>
${groupedBars(
  'Records per category',
  ['before', 'after'],
  cats.map((c) => ({ label: c, values: [before.get(c) ?? 0, after.get(c) ?? 0] })),
)}
<h2>Records per store, before and after</h2>
${groupedBars(
  'Records per store',
  ['before', 'after'],
  stores.map((s) => ({ label: s, values: [sb.get(s) ?? 0, sa.get(s) ?? 0] })),
)}
${table(
  ['store', 'method', 'note / exemption'],
  p.stores.map((s) => [
    s.store,
    s.method,
    s.exemption
      ? `${s.exemption.name}: ${s.exemption.legalSource}, until ${s.exemption.endDate}`
      : (s.note ?? ''),
  ]),
)}
<h2>Progress</h2>
${progressLine('Subjects disposed of over time', d.progress, d.status.total)}
<h2>Verification</h2>
<p>Latest: ${v === undefined ? 'not verified yet' : v.ok ? '<span class="ok">PASSED</span>' : '<span class="bad">FAILED</span>'}</p>
${table(
  [
    'at',
    'result',
    'subjects checked',
    'keys present',
    'rows remaining',
    'files scanned',
    'canary hits',
    'problems',
  ],
  d.verifications.map((x) => [
    x.at,
    x.ok ? 'passed' : 'failed',
    x.subjectsChecked,
    x.keysPresent,
    x.rowsRemaining,
    x.files ?? '—',
    x.canaryHits ?? 'no scan',
    x.problems.join('; ') || '—',
  ]),
)}
<h2>Open exemptions</h2>
${table(
  ['applies to', 'ends', 'subjects still restricted'],
  d.status.openExemptions.map((e) => [e.appliesTo, e.endDate, e.subjects]),
)}
<h2>Third parties · 第三方删除确认</h2>
${table(
  ['party', 'name', 'notice sent', 'acknowledged'],
  d.acks.map((a) => [a.party, a.name, a.sentAt, a.ackedAt ?? 'PENDING']),
)}
<h2>Certificate</h2>
${
  d.certificate === null
    ? '<p>No certificate yet.</p>'
    : table(
        ['field', 'value'],
        [
          ['certificate id', d.certificate.id],
          ['issued', d.certificate.issuedAt],
          ['sha256 (as logged)', d.certificate.sha256],
          ['methods', d.certificate.methods.join(', ')],
          ['signing key (Ed25519, SPKI)', d.certificate.signature?.publicKey ?? '—'],
        ],
      )
}
<p><small>Generated by healthcode. The certificate is recorded in the instance's RFC 9162 audit log; check it with <code>healthcode disposal certificate check</code> and <code>healthcode audit verify</code>.</small></p>
</body></html>
`;
}
