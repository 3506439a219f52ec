// SPDX-License-Identifier: Apache-2.0
/**
 * @module The citizen portal's sections after the code and the declaration form: my data in its
 * four groups (PIPL art. 45), consents with their
 * signed receipts (art. 14–15), requests with due dates and export downloads (arts. 44–47, 50),
 * the trip card, and proof of deletion checked against the audit log.
 */
import { useState } from 'preact/hooks';
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
import { isMessageKey, useT, type MessageKey } from '../i18n.js';

const list = (s: string) =>
  s
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

const GROUPS: Array<[string, MessageKey]> = [
  ['basic', 'groupBasic'],
  ['health', 'groupHealth'],
  ['itinerary', 'groupItinerary'],
  ['code', 'groupCode'],
];

const sizeOf = (v: unknown): number =>
  Array.isArray(v) ? v.length : typeof v === 'object' && v !== null ? Object.keys(v).length : 0;

/**
 * One group of my data, folded until opened and only then rendered: a resident's itinerary and
 * code history run to thousands of rows, which would make the portal slow to open and to print.
 */
function DataGroup(props: { title: string; value: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="group" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h3 class="inline">{props.title}</h3> ({sizeOf(props.value)})
      </summary>
      {open ? <DataView value={props.value} /> : null}
    </details>
  );
}

/** `version` bumps after a declaration, which adds to the health and itinerary groups. */
export function DataSection(props: { version?: number }) {
  const t = useT();
  const data = useLoad(
    () => api<{ groups: Record<string, unknown> }>('/api/citizen/data', { role: 'citizen' }),
    [props.version],
  );
  return (
    <Section title={t('myData')} id="data">
      <Loader state={data}>
        {(d) => (
          <div>
            {GROUPS.map(([g, label]) => (
              <DataGroup key={g} title={t(label)} value={d.groups[g]} />
            ))}
          </div>
        )}
      </Loader>
    </Section>
  );
}

interface ConsentRow {
  purposeId: string;
  category: string;
  status: string;
  grantedAt: string | null;
  withdrawnAt: string | null;
  separate?: boolean;
  byGuardian?: boolean;
}
interface ConsentsAnswer {
  consents: ConsentRow[];
  receipts: Array<{ id: string; issuedAt: string; token: string }>;
}
interface Notice {
  kind: string;
  language: string;
  version: number | string;
  hash: string;
}

/** The hash of the privacy policy the person is shown now: consent is given to that text (PIPL art. 14). */
async function currentPolicyHash(lang: string): Promise<string> {
  const notices = await api<Notice[]>(`/api/notices/current?lang=${lang}`);
  const policy = notices.find((n) => /privacy/.test(n.kind)) ?? notices[0];
  if (!policy) {
    throw new Error('no current privacy policy');
  }
  return policy.hash;
}

