// SPDX-License-Identifier: Apache-2.0
/**
 * @module The operator console: colour rule sets, the risk-area editor and the human-review queue
 * (PIPL art. 24), the consent catalogue (purposes, services, notices, repurposing campaigns; PIPL
 * arts. 13–17; with their writes, operator-consent.tsx), and disposal plans after the 2022 guideline — draft, approve, run with live
 * progress, then the report and public notice (shown or saved) and signed certificates (art. 47).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, download } from '../api.js';
import {
  ActionButton,
  DataView,
  ErrorBox,
  Field,
  Loader,
  Section,
  useLoad,
} from '../components.js';
import { useT, type MessageKey } from '../i18n.js';
import { RoleGate } from '../role-gate.js';
import { CampaignsSection, NoticesSection, PurposesSection } from './operator-consent.js';
import { ReviewsSection } from './operator-reviews.js';
import { RiskAreasSection } from './operator-risk-areas.js';

const op = <T,>(path: string) => api<T>(path, { role: 'operator' });

function Listing(props: { title: MessageKey; path: string; id: string }) {
  const t = useT();
  const data = useLoad(() => op<unknown>(props.path), [props.path]);
  return (
    <Section title={t(props.title)} id={props.id}>
      <Loader state={data}>{(d) => <DataView value={d} />}</Loader>
    </Section>
  );
}

interface Plan {
  id: string;
  state?: string;
  [k: string]: unknown;
}
interface Progress {
  state: string;
  done: number;
  total: number;
}

/**
 * Fetches an HTML document with the operator's token and shows it sandboxed (no script), or saves
 * it as a file (the report and the notice are self-contained pages meant to be published).
 */
function HtmlDoc(props: { path: string; title: string; file: string }) {
  const t = useT();
  const [html, setHtml] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  return (
    <div class="doc-links">
      <button
        type="button"
        onClick={() =>
          void api<string>(props.path, { role: 'operator', text: true }).then(setHtml, setError)
        }
      >
        {props.title}
      </button>
      <button
        type="button"
        onClick={() => void download(props.path, 'operator', props.file).catch(setError)}
      >
        {t('download')} · {props.title}
      </button>
      <ErrorBox error={error} />
      {html !== undefined ? (
        <iframe class="doc" title={props.title} sandbox="" srcDoc={html} />
      ) : null}
    </div>
  );
}

function PlanProgress(props: { id: string; running: boolean }) {
  const t = useT();
  const [p, setP] = useState<Progress | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (!props.running) {
      return;
    }
    let live = true;
    const poll = async () => {
      try {
        const next = await op<Progress>(
          `/api/operator/disposal/plans/${encodeURIComponent(props.id)}/progress`,
        );
        if (!live) {
          return;
        }
        setP(next);
        if (!['done', 'completed', 'verified', 'failed', 'certified'].includes(next.state)) {
          setTimeout(() => void poll(), 500);
        }
      } catch (e) {
        setError(e);
      }
    };
    void poll();
    return () => {
      live = false;
    };
  }, [props.id, props.running]);
  if (!p && !error) {
    return null;
  }
  return (
    <div class="progress-box" data-state={p?.state}>
      <ErrorBox error={error} />
      {p ? (
        <>
          <label for={`progress-${props.id}`}>
            {t('progress')}: {p.state} ({p.done}/{p.total})
          </label>
          <progress id={`progress-${props.id}`} max={Math.max(1, p.total)} value={p.done} />
        </>
      ) : null}
    </div>
  );
}

function Certificates(props: { id: string }) {
  const t = useT();
  const certs = useLoad(
    () =>
      op<unknown[]>(`/api/operator/disposal/plans/${encodeURIComponent(props.id)}/certificates`),
    [props.id],
  );
  return (
    <div class="certs">
      <h4>{t('certificates')}</h4>
      <button type="button" onClick={certs.reload}>
        {t('retry')} · {t('certificates')}
      </button>
      <Loader state={certs}>
        {(cs) => (
          <ul class="plain">
            {cs.map((c, i) => {
              const href = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(c, null, 2))}`;
              return (
                <li key={i}>
                  <a
                    class="certificate-link"
                    href={href}
                    download={`certificate-${props.id}-${i}.json`}
                  >
                    certificate-{props.id}-{i}.json
                  </a>
                </li>
              );
            })}
          </ul>
        )}
      </Loader>
    </div>
  );
}

function Disposal() {
  const t = useT();
  const plans = useLoad(() => op<Plan[]>('/api/operator/disposal/plans'), []);
  const [retire, setRetire] = useState('');
  const [running, setRunning] = useState<Record<string, boolean>>({});
  const base = (id: string) => `/api/operator/disposal/plans/${encodeURIComponent(id)}`;
  return (
    <Section title={t('disposal')} id="disposal">
      <Field label={t('retire')} name="retire" value={retire} onInput={setRetire} />
      <ActionButton
        label={t('draftPlan')}
        kind="primary"
        onRun={async () => {
          await api('/api/operator/disposal/plans', { role: 'operator', body: { retire } });
          plans.reload();
        }}
      />
      <Loader state={plans}>
        {(ps) => (
          <ul class="plain plans">
            {ps.map((p) => (
              <li key={p.id} class="plan card" data-plan={p.id}>
                <h3>
                  {p.id} {p.state ? <span class="tag">{p.state}</span> : null}
                </h3>
                <details>
                  <summary>{t('details')}</summary>
                  <DataView value={p} />
                </details>
                <div class="row">
                  <ActionButton
                    label={t('approve')}
                    onRun={async () => {
                      await api(`${base(p.id)}/approve`, { role: 'operator', body: {} });
                      plans.reload();
                    }}
                  />
                  <ActionButton
                    label={t('run')}
                    kind="primary"
                    onRun={async () => {
                      await api(`${base(p.id)}/run`, { role: 'operator', body: {} });
                      setRunning({ ...running, [p.id]: true });
                    }}
                  />
                  <ActionButton
                    label={t('progress')}
                    onRun={() => Promise.resolve(setRunning({ ...running, [p.id]: true }))}
                  />
                </div>
                <PlanProgress id={p.id} running={running[p.id] === true} />
                <HtmlDoc
                  path={`${base(p.id)}/report`}
                  title={t('report')}
                  file={`disposal-report-${p.id}.html`}
                />
                <HtmlDoc
                  path={`${base(p.id)}/notice`}
                  title={t('notice')}
                  file={`disposal-notice-${p.id}.html`}
                />
                <Certificates id={p.id} />
              </li>
            ))}
          </ul>
        )}
      </Loader>
    </Section>
  );
}

export function OperatorPage() {
  const t = useT();
  return (
    <RoleGate role="operator" title={t('operatorTitle')}>
      <Disposal />
      <Listing title="ruleSets" path="/api/operator/rule-sets" id="rule-sets" />
      <RiskAreasSection />
      <ReviewsSection />
      <PurposesSection />
      <Listing title="services" path="/api/operator/services" id="services" />
      <NoticesSection />
      <CampaignsSection />
    </RoleGate>
  );
}
