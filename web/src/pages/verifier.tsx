// SPDX-License-Identifier: Apache-2.0
/**
 * @module The verifier page (验码, DOMAIN.md §6 req. 7): scan with the camera (getUserMedia +
 * jsQR) or paste, and verify OFFLINE in this browser against the signed trust list cached on the
 * device (the anchor is pinned on first use). It shows colour, validity and masked name only, and
 * sends nothing anywhere: no scan is recorded.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, Field, Section } from '../components.js';
import { useT } from '../i18n.js';
import { parseBrowserTrustList, type BrowserTrustList } from '../lib/trust-list.js';
import { verifyTokenOffline, type BrowserVerdict } from '../lib/token-verify.js';

const LIST_KEY = 'healthcode.trust-list';
const ANCHOR_KEY = 'healthcode.trust-anchor';

function cachedList(): BrowserTrustList | undefined {
  const text = localStorage.getItem(LIST_KEY);
  if (!text) {
    return undefined;
  }
  try {
    return parseBrowserTrustList(text, localStorage.getItem(ANCHOR_KEY) ?? undefined);
  } catch {
    return undefined;
  }
}

/** Fetches the list, checks it against the pinned anchor, and caches it only if it verifies. */
async function refreshList(): Promise<BrowserTrustList> {
  const text = await api<string>('/api/trust-list', { text: true });
  const pinned = localStorage.getItem(ANCHOR_KEY) ?? undefined;
  const list = parseBrowserTrustList(text, pinned);
  localStorage.setItem(LIST_KEY, text);
  localStorage.setItem(ANCHOR_KEY, list.anchorKid);
  return list;
}

function Camera(props: { onToken: (text: string) => void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    if (!on) {
      return;
    }
    let stream: MediaStream | undefined;
    let frame = 0;
    let live = true;
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    void (async () => {
      try {
        const { default: jsQR } = await import('jsqr');
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
        });
        const v = video.current;
        if (!v || !live) {
          return;
        }
        v.srcObject = stream;
        await v.play();
        const tick = () => {
          if (!live || !ctx) {
            return;
          }
          if (v.videoWidth > 0) {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            ctx.drawImage(v, 0, 0);
            const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            const found = jsQR(img.data, img.width, img.height, {
              inversionAttempts: 'dontInvert',
            });
            if (found?.data.startsWith('HCN1:')) {
              props.onToken(found.data);
              setOn(false);
              return;
            }
          }
          frame = requestAnimationFrame(tick);
        };
        frame = requestAnimationFrame(tick);
      } catch {
        setError(new Error(t('cameraUnavailable')));
        setOn(false);
      }
    })();
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [on]);
  return (
    <div>
      <button type="button" onClick={() => setOn(!on)} aria-pressed={on}>
        {on ? t('stopCamera') : t('startCamera')}
      </button>
      {on ? (
        <video ref={video} class="camera" muted playsInline aria-label={t('startCamera')} />
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}

export function VerifierPage() {
  const t = useT();
  const [list, setList] = useState<BrowserTrustList | undefined>(cachedList);
  const [listError, setListError] = useState<unknown>(undefined);
  const [text, setText] = useState('');
  const [verdict, setVerdict] = useState<BrowserVerdict | undefined>(undefined);

  const refresh = () => {
    setListError(undefined);
    refreshList().then(setList, (e: unknown) => {
      // Offline or server trouble: keep using the cached list.
      if (!list) {
        setListError(e);
      }
    });
  };
  useEffect(() => {
    if (navigator.onLine) {
      refresh();
    }
  }, []);

  const check = async (token: string) => {
    if (!list) {
      return;
    }
    setVerdict(await verifyTokenOffline(token, list, new Date()));
  };

  return (
    <div>
      <h1>{t('verifierTitle')}</h1>
      <p>{t('verifierHint')}</p>
      <Section title={t('trustList')} id="trust">
        {list ? (
          <p id="trust-status" data-ready="true">
            {t('trustListCached')}{' '}
            <time dateTime={new Date(list.expiresAt * 1000).toISOString()}>
              {new Date(list.expiresAt * 1000).toLocaleString()}
            </time>{' '}
            · anchor <code>{list.anchorKid}</code> · {list.keys.size} key(s)
          </p>
        ) : (
          <p id="trust-status" data-ready="false">
            {t('trustListMissing')}
          </p>
        )}
        <button type="button" onClick={refresh}>
          {t('refreshTrustList')}
        </button>
        <ErrorBox error={listError} />
      </Section>
      <Section title={t('verify')} id="scan">
        <Camera
          onToken={(tok) => {
            setText(tok);
            void check(tok);
          }}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void check(text);
          }}
        >
          <Field label={t('pasteToken')} name="token" value={text} onInput={setText} multiline />
          <button type="submit" class="primary" disabled={!list}>
            {t('verify')}
          </button>
        </form>
      </Section>
      {verdict ? <VerdictView verdict={verdict} /> : null}
    </div>
  );
}

function VerdictView(props: { verdict: BrowserVerdict }) {
  const t = useT();
  const v = props.verdict;
  return (
    <section
      class={`card verdict-card ${v.ok ? `colour-${v.colour ?? 'gray'}` : 'bad'}`}
      aria-labelledby="verdict-h"
      aria-live="polite"
      data-ok={String(v.ok)}
      data-colour={v.colour ?? ''}
    >
      <h2 id="verdict-h">
        {t('result')}: {v.ok ? t('valid') : t('invalid')}
      </h2>
      <dl class="kv">
        {v.ok && v.colour ? (
          <div>
            <dt>{t('colour')}</dt>
            <dd class="colour-name">{t(v.colour)}</dd>
          </div>
        ) : (
          <div>
            <dt>{t('reason')}</dt>
            <dd>{v.reason}</dd>
          </div>
        )}
        {v.maskedName ? (
          <div>
            <dt>{t('maskedName')}</dt>
            <dd class="masked-name">{v.maskedName}</dd>
          </div>
        ) : null}
        {v.validUntil ? (
          <div>
            <dt>{t('validUntil')}</dt>
            <dd>
              <time dateTime={v.validUntil}>{new Date(v.validUntil).toLocaleString()}</time>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
