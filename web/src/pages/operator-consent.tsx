// SPDX-License-Identifier: Apache-2.0
/**
 * @module The consent catalogue in the operator console, with its writes: repurposing campaigns
 * (propose one, see its numbers; PIPL arts. 14, 29), purposes (add one with its art. 13 basis,
 * retire one — its basis's window closes), and the notices (publish them for the current
 * catalogue; art. 17). The server enforces every rule (PIA first for sensitive data, art. 55);
 * these forms only collect the inputs and show its problem documents.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import {
  ActionButton,
  DataView,
  ErrorBox,
  Field,
  Loader,
  Section,
  useLoad,
} from '../components.js';
import { useT } from '../i18n.js';

const op = <T,>(path: string) => api<T>(path, { role: 'operator' });

/** Mirrors src/personal/consent/model.ts LEGAL_BASES (the browser bundle does not import server code). */
const BASES = ['13(1)', '13(2)', '13(3)', '13(4)', '13(5)', '13(6)', '13(7)'] as const;

interface Purpose {
  readonly id: string;
  readonly name: { zh: string; en: string };
  readonly legalBasis: string;
  readonly categories: readonly string[];
  readonly validTo: string | null;
}
interface Campaign {
  readonly id: string;
  readonly purposeId: string;
  readonly fromPurposes: readonly string[];
  readonly categories: readonly string[];
  readonly closedAt: string | null;
}

