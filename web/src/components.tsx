// SPDX-License-Identifier: Apache-2.0
/**
 * @module Small shared pieces: a section with a heading, a labelled field (every input has a
 * label, WCAG 2.2 SC 1.3.1 / 3.3.2), an error box that names a route the server lacks, a generic
 * read-only view of API answers, and a loading hook.
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useT } from './i18n.js';

export function Section(props: { title: string; id?: string; children: ComponentChildren }) {
  const id = props.id ?? `s-${props.title.replace(/\W+/g, '-')}`;
  return (
    <section class="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

let nextId = 0;
const useId = (): string => useState(() => `f${++nextId}`)[0];

export function Field(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  name?: string;
  hint?: string;
  multiline?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'tel' | 'text' | 'decimal';
  /** A problem with the value, shown under the field and announced with it (WCAG 3.3.1). */
  error?: string;
  maxLength?: number;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter((x) => x !== undefined).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    'aria-describedby': describedBy,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea rows={4} {...common} />
      ) : (
        <input
          type={(props.type ?? 'text') as 'text'}
          autoComplete={props.autoComplete ?? 'off'}
          inputMode={props.inputMode}
          maxLength={props.maxLength}
          {...common}
        />
      )}
      {props.hint ? (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={errorId} class="field-error">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

export function ErrorBox(props: { error: unknown }) {
  const t = useT();
  const e = props.error;
  if (e === undefined || e === null) {
    return null;
  }
  if (e instanceof ApiError && e.missingRoute) {
    return (
      <p class="error" role="alert" data-missing-route={e.route}>
        {t('routeMissing')}
        <code>{e.route}</code>
      </p>
    );
  }
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return (
    <p class="error" role="alert" data-route={e instanceof ApiError ? e.route : undefined}>
      {t('error')}
      {message}
    </p>
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Renders any JSON answer readably: objects as definition lists, arrays of objects as tables. */
export function DataView(props: { value: unknown }) {
  const v = props.value;
  if (v === null || v === undefined) {
    return <span class="muted">—</span>;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      return <span class="muted">[]</span>;
    }
    if (v.every(isRecord)) {
      const cols = [...new Set(v.flatMap((r) => Object.keys(r)))];
      return (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {cols.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {v.map((row, i) => (
                <tr key={i}>
                  {cols.map((c) => (
                    <td key={c}>
                      <DataView value={row[c]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return (
      <span>
        {v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ')}
      </span>
    );
  }
  if (isRecord(v)) {
    return (
      <dl class="kv">
        {Object.entries(v).map(([k, x]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              <DataView value={x} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{typeof v === 'string' ? v : JSON.stringify(v)}</span>;
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Loads once (and on `reload`); `enabled` false waits (e.g. until signed in). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], enabled = true): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({
    loading: enabled,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) {
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, enabled]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function Loader<T>(props: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const t = useT();
  const { state } = props;
  if (state.error !== undefined) {
    return (
      <div>
        <ErrorBox error={state.error} />
        <button type="button" onClick={state.reload}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) {
    return <p aria-busy="true">{t('loading')}</p>;
  }
  return <>{props.children(state.data)}</>;
}

/** A button that runs an async action, shows its error, and is disabled while busy. */
export function ActionButton(props: {
  label: string;
  onRun: () => Promise<unknown>;
  kind?: 'primary' | 'secondary';
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  return (
    <span class="action">
      <button
        type="button"
        class={props.kind ?? 'secondary'}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          props.onRun().then(
            () => setBusy(false),
            (e: unknown) => {
              setError(e);
              setBusy(false);
            },
          );
        }}
      >
        {props.label}
      </button>
      <ErrorBox error={error} />
    </span>
  );
}
