// SPDX-License-Identifier: Apache-2.0
/**
 * @module The citizen's health code: the QR (server-rendered SVG shown as an image so it cannot
 * run script), colour and masked name, validity, a refresh scheduled before the token expires,
 * the colour's explanation (PIPL art. 24) and a printable paper code.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { DataView, ErrorBox, Loader, Section, useLoad } from '../components.js';
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

export function CodeCard() {
  const t = useT();
  const code = useLoad(() => api<CodeView>('/api/citizen/code', { role: 'citizen' }), []);
  const [explain, setExplain] = useState<unknown>(undefined);
  const [explainError, setExplainError] = useState<unknown>(undefined);

  // Refresh at the server's `refreshAt` (before expiry); at least 5 s apart so a bad clock cannot spin.
  useEffect(() => {
    if (!code.data) {
      return;
    }
    const ms = Math.max(5_000, Date.parse(code.data.refreshAt) - Date.now());
    const timer = setTimeout(code.reload, Math.min(ms, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [code.data]);

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
