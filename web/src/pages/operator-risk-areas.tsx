// SPDX-License-Identifier: Apache-2.0
/**
 * @module The operator's risk-area editor: the list the colour rules read (GB/T 2260 regions at
 * medium or high risk over a period; DOMAIN.md §1.5), read with `GET /api/operator/risk-areas`
 * and written back whole with `PUT` in the same shape. Rows are edited in a table with one
 * labelled control per cell; the page checks codes and dates (lib/risk-areas.ts) before sending.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Loader, Section, useLoad } from '../components.js';
import { useT } from '../i18n.js';
import {
  LEVELS,
  NEW_AREA,
  fromDrafts,
  parseRiskAreas,
  toDraft,
  type AreaDraft,
  type AreaProblem,
  type Level,
} from '../lib/risk-areas.js';

const PATH = '/api/operator/risk-areas';

function Cell(props: {
  id: string;
  label: string;
  /** 'text' or 'date' (typed as string: Preact types each input type's attributes apart). */
  type: string;
  value: string;
  invalid?: boolean;
  onInput: (v: string) => void;
}) {
  return (
    <td>
      <label class="sr-only" for={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.id}
        type={props.type as 'text'}
        value={props.value}
        inputMode={props.type === 'text' ? 'numeric' : undefined}
        maxLength={props.type === 'text' ? 6 : undefined}
        aria-invalid={props.invalid ? 'true' : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </td>
  );
}

export function RiskAreasSection() {
  const t = useT();
  const data = useLoad(() => api<unknown>(PATH, { role: 'operator' }).then(parseRiskAreas), []);
  const [edited, setEdited] = useState<AreaDraft[] | undefined>(undefined);
  const [problems, setProblems] = useState<AreaProblem[]>([]);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const levelName = (l: Level) => t(l === 'high' ? 'levelHigh' : 'levelMedium');

  const save = async (rows: AreaDraft[]) => {
    setSaved(false);
    setError(undefined);
    const checked = fromDrafts(rows);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      await api(PATH, { role: 'operator', method: 'PUT', body: checked.areas });
      setEdited(undefined);
      setSaved(true);
      data.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('riskAreas')} id="risk-areas">
      <p class="muted">{t('riskAreasHint')}</p>
      <Loader state={data}>
        {(areas) => {
          const rows = edited ?? areas.map(toDraft);
          const change = (i: number, patch: Partial<AreaDraft>) => {
            setSaved(false);
            setEdited(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
          };
          const bad = (i: number, field: AreaProblem['field']) =>
            problems.some((p) => p.row === i && p.field === field);
          return (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void save(rows);
              }}
            >
              {rows.length === 0 ? <p class="muted">{t('riskAreasEmpty')}</p> : null}
              <div class="table-wrap">
                <table class="risk-areas">
                  <thead>
                    <tr>
                      <th scope="col">{t('region')}</th>
                      <th scope="col">{t('level')}</th>
                      <th scope="col">{t('areaFrom')}</th>
                      <th scope="col">{t('areaTo')}</th>
                      <th scope="col">
                        <span class="sr-only">{t('removeArea')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={i} data-row={i} data-region={r.region}>
                        <Cell
                          id={`area-${i}-region`}
                          label={`${t('area')} ${i + 1}: ${t('region')}`}
                          type="text"
                          value={r.region}
                          invalid={bad(i, 'region')}
                          onInput={(region) => change(i, { region })}
                        />
                        <td>
                          <label class="sr-only" for={`area-${i}-level`}>
                            {`${t('area')} ${i + 1}: ${t('level')}`}
                          </label>
                          <select
                            id={`area-${i}-level`}
                            name={`area-${i}-level`}
                            value={r.level}
                            onChange={(e) => change(i, { level: e.currentTarget.value as Level })}
                          >
                            {LEVELS.map((l) => (
                              <option key={l} value={l}>
                                {levelName(l)}
                              </option>
                            ))}
                          </select>
                        </td>
                        <Cell
                          id={`area-${i}-from`}
                          label={`${t('area')} ${i + 1}: ${t('areaFrom')}`}
                          type="date"
                          value={r.from}
                          invalid={bad(i, 'dates')}
                          onInput={(from) => change(i, { from })}
                        />
                        <Cell
                          id={`area-${i}-to`}
                          label={`${t('area')} ${i + 1}: ${t('areaTo')}`}
                          type="date"
                          value={r.to}
                          invalid={bad(i, 'dates')}
                          onInput={(to) => change(i, { to })}
                        />
                        <td>
                          <button
                            type="button"
                            onClick={() => {
                              setSaved(false);
                              setEdited(rows.filter((_, j) => j !== i));
                            }}
                          >
                            {t('removeArea')}
                            <span class="sr-only"> {i + 1}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {problems.length > 0 ? (
                <div class="problems" role="alert">
                  {t('fixErrors')}
                  <ul>
                    {problems.map((p, i) => (
                      <li key={i}>
                        {t('area')} {p.row + 1}: {t(p.message)}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <div class="row">
                <button
                  type="button"
                  onClick={() => {
                    setSaved(false);
                    setEdited([...rows, NEW_AREA]);
                  }}
                >
                  {t('addArea')}
                </button>
                <button type="submit" class="primary" disabled={busy}>
                  {t('save')}
                </button>
              </div>
              {saved ? (
                <p role="status" class="saved">
                  {t('saved')}
                </p>
              ) : null}
              <ErrorBox error={error} />
            </form>
          );
        }}
      </Loader>
    </Section>
  );
}
