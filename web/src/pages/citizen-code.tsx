// SPDX-License-Identifier: Apache-2.0
/**
 * @module The citizen's health code: the QR (server-rendered SVG shown as an image so it cannot
 * run script), colour and masked name, validity, a refresh scheduled before the token expires,
 * the colour's explanation (PIPL art. 24) and a printable paper code (one code per sheet: the
 * print stylesheet hides everything else).
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { DataView, ErrorBox, Loader, Section, useLoad, type Loaded } from '../components.js';
import { useT } from '../i18n.js';

export interface CodeView {
  token: string;
  colour: 'green' | 'yellow' | 'red' | 'gray';
  validUntil: string;
  maskedName: string;
  refreshAt: string;
  qrSvg: string;
}

const svgSrc = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
const when = (iso: string) => new Date(iso).toLocaleString();

export function CodeBlock(props: { code: CodeView; title?: string }) {
  const t = useT();
  const c = props.code;
  return (
    <figure class={`code colour-${c.colour}`} data-colour={c.colour}>
      <img
        class="qr"
        src={svgSrc(c.qrSvg)}
        alt={`${t(c.colour)} · ${c.maskedName}`}
        width={240}
        height={240}
      />
      <figcaption>
        <span class="colour-name">{t(c.colour)}</span>
        <span class="masked-name">{c.maskedName}</span>
        <span>
          {t('validUntil')} <time dateTime={c.validUntil}>{when(c.validUntil)}</time>
        </span>
      </figcaption>
    </figure>
  );
}

/**
 * Loads a code from `path` and reloads it at the server's `refreshAt` (before the token expires)
 * and whenever `version` changes (after a declaration). At least 5 s apart so a bad clock cannot spin.
 */
export function useRefreshingCode(path: string, version: number): Loaded<CodeView> {
  const code = useLoad(() => api<CodeView>(path, { role: 'citizen' }), [path, version]);
  useEffect(() => {
    if (!code.data) {
      return;
    }
    const ms = Math.max(5_000, Date.parse(code.data.refreshAt) - Date.now());
    const timer = setTimeout(code.reload, Math.min(ms, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [code.data]);
  return code;
}

/**
 * Prints one code on paper: marks `el` as the print target so the print stylesheet shows it
 * alone (a guardian prints each child's code separately), and unmarks it after printing.
 */
export function printOnly(el: Element | null): void {
  if (el === null) {
    print();
    return;
  }
  el.classList.add('print-target');
  document.body.classList.add('print-one');
  addEventListener(
    'afterprint',
    () => {
      el.classList.remove('print-target');
      document.body.classList.remove('print-one');
    },
    { once: true },
  );
  print();
}

export function CodeCard(props: { version: number }) {
  const t = useT();
  const code = useRefreshingCode('/api/citizen/code', props.version);
  const [explain, setExplain] = useState<unknown>(undefined);
  const [explainError, setExplainError] = useState<unknown>(undefined);
  // A declaration changes the colour: an explanation shown before it would be stale.
  useEffect(() => setExplain(undefined), [props.version]);

  return (
    <Section title={t('myCode')} id="code">
      <Loader state={code}>
        {(c) => (
          <div class="code-card printable">
            <CodeBlock code={c} />
            <p class="muted">
              {t('refreshesAt')} <time dateTime={c.refreshAt}>{when(c.refreshAt)}</time>
            </p>
            <div class="row no-print">
              <button type="button" onClick={() => print()}>
                {t('printCode')}
              </button>
              <button
                type="button"
                onClick={() => {
                  api('/api/citizen/code/explain', { role: 'citizen' }).then(
                    setExplain,
                    setExplainError,
                  );
                }}
              >
                {t('explain')}
              </button>
            </div>
            <details class="no-print">
              <summary>{t('tokenText')}</summary>
              <label for="token-text" class="sr-only">
                {t('tokenText')}
              </label>
              <textarea id="token-text" readOnly rows={4} value={c.token} />
            </details>
            <ErrorBox error={explainError} />
            {explain !== undefined ? <DataView value={explain} /> : null}
          </div>
        )}
      </Loader>
    </Section>
  );
}
