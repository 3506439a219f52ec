// SPDX-License-Identifier: Apache-2.0
/** @module The landing page: what this is and where each role goes. */
import { useT } from '../i18n.js';
import { BASE } from '../router.js';

export function HomePage() {
  const t = useT();
  const links: Array<[string, Parameters<typeof t>[0]]> = [
    ['citizen', 'navCitizen'],
    ['verify', 'navVerifier'],
    ['operator', 'navOperator'],
    ['analyst', 'navAnalyst'],
    ['auditor', 'navAuditor'],
  ];
  return (
    <div>
      <h1>{t('appName')}</h1>
      <p>{t('homeIntro')}</p>
      <ul class="tiles">
        {links.map(([p, k]) => (
          <li key={p}>
            <a href={BASE + p}>{t(k)}</a>
          </li>
        ))}
      </ul>
      <p>
        <a href="/docs">API (OpenAPI)</a> · <a href="/">status</a>
      </p>
    </div>
  );
}
