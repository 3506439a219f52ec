// SPDX-License-Identifier: Apache-2.0
/**
 * @module Human review of automated colour decisions in the operator console (PIPL art. 24
 * para. 3; DOMAIN.md §6 req. 8): the queue from `GET /api/operator/reviews` (filtered by status),
 * and for a pending review a decision — uphold, lift, quarantine or home observation, as
 * src/services/codes/review.ts `REVIEW_OUTCOMES` — sent to `POST /api/operator/reviews/:id/decision`.
 * The list carries pseudonymous ids only; the decision's inputs stay in the vault.
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, Loader, Section, useLoad } from '../components.js';
import { useT, type MessageKey } from '../i18n.js';

/** Mirrors src/services/codes/review.ts (the browser bundle does not import server code). */
const OUTCOMES = ['upheld', 'lifted', 'quarantine', 'home-observation'] as const;
const STATUSES = ['pending', 'upheld', 'changed'] as const;
type Outcome = (typeof OUTCOMES)[number];
type Status = (typeof STATUSES)[number];

interface Review {
  readonly id: string;
  readonly subjectId: string;
  readonly status: Status;
  readonly reason: 'correction' | 'objection';
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly reviewer: string | null;
  readonly outcome: Outcome | null;
}

const when = (iso: string) => new Date(iso).toLocaleString();

function Decision(props: { review: Review; onDone: () => void }) {
  const t = useT();
  const id = props.review.id;
  const [outcome, setOutcome] = useState<Outcome>('upheld');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  return (
    <form
      class="decision"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        const body = note.trim() === '' ? { outcome } : { outcome, note: note.trim() };
        api(`/api/operator/reviews/${encodeURIComponent(id)}/decision`, {
          role: 'operator',
          body,
        }).then(
          () => {
            setBusy(false);
            props.onDone();
          },
          (err: unknown) => {
            setBusy(false);
            setError(err);
          },
        );
      }}
    >
      <div class="field">
        <label for={`outcome-${id}`}>{t('outcome')}</label>
        <select
          id={`outcome-${id}`}
          name="outcome"
          value={outcome}
          onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}
        >
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`outcome.${o}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Field label={t('note')} name="note" maxLength={500} value={note} onInput={setNote} />
      <button type="submit" class="primary" disabled={busy}>
        {t('decide')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function ReviewsSection() {
  const t = useT();
  const [status, setStatus] = useState<Status | ''>('pending');
  const reviews = useLoad(
    () =>
      api<Review[]>(`/api/operator/reviews${status === '' ? '' : `?status=${status}`}`, {
        role: 'operator',
      }),
    [status],
  );
  return (
    <Section title={t('reviews')} id="reviews">
      <p class="muted">{t('reviewsHint')}</p>
      <div class="field">
        <label for="review-status">{t('status')}</label>
        <select
          id="review-status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as Status | '')}
        >
          <option value="">{t('all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`review.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Loader state={reviews}>
        {(rs) =>
          rs.length === 0 ? (
            <p class="muted">{t('noReviews')}</p>
          ) : (
            <ul class="plain reviews">
              {rs.map((r) => (
                <li key={r.id} class="review card" data-review={r.id} data-status={r.status}>
                  <h3>
                    {t(`reviewReason.${r.reason}` as MessageKey)}{' '}
                    <span class="tag">{t(`review.${r.status}` as MessageKey)}</span>
                  </h3>
                  <p class="muted">
                    <code>{r.id}</code> · {t('requestedAt')}{' '}
                    <time dateTime={r.requestedAt}>{when(r.requestedAt)}</time>
                    {r.outcome
                      ? ` · ${t('outcome')}: ${t(`outcome.${r.outcome}` as MessageKey)}`
                      : ''}
                  </p>
                  {r.status === 'pending' ? <Decision review={r} onDone={reviews.reload} /> : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loader>
    </Section>
  );
}