const list = (s: string) =>
  s
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A form that posts, shows the server's problem document on refusal, and reports success. */
function useSubmit(send: () => Promise<unknown>, done: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const onSubmit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    send().then(
      () => {
        setBusy(false);
        done();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return { busy, error, onSubmit };
}

function Report(props: { id: string }) {
  const t = useT();
  const r = useLoad(
    () => op<unknown>(`/api/operator/campaigns/${encodeURIComponent(props.id)}`),
    [props.id],
  );
  return (
    <details class="campaign-report">
      <summary>{t('campaignReport')}</summary>
      <Loader state={r}>{(d) => <DataView value={d} />}</Loader>
    </details>
  );
}

export function CampaignsSection() {
  const t = useT();
  const campaigns = useLoad(() => op<Campaign[]>('/api/operator/campaigns'), []);
  const [purpose, setPurpose] = useState('');
  const [from, setFrom] = useState('');
  const [categories, setCategories] = useState('');
  const [lang, setLang] = useState<'zh' | 'en'>('zh');
  const form = useSubmit(
    () =>
      api('/api/operator/campaigns', {
        role: 'operator',
        body: { purpose: purpose.trim(), from: list(from), categories: list(categories), lang },
      }),
    campaigns.reload,
  );
  return (
    <Section title={t('campaigns')} id="campaigns">
      <form class="propose-campaign" aria-label={t('proposeCampaign')} onSubmit={form.onSubmit}>
        <h3>{t('proposeCampaign')}</h3>
        <p class="muted">{t('proposeCampaignHint')}</p>
        <Field label={t('campaignPurpose')} name="purpose" value={purpose} onInput={setPurpose} />
        <Field
          label={t('campaignFrom')}
          name="from"
          hint={t('listHint')}
          value={from}
          onInput={setFrom}
        />
        <Field
          label={t('campaignCategories')}
          name="categories"
          hint={t('listHint')}
          value={categories}
          onInput={setCategories}
        />
        <div class="field">
          <label for="campaign-lang">{t('noticeLanguage')}</label>
          <select
            id="campaign-lang"
            value={lang}
            onChange={(e) => setLang(e.currentTarget.value as 'zh' | 'en')}
          >
            <option value="zh">中文</option>
            <option value="en">English</option>
          </select>
        </div>
        <button type="submit" class="primary" disabled={form.busy}>
          {t('propose')}
        </button>
        <ErrorBox error={form.error} />
      </form>
      <Loader state={campaigns}>
        {(cs) => (
          <ul class="plain campaigns">
            {cs.map((c) => (
              <li key={c.id} class="campaign card" data-campaign={c.id}>
                <h4>
                  {c.purposeId} ← {c.fromPurposes.join(', ')}{' '}
                  <span class="tag">{c.closedAt === null ? t('open') : t('closed')}</span>
                </h4>
                <p class="muted">
                  <code>{c.id}</code> · {c.categories.join(', ')}
                </p>
                <Report id={c.id} />
              </li>
            ))}
          </ul>
        )}
      </Loader>
    </Section>
  );
}

function AddPurpose(props: { onDone: () => void }) {
  const t = useT();
  const [v, setV] = useState({
    id: '',
    nameZh: '',
    nameEn: '',
    descZh: '',
    descEn: '',
    legalBasis: '13(1)',
    categories: '',
    retention: 'P1Y',
  });
  const set = (k: keyof typeof v) => (x: string) => setV({ ...v, [k]: x });
  const form = useSubmit(
    () =>
      api('/api/operator/purposes', {
        role: 'operator',
        body: {
          id: v.id.trim(),
          name: { zh: v.nameZh.trim(), en: v.nameEn.trim() },
          description: { zh: v.descZh.trim(), en: v.descEn.trim() },
          legalBasis: v.legalBasis,
          categories: list(v.categories),
          retention: v.retention.trim(),
        },
      }),
    props.onDone,
  );
  return (
    <form class="add-purpose" aria-label={t('addPurpose')} onSubmit={form.onSubmit}>
      <h3>{t('addPurpose')}</h3>
      <p class="muted">{t('addPurposeHint')}</p>
      <Field label={t('purposeId')} name="id" value={v.id} onInput={set('id')} maxLength={48} />
      <Field label={t('nameZh')} name="name-zh" value={v.nameZh} onInput={set('nameZh')} />
      <Field label={t('nameEn')} name="name-en" value={v.nameEn} onInput={set('nameEn')} />
      <Field
        label={t('descriptionZh')}
        name="description-zh"
        multiline
        value={v.descZh}
        onInput={set('descZh')}
      />
      <Field
        label={t('descriptionEn')}
        name="description-en"
        multiline
        value={v.descEn}
        onInput={set('descEn')}
      />
      <div class="field">
        <label for="purpose-basis">{t('legalBasis')}</label>
        <select
          id="purpose-basis"
          value={v.legalBasis}
          onChange={(e) => set('legalBasis')(e.currentTarget.value)}
        >
          {BASES.map((b) => (
            <option key={b} value={b}>
              PIPL {b}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={t('campaignCategories')}
        name="purpose-categories"
        hint={t('listHint')}
        value={v.categories}
        onInput={set('categories')}
      />
      <Field
        label={t('retention')}
        name="retention"
        hint={t('retentionHint')}
        value={v.retention}
        onInput={set('retention')}
      />
      <button type="submit" class="primary" disabled={form.busy}>
        {t('addPurpose')}
      </button>
      <ErrorBox error={form.error} />
    </form>
  );
}

export function PurposesSection() {
  const t = useT();
  const purposes = useLoad(() => op<Purpose[]>('/api/operator/purposes'), []);
  return (
    <Section title={t('purposes')} id="purposes">
      <Loader state={purposes}>
        {(ps) => (
          <ul class="plain purposes">
            {ps.map((p) => (
              <li key={p.id} class="purpose card" data-purpose={p.id}>
                <h4>
                  {p.id} · PIPL {p.legalBasis}{' '}
                  <span class="tag">{p.validTo === null ? t('active') : t('retired')}</span>
                </h4>
                <p class="muted">{p.categories.join(', ')}</p>
                {p.validTo === null ? (
                  <ActionButton
                    label={`${t('retirePurpose')} ${p.id}`}
                    onRun={async () => {
                      await api(`/api/operator/purposes/${encodeURIComponent(p.id)}/retire`, {
                        role: 'operator',
                        method: 'POST',
                      });
                      purposes.reload();
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loader>
      <AddPurpose onDone={purposes.reload} />
    </Section>
  );
}

export function NoticesSection() {
  const t = useT();
  const notices = useLoad(() => op<unknown>('/api/operator/notices'), []);
  return (
    <Section title={t('notices')} id="notices">
      <p class="muted">{t('publishNoticesHint')}</p>
      <ActionButton
        label={t('publishNotices')}
        kind="primary"
        onRun={async () => {
          await api('/api/operator/notices', { role: 'operator', body: {} });
          notices.reload();
        }}
      />
      <Loader state={notices}>{(d) => <DataView value={d} />}</Loader>
    </Section>
  );
}
