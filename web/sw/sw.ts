// SPDX-License-Identifier: Apache-2.0
/**
 * @module The service worker: on install it precaches every file of the build (the list the
 * build writes to `precache.json`), so the verifier page and its trust-list check run with the
 * network off after the first visit. Pages and the trust list go network-first (fresh when
 * online, cached when not); hashed assets cache-first. API answers other than the trust list are
 * never cached: they carry personal data.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = 'healthcode-ui-v1';
const BASE = '/ui/';
const SHELL = `${BASE}index.html`;
const TRUST_LIST = '/api/trust-list';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch(`${BASE}precache.json`, { cache: 'no-store' });
      const files = res.ok ? ((await res.json()) as string[]) : [];
      await cache.addAll([SHELL, ...files.map((f) => BASE + f)]);
      await cache.add(TRUST_LIST).catch(() => undefined);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE) {
          await caches.delete(key);
        }
      }
      await sw.clients.claim();
    })(),
  );
});

async function networkFirst(request: Request, fallback?: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) {
      await cache.put(fallback ?? request, res.clone());
    }
    return res;
  } catch {
    const hit = (await cache.match(fallback ?? request)) ?? (await cache.match(request));
    return hit ?? Response.error();
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) {
    return hit;
  }
  const res = await fetch(request);
  if (res.ok) {
    await cache.put(request, res.clone());
  }
  return res;
}

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) {
    return;
  }
  if (url.pathname === TRUST_LIST) {
    event.respondWith(networkFirst(req));
  } else if (req.mode === 'navigate' && url.pathname.startsWith(BASE)) {
    // Every page path is the same app shell.
    event.respondWith(networkFirst(req, SHELL));
  } else if (url.pathname.startsWith(`${BASE}assets/`)) {
    event.respondWith(cacheFirst(req));
  }
});
