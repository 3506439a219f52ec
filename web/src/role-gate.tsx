// SPDX-License-Identifier: Apache-2.0
/** @module Sign-in for staff roles: paste the bearer token an administrator issued (`healthcode token create`). */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { getToken, setToken, type Role } from './api.js';
import { Field, Section } from './components.js';
import { useT } from './i18n.js';

export function RoleGate(props: { role: Role; title: string; children: ComponentChildren }) {
  const t = useT();
  const [token, setTok] = useState(getToken(props.role));
  const [draft, setDraft] = useState('');
  if (!token) {
    return (
      <div>
        <h1>{props.title}</h1>
        <Section title={t('signIn')} id="role-login">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setToken(props.role, draft.trim());
              setTok(draft.trim());
            }}
          >
            <Field
              label={t('roleToken')}
              name="role-token"
              type="password"
              hint={t('roleTokenHint')}
              value={draft}
              onInput={setDraft}
            />
            <button type="submit" class="primary">
              {t('signIn')}
            </button>
          </form>
        </Section>
      </div>
    );
  }
  return (
    <div>
      <div class="row">
        <h1>{props.title}</h1>
        <button
          type="button"
          onClick={() => {
            setToken(props.role, undefined);
            setTok(undefined);
          }}
        >
          {t('signOut')}
        </button>
      </div>
      {props.children}
    </div>
  );
}
