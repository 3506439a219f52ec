// SPDX-License-Identifier: Apache-2.0
/**
 * @module Dependants in the citizen portal: a guardian holds and shows the codes of the children
 * in their care (PIPL art. 31: a minor under 14's data is handled with the guardian's consent;
 * DOMAIN.md §6). The list comes from `GET /api/citizen/dependants`, each code from
 * `GET /api/citizen/code?for=SUBJECT`; each code refreshes before it expires and prints alone.
 */
import { useRef } from 'preact/hooks';
import { api } from '../api.js';
import { Loader, Section, useLoad, type Loaded } from '../components.js';
import { useT } from '../i18n.js';
import { CodeBlock, printOnly, useRefreshingCode } from './citizen-code.js';

export interface Dependant {
  readonly subject: string;
  readonly maskedName: string;
}

/** The signed-in person's dependants (loaded once for the list and the declaration form). */
export function useDependants(): Loaded<Dependant[]> {
  return useLoad(
    () =>
      api<{ dependants: Dependant[] }>('/api/citizen/dependants', { role: 'citizen' }).then(
        (r) => r.dependants,
      ),
    [],
  );
}

function DependantCode(props: { dependant: Dependant; version: number }) {
  const t = useT();
  const { subject, maskedName } = props.dependant;
  const box = useRef<HTMLDivElement>(null);
  const code = useRefreshingCode(
    `/api/citizen/code?for=${encodeURIComponent(subject)}`,
    props.version,
  );
  return (
    <div class="dependant" data-subject={subject} ref={box}>
      <h3>{maskedName}</h3>
      <Loader state={code}>
        {(c) => (
          <>
            <CodeBlock code={c} />
            <div class="no-print">
              <button type="button" onClick={() => printOnly(box.current)}>
                {t('printThisCode')}
                <span class="sr-only"> · {maskedName}</span>
              </button>
            </div>
          </>
        )}
      </Loader>
    </div>
  );
}

export function DependantsSection(props: { dependants: Loaded<Dependant[]>; version: number }) {
  const t = useT();
  return (
    <Section title={t('dependants')} id="dependants">
      <p class="muted no-print">{t('dependantsHint')}</p>
      <Loader state={props.dependants}>
        {(ds) =>
          ds.length === 0 ? (
            <p class="muted">{t('none')}</p>
          ) : (
            <div class="grid">
              {ds.map((d) => (
                <DependantCode key={d.subject} dependant={d} version={props.version} />
              ))}
            </div>
          )
        }
      </Loader>
    </Section>
  );
}