export function ConsentsSection() {
  const t = useT();
  const consents = useLoad(
    () => api<ConsentsAnswer>('/api/citizen/consents', { role: 'citizen' }),
    [],
  );
  const [purpose, setPurpose] = useState('');
  const [categories, setCategories] = useState('');
  const [receipt, setReceipt] = useState<unknown>(undefined);
  const lang = document.documentElement.lang.startsWith('en') ? 'en' : 'zh';
  return (
    <Section title={t('consents')} id="consents">
      <Loader state={consents}>
        {(cs) => (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('purpose')}</th>
                  <th scope="col">{t('categories')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('withdraw')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {cs.consents.map((c) => (
                  <tr key={`${c.purposeId}/${c.category}`}>
                    <td>{c.purposeId}</td>
                    <td>{c.category}</td>
                    <td>{c.status}</td>
                    <td>
                      {c.status === 'granted' ? (
                        <ActionButton
                          label={t('withdraw')}
                          onRun={async () => {
                            setReceipt(
                              await api('/api/citizen/consents/withdraw', {
                                role: 'citizen',
                                body: { purpose: c.purposeId, categories: [c.category] },
                              }),
                            );
                            consents.reload();
                          }}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('receipt')}</h3>
            <ul class="plain">
              {cs.receipts.map((r) => (
                <li key={r.id}>
                  <code>{r.id}</code> ·{' '}
                  <time dateTime={r.issuedAt}>{new Date(r.issuedAt).toLocaleString()}</time>
                </li>
              ))}
            </ul>
          </div>
        )}
      </Loader>
      <h3>{t('grant')}</h3>
      <Field label={t('purpose')} name="consent-purpose" value={purpose} onInput={setPurpose} />
      <Field
        label={t('categories')}
        name="consent-categories"
        value={categories}
        onInput={setCategories}
      />
      <ActionButton
        label={t('grant')}
        onRun={async () => {
          const noticeHash = await currentPolicyHash(lang);
          setReceipt(
            await api('/api/citizen/consents', {
              role: 'citizen',
              body: { purpose, categories: list(categories), noticeHash },
            }),
          );
          consents.reload();
        }}
      />
      {receipt !== undefined ? (
        <details open>
          <summary>{t('receipt')}</summary>
          <DataView value={receipt} />
        </details>
      ) : null}
    </Section>
  );
}

const REQUEST_TYPES = [
  'access',
  'copy',
  'portability',
  'correction',
  'deletion',
  'withdrawal',
  'explanation',
];

interface RightsRequest {
  id: string;
  type: string;
  state: string;
  openedAt: string;
  dueAt: string;
  overdue?: boolean;
}

export function RequestsSection() {
  const t = useT();
  const reqs = useLoad(
    () => api<RightsRequest[]>('/api/citizen/requests', { role: 'citizen' }),
    [],
  );
  const [type, setType] = useState('access');
  const requestLabel = (x: string) => {
    const key = `req.${x}`;
    return isMessageKey(key) ? t(key) : x;
  };
  const [purpose, setPurpose] = useState('');
  const exportLink = (r: RightsRequest, format: 'json' | 'csv') =>
    download(
      `/api/citizen/requests/${encodeURIComponent(r.id)}/export?format=${format}`,
      'citizen',
      `export-${r.id}.${format}`,
    );
  return (
    <Section title={t('requests')} id="requests">
      <Loader state={reqs}>
        {(rs) => (
          <ul class="plain">
            {rs.map((r) => (
              <li key={r.id} class="req">
                <strong>{requestLabel(r.type)}</strong> · {r.state}
                {r.overdue ? ` · ${t('overdue')}` : ''} · {t('dueAt')}{' '}
                <time dateTime={r.dueAt}>{new Date(r.dueAt).toLocaleDateString()}</time>{' '}
                {['access', 'copy', 'portability'].includes(r.type) && r.state === 'completed' ? (
                  <>
                    <ActionButton label={t('exportJson')} onRun={() => exportLink(r, 'json')} />
                    {r.type !== 'portability' ? (
                      <ActionButton label={t('exportCsv')} onRun={() => exportLink(r, 'csv')} />
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loader>
      <div class="field">
        <label for="request-type">{t('requestType')}</label>
        <select id="request-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {REQUEST_TYPES.map((x) => (
            <option key={x} value={x}>
              {requestLabel(x)}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={`${t('purpose')} (${t('details')})`}
        name="request-purpose"
        value={purpose}
        onInput={setPurpose}
      />
      <ActionButton
        label={t('openRequest')}
        kind="primary"
        onRun={async () => {
          await api('/api/citizen/requests', {
            role: 'citizen',
            body: purpose ? { type, purpose } : { type },
          });
          reqs.reload();
        }}
      />
    </Section>
  );
}

/**
 * The trip card (通信行程卡): public, by phone and a one-time code, no account — the cities the
 * carrier saw in the last 14 days, with their risk.
 */
export function TripCardSection() {
  const t = useT();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [cities, setCities] = useState<unknown[] | undefined>(undefined);
  return (
    <Section title={t('tripCard')} id="tripcard">
      <Field
        label={t('tripPhone')}
        name="tripcard-phone"
        type="tel"
        inputMode="tel"
        value={phone}
        onInput={setPhone}
      />
      <ActionButton
        label={t('tripSendCode')}
        onRun={async () => {
          await api('/api/tripcard/code', { body: { phone } });
          setSent(true);
        }}
      />
      {sent ? <p role="status">{t('codeSent')}</p> : null}
      <Field
        label={t('tripOtp')}
        name="tripcard-code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onInput={setCode}
      />
      <ActionButton
        label={t('tripCard')}
        kind="primary"
        onRun={async () => {
          const r = await api<{ cities: unknown[] }>('/api/tripcard/itinerary', {
            body: { phone, code },
          });
          setCities(r.cities);
        }}
      />
      {cities !== undefined ? <DataView value={cities} /> : null}
    </Section>
  );
}

interface CertVerdict {
  valid: boolean;
  reason?: string;
  leafIndex?: number;
  treeSize?: number;
}

export function ProofSection() {
  const t = useT();
  const [verdict, setVerdict] = useState<CertVerdict | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const onFile = async (file: File) => {
    setVerdict(undefined);
    setError(undefined);
    try {
      const text = await file.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: send the text as it is; the server decides.
      }
      // A bundle (certificate + inclusion proof, `healthcode/audit-inclusion/v1`) goes as
      // `{ bundle }`, a bare certificate as `{ certificate }` (docs/api.md).
      const isBundle =
        typeof parsed === 'object' &&
        parsed !== null &&
        'format' in parsed &&
        'certificate' in parsed;
      setVerdict(
        await api<CertVerdict>('/api/certificates/verify', {
          body: isBundle ? { bundle: parsed } : { certificate: parsed },
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('proofOfDeletion')} id="proof">
      <p>{t('proofHint')}</p>
      <div class="field">
        <label for="certificate-file">{t('certificateFile')}</label>
        <input
          id="certificate-file"
          type="file"
          accept=".json,application/json,text/plain"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) {
              void onFile(f);
            }
          }}
        />
      </div>
      <ErrorBox error={error} />
      {verdict ? (
        <p
          class={verdict.valid ? 'verdict ok' : 'verdict bad'}
          role="status"
          data-valid={String(verdict.valid)}
        >
          <strong>{verdict.valid ? t('valid') : t('invalid')}</strong>
          {verdict.reason ? ` · ${t('reason')}: ${verdict.reason}` : ''}
          {verdict.leafIndex !== undefined
            ? ` · ${t('leafIndex')} ${verdict.leafIndex} / ${t('treeSize')} ${verdict.treeSize ?? '?'}`
            : ''}
        </p>
      ) : null}
    </Section>
  );
}
