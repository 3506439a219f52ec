// SPDX-License-Identifier: Apache-2.0
/**
 * @module The analyst view: pick a private aggregate query, see the remaining zCDP budget, run it,
 * and see the release — cells below the k threshold are already suppressed by the server — as an
 * SVG heat map or origin–destination matrix. Only noisy aggregates ever reach this page.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ActionButton, DataView, Field, Loader, Section, useLoad } from '../components.js';
import { useT } from '../i18n.js';
import { RoleGate } from '../role-gate.js';

const QUERIES = ['crowd', 'od', 'job-residence', 'site'] as const;

interface Release {
  k?: number;
  suppressed?: number;
  cells?: unknown;
  [key: string]: unknown;
}

type Cell = Record<string, unknown>;
const num = (c: Cell): number => {
  for (const k of ['count', 'value', 'noisy', 'n']) {
    if (typeof c[k] === 'number') {
      return c[k];
    }
  }
  return 0;
};
const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '?';
const origin = (c: Cell) => str(c.from ?? c.origin ?? c.home ?? c.residence);
const dest = (c: Cell) => str(c.to ?? c.destination ?? c.work ?? c.job);
const label = (c: Cell) => str(c.cell ?? c.region ?? c.h3 ?? c.site ?? c.key ?? c.id);

/** Light → dark blue; the number is always printed too, so colour is never the only cue. */
const shade = (x: number, max: number) =>
  `hsl(210 70% ${Math.round(95 - 60 * (max > 0 ? Math.max(0, x) / max : 0))}%)`;

function cellsOf(release: Release): Cell[] {
  const c = release.cells;
  if (Array.isArray(c)) {
    return c.filter((x): x is Cell => typeof x === 'object' && x !== null);
  }
  if (c && typeof c === 'object') {
    return Object.entries(c as Record<string, unknown>).map(([key, v]) =>
      typeof v === 'number' ? { key, count: v } : { key, ...(v as Cell) },
    );
  }
  return [];
}

export function HeatMap(props: { cells: Cell[] }) {
  const t = useT();
  const cells = props.cells.slice(0, 400);
  const cols = Math.max(1, Math.ceil(Math.sqrt(cells.length)));
  const max = Math.max(0, ...cells.map(num));
  const size = 56;
  return (
    <svg
      class="chart"
      role="img"
      aria-label={t('heatMap')}
      viewBox={`0 0 ${cols * size} ${Math.ceil(cells.length / cols) * size}`}
      width="100%"
    >
      {cells.map((c, i) => (
        <g key={i} transform={`translate(${(i % cols) * size} ${Math.floor(i / cols) * size})`}>
          <rect width={size - 2} height={size - 2} fill={shade(num(c), max)}>
            <title>{`${label(c)}: ${num(c)}`}</title>
          </rect>
          <text x={4} y={20} font-size="10">
            {label(c).slice(-6)}
          </text>
          <text x={4} y={40} font-size="13" font-weight="600">
            {Math.round(num(c))}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function OdMatrix(props: { cells: Cell[] }) {
  const t = useT();
  const origins = [...new Set(props.cells.map(origin))].slice(0, 30);
  const dests = [...new Set(props.cells.map(dest))].slice(0, 30);
  const value = new Map(props.cells.map((c) => [`${origin(c)}→${dest(c)}`, num(c)]));
  const max = Math.max(0, ...value.values());
  const s = 40;
  const pad = 80;
  return (
    <svg
      class="chart"
      role="img"
      aria-label={t('odMatrix')}
      viewBox={`0 0 ${pad + dests.length * s} ${pad + origins.length * s}`}
      width="100%"
    >
      {dests.map((d, j) => (
        <text
          key={d}
          x={pad + j * s + 4}
          y={pad - 6}
          font-size="9"
          transform={`rotate(-45 ${pad + j * s + 4} ${pad - 6})`}
        >
          {d}
        </text>
      ))}
      {origins.map((o, i) => (
        <g key={o}>
          <text x={2} y={pad + i * s + 24} font-size="9">
            {o}
          </text>
          {dests.map((d, j) => {
            const v = value.get(`${o}→${d}`);
            return (
              <g key={d} transform={`translate(${pad + j * s} ${pad + i * s})`}>
                <rect width={s - 2} height={s - 2} fill={v === undefined ? '#eee' : shade(v, max)}>
                  <title>{`${o} → ${d}: ${v ?? '—'}`}</title>
                </rect>
                <text x={4} y={24} font-size="11">
                  {v === undefined ? '' : Math.round(v)}
                </text>
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

function AnalystView() {
  const t = useT();
  const [dataset, setDataset] = useState('carriers:320200');
  const budget = useLoad(
    () =>
      api<unknown>(`/api/analyst/budget?dataset=${encodeURIComponent(dataset)}`, {
        role: 'analyst',
      }),
    [dataset],
  );
  const [query, setQuery] = useState<string>('crowd');
  const [params, setParams] = useState('{}');
  const [release, setRelease] = useState<Release | undefined>(undefined);
  const cells = release ? cellsOf(release) : [];
  const isOd = cells.some((c) => 'from' in c || 'origin' in c || 'home' in c || 'residence' in c);
  return (
    <>
      <Section title={t('budget')} id="budget">
        <Field label="dataset" name="dataset" value={dataset} onInput={setDataset} />
        <Loader state={budget}>{(b) => <DataView value={b} />}</Loader>
      </Section>
      <Section title={t('query')} id="query">
        <div class="field">
          <label for="query-kind">{t('query')}</label>
          <select id="query-kind" value={query} onChange={(e) => setQuery(e.currentTarget.value)}>
            {QUERIES.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={`${t('details')} (JSON)`}
          name="query-params"
          multiline
          value={params}
          onInput={setParams}
        />
        <ActionButton
          label={t('runQuery')}
          kind="primary"
          onRun={async () => {
            const extra = JSON.parse(params) as Record<string, unknown>;
            setRelease(
              await api<Release>('/api/analyst/queries', {
                role: 'analyst',
                body: { ...extra, query },
              }),
            );
            budget.reload();
          }}
        />
      </Section>
      {release ? (
        <Section title={isOd ? t('odMatrix') : t('heatMap')} id="release">
          <p>
            k = {str(release.k)} · {t('suppressed')}: {str(release.suppressed)}
            {release.rho !== undefined ? ` · ρ = ${str(release.rho)}` : ''}
            {release.epsilon !== undefined ? ` · ε = ${str(release.epsilon)}` : ''}
          </p>
          {isOd ? <OdMatrix cells={cells} /> : <HeatMap cells={cells} />}
        </Section>
      ) : null}
    </>
  );
}

export function AnalystPage() {
  const t = useT();
  return (
    <RoleGate role="analyst" title={t('analystTitle')}>
      <AnalystView />
    </RoleGate>
  );
}
