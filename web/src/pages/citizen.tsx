// SPDX-License-Identifier: Apache-2.0
/**
 * @module The citizen portal (DOMAIN.md §6; PIPL arts. 44–47): one-time-code login, then the code
 * (QR, colour, masked name, refreshed before it expires, printable), dependants, declarations, my
 * data, consents, requests, trip card and proof of deletion. In `--demo` the synthetic residents
 * and the demo outbox are shown under a banner; a real instance answers those routes 404.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, getToken, setToken } from '../api.js';
import { ActionButton, ErrorBox, Field, Section, useLoad } from '../components.js';
import { useT } from '../i18n.js';
import { CodeCard } from './citizen-code.js';
import { DeclareSection } from './citizen-declare.js';
import { DependantsSection, useDependants } from './citizen-dependants.js';
import {
  ConsentsSection,
  DataSection,
  ProofSection,
  RequestsSection,
  TripCardSection,
} from './citizen-sections.js';

interface DemoResident {
  phone: string;
  maskedName: string;
}
interface DemoOtp {
  phone: string;
  code: string;
  expiresAt: string;
}

/**
 * Demo-only lists: `undefined` when the server is not a demo (404). Accepts a bare array or the
 * labelled form `{ label, <key>: [...] }` the server writes.
 */
async function demo<T>(path: string, key: string): Promise<T[] | undefined> {
  try {
    const r = await api<unknown>(path);
    if (Array.isArray(r)) {
      return r as T[];
    }
    const inner = (r as Record<string, unknown> | null)?.[key];
    return Array.isArray(inner) ? (inner as T[]) : [];
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      return undefined;
    }
    throw e;
  }
}

function Login(props: { onSignedIn: () => void }) {
  const t = useT();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const residents = useLoad(() => demo<DemoResident>('/api/demo/residents', 'residents'), []);
  const initialOtps = useLoad(() => demo<DemoOtp>('/api/demo/otps', 'codes'), []);
  const [fresh, setOtps] = useState<DemoOtp[] | undefined>(undefined);
  const otps = fresh ?? initialOtps.data;

  const isDemo = residents.data !== undefined || initialOtps.data !== undefined;
  const send = async () => {
    await api('/api/citizen/otp', { body: { phone } });
    setSent(true);
    if (isDemo) {
      setOtps(await demo<DemoOtp>('/api/demo/otps', 'codes'));
    }
  };
  const signIn = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<{ token: string }>('/api/citizen/login', { body: { phone, code } });
      setToken('citizen', r.token);
      props.onSignedIn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title={t('signIn')} id="login">
      {isDemo ? (
        <div class="banner" role="note">
          <strong>{t('demoBanner')}</strong>
          {residents.data ? <h3>{t('demoResidents')}</h3> : null}
          <ul class="chips">
            {(residents.data ?? []).map((r) => (
              <li key={r.phone}>
                <button
                  type="button"
                  class="chip"
                  data-phone={r.phone}
                  onClick={() => setPhone(r.phone)}
                >
                  {r.maskedName} · {r.phone}
                </button>
              </li>
            ))}
          </ul>
          {otps && otps.length > 0 ? (
            <>
              <h3>{t('demoOtps')}</h3>
              <ul class="otps">
                {otps.map((o) => (
                  <li key={o.phone + o.code}>
                    {o.phone}:{' '}
                    <code class="demo-otp" data-phone={o.phone}>
                      {o.code}
                    </code>{' '}
                    <button type="button" class="chip" onClick={() => setCode(o.code)}>
                      {t('use')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={residents.error} />
      <form onSubmit={(e) => void signIn(e)}>
        <Field
          label={t('phone')}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          onInput={setPhone}
        />
        <ActionButton label={t('sendCode')} onRun={send} />
        {sent ? <p role="status">{t('codeSent')}</p> : null}
        <Field
          label={t('otp')}
          name="otp"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onInput={setCode}
        />
        <button type="submit" class="primary">
          {t('signIn')}
        </button>
        <ErrorBox error={error} />
      </form>
    </Section>
  );
}

/** The signed-in portal; `version` bumps after a declaration so every shown code reloads. */
function Portal(props: { onSignOut: () => void }) {
  const t = useT();
  const [version, setVersion] = useState(0);
  const dependants = useDependants();
  return (
    <div>
      <div class="row">
        <h1>{t('navCitizen')}</h1>
        <button type="button" onClick={props.onSignOut}>
          {t('signOut')}
        </button>
      </div>
      <CodeCard version={version} />
      <DependantsSection dependants={dependants} version={version} />
      <DeclareSection dependants={dependants.data} onDeclared={() => setVersion((v) => v + 1)} />
      <DataSection version={version} />
      <ConsentsSection />
      <RequestsSection />
      <TripCardSection />
      <ProofSection />
    </div>
  );
}

export function CitizenPage() {
  const t = useT();
  const [signedIn, setSignedIn] = useState(getToken('citizen') !== undefined);
  if (!signedIn) {
    return (
      <div>
        <h1>{t('navCitizen')}</h1>
        <Login onSignedIn={() => setSignedIn(true)} />
        <TripCardSection />
        <ProofSection />
      </div>
    );
  }
  return (
    <Portal
      onSignOut={() => {
        // End the session on the server too; sign out locally whatever it answers.
        void api('/api/citizen/logout', { role: 'citizen', method: 'POST' })
          .catch(() => undefined)
          .finally(() => {
            setToken('citizen', undefined);
            setSignedIn(false);
          });
      }}
    />
  );
}
