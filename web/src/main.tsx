// SPDX-License-Identifier: Apache-2.0
/**
 * @module The web UI's shell (issue 10 §4; DESIGN.md §9): path routing under `/ui/`, a skip link,
 * the language switch (Chinese by default), and pages loaded on demand so the citizen portal's
 * first load stays small. Registers the service worker that keeps the verifier working offline.
 */
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LangContext, initialLang, translate, type Lang, type MessageKey } from './i18n.js';
import { BASE, navigate, pageFromPath } from './router.js';
import './styles.css';

const PAGES: Record<string, { nav: MessageKey; load: () => Promise<ComponentType> }> = {
  '': { nav: 'navHome', load: () => import('./pages/home.js').then((m) => m.HomePage) },
  citizen: {
    nav: 'navCitizen',
    load: () => import('./pages/citizen.js').then((m) => m.CitizenPage),
  },
  verify: {
    nav: 'navVerifier',
    load: () => import('./pages/verifier.js').then((m) => m.VerifierPage),
  },
  operator: {
    nav: 'navOperator',
    load: () => import('./pages/operator.js').then((m) => m.OperatorPage),
  },
  analyst: {
    nav: 'navAnalyst',
    load: () => import('./pages/analyst.js').then((m) => m.AnalystPage),
  },
  auditor: {
    nav: 'navAuditor',
    load: () => import('./pages/auditor.js').then((m) => m.AuditorPage),
  },
};

const currentPage = (): string => pageFromPath(location.pathname, Object.keys(PAGES));

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [page, setPage] = useState(currentPage);
  const [Page, setPageComponent] = useState<ComponentType | undefined>(undefined);
  const [online, setOnline] = useState(navigator.onLine);
  const t = (k: MessageKey) => translate(lang, k);

  useEffect(() => {
    const onPop = () => setPage(currentPage());
    const onNet = () => setOnline(navigator.onLine);
    addEventListener('popstate', onPop);
    addEventListener('online', onNet);
    addEventListener('offline', onNet);
    return () => {
      removeEventListener('popstate', onPop);
      removeEventListener('online', onNet);
      removeEventListener('offline', onNet);
    };
  }, []);
  // Only a page change loads (and mounts) a page: switching language re-renders the same page,
  // so what the person typed in a form survives the switch.
  useEffect(() => {
    let live = true;
    setPageComponent(undefined);
    void PAGES[page].load().then((C) => live && setPageComponent(() => C));
    return () => {
      live = false;
    };
  }, [page]);
  useEffect(() => {
    document.title = `${t(PAGES[page].nav)} · ${t('appName')}`;
  }, [page, lang]);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    localStorage.setItem('healthcode.lang', lang);
  }, [lang]);

  return (
    <LangContext.Provider value={lang}>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <span class="brand">{t('appName')}</span>
        <nav aria-label="main">
          <ul>
            {Object.entries(PAGES).map(([name, p]) => (
              <li key={name}>
                <a
                  href={BASE + name}
                  aria-current={name === page ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(name);
                  }}
                >
                  {t(p.nav)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class={online ? 'net on' : 'net off'} role="status">
          {online ? t('online') : t('offline')}
        </span>
        <button
          type="button"
          class="lang"
          lang={lang === 'zh' ? 'en' : 'zh-CN'}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t('language')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {Page ? <Page /> : <p aria-busy="true">{t('loading')}</p>}
      </main>
    </LangContext.Provider>
  );
}

const root = document.getElementById('app');
if (root) {
  render(<App />, root);
}

if ('serviceWorker' in navigator) {
  // The worker precaches the app shell and every chunk, so the verifier runs with the network off.
  void navigator.serviceWorker.register(`${BASE}sw.js`, { scope: BASE }).catch(() => undefined);
}
