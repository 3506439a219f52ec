// SPDX-License-Identifier: Apache-2.0
/**
 * @module The health declaration form (GB/T 38962 declaration items; DOMAIN.md §1.5): temperature,
 * symptoms and itinerary for oneself or a dependant, checked in the page (lib/declaration.ts),
 * sent to `POST /api/citizen/declarations`, and answered with the new colour and the rules that
 * fired and why (PIPL art. 24: a person may ask how an automated decision was reached). Every
 * control has a label, groups have a legend, problems are tied to their fields (WCAG 3.3.1).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, Section } from '../components.js';
import { isMessageKey, useT, type MessageKey } from '../i18n.js';
import {
  EMPTY_STAY,
  SYMPTOMS,
  checkDeclaration,
  toggleSymptom,
  type FieldProblem,
  type StayDraft,
  type Symptom,
} from '../lib/declaration.js';
import { localDay } from '../lib/risk-areas.js';
import type { CodeView } from './citizen-code.js';
import type { Dependant } from './citizen-dependants.js';

interface Fired {
  readonly rule: string;
  readonly colour: CodeView['colour'];
  readonly reason: string;
}
interface DeclarationAnswer {
  readonly colour: CodeView['colour'];
  readonly validUntil: string;
  readonly fired: readonly Fired[];
}

function StayRow(props: {
  index: number;
  stay: StayDraft;
  problem: (field: string) => string | undefined;
  onChange: (s: StayDraft) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const { index: i, stay } = props;
  const n = i + 1;
  return (
    <fieldset class="stay" data-stay={i}>
      <legend>
        {t('stay')} {n}
      </legend>
      <Field
        label={t('region')}
        name={`stay-${i}-region`}
        inputMode="numeric"
        maxLength={6}
        hint={t('regionHint')}
        value={stay.region}
        error={props.problem(`stay-${i}-region`)}
        onInput={(region) => props.onChange({ ...stay, region })}
      />
      <div class="row dates">
        <Field
          label={t('fromDate')}
          name={`stay-${i}-from`}
          type="date"
          value={stay.from}
          error={props.problem(`stay-${i}-dates`)}
          onInput={(from) => props.onChange({ ...stay, from })}
        />
        <Field
          label={t('toDate')}
          name={`stay-${i}-to`}
          type="date"
          value={stay.to}
          onInput={(to) => props.onChange({ ...stay, to })}
        />
      </div>
      <button type="button" onClick={props.onRemove}>
        {t('removeStay')}
        <span class="sr-only"> {n}</span>
      </button>
    </fieldset>
  );
}

function Result(props: { answer: DeclarationAnswer }) {
  const t = useT();
  const a = props.answer;
  const reason = (f: Fired) => {
    const key = `rule.${f.rule}`;
    return isMessageKey(key) ? t(key) : f.reason;
  };
  return (
    <div class={`declare-result colour-${a.colour}`} data-colour={a.colour} role="status">
      <h3>{t('declareResult')}</h3>
      <p>
        <span class="colour-name">{t(a.colour)}</span> · {t('validUntil')}{' '}
        <time dateTime={a.validUntil}>{new Date(a.validUntil).toLocaleString()}</time>
      </p>
      <h4>{t('firedRules')}</h4>
      {a.fired.length === 0 ? (
        <p class="muted">{t('noRuleFired')}</p>
      ) : (
        <ul class="fired">
          {a.fired.map((f) => (
            <li key={f.rule} data-rule={f.rule} data-colour={f.colour}>
              <strong>{t(f.colour)}</strong> · {reason(f)} <code>{f.rule}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DeclareSection(props: {
  dependants: readonly Dependant[] | undefined;
  onDeclared: () => void;
}) {
  const t = useT();
  const [forWho, setFor] = useState('');
  const [temperature, setTemperature] = useState('');
  const [symptoms, setSymptoms] = useState<Symptom[]>([]);
  const [itinerary, setItinerary] = useState<StayDraft[]>([EMPTY_STAY]);
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [answer, setAnswer] = useState<DeclarationAnswer | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const problem = (field: string) => {
    const p = problems.find((x) => x.field === field);
    return p ? t(p.message) : undefined;
  };
  const deps = props.dependants ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const check = checkDeclaration(
      { temperature, symptoms, itinerary, for: forWho },
      localDay(Date.now()),
    );
    if (!check.ok) {
      setProblems(check.problems);
      setAnswer(undefined);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      setAnswer(
        await api<DeclarationAnswer>('/api/citizen/declarations', {
          role: 'citizen',
          body: check.body,
        }),
      );
      setTemperature('');
      setSymptoms([]);
      setItinerary([EMPTY_STAY]);
      props.onDeclared();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('declare')} id="declare">
      <form noValidate onSubmit={(e) => void submit(e)}>
        {deps.length > 0 ? (
          <div class="field">
            <label for="declare-for">{t('declareFor')}</label>
            <select id="declare-for" value={forWho} onChange={(e) => setFor(e.currentTarget.value)}>
              <option value="">{t('myself')}</option>
              {deps.map((d) => (
                <option key={d.subject} value={d.subject}>
                  {d.maskedName}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Field
          label={t('temperature')}
          name="temperature"
          inputMode="decimal"
          hint={t('temperatureHint')}
          value={temperature}
          error={problem('temperature')}
          onInput={setTemperature}
        />
        <fieldset class="symptoms">
          <legend>{t('symptomsLegend')}</legend>
          {SYMPTOMS.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                name="symptom"
                value={s}
                checked={symptoms.includes(s)}
                onChange={() => setSymptoms(toggleSymptom(symptoms, s))}
              />{' '}
              {t(`sym.${s}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <fieldset class="itinerary">
          <legend>{t('itineraryLegend')}</legend>
          {itinerary.map((stay, i) => (
            <StayRow
              key={i}
              index={i}
              stay={stay}
              problem={problem}
              onChange={(s) => setItinerary(itinerary.map((x, j) => (j === i ? s : x)))}
              onRemove={() => setItinerary(itinerary.filter((_, j) => j !== i))}
            />
          ))}
          <button type="button" onClick={() => setItinerary([...itinerary, EMPTY_STAY])}>
            {t('addStay')}
          </button>
        </fieldset>
        {problems.length > 0 ? (
          <div class="problems" role="alert">
            {t('fixErrors')}
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{t(p.message)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('submit')}
        </button>
        <ErrorBox error={error} />
      </form>
      {answer ? <Result answer={answer} /> : null}
    </Section>
  );
}
