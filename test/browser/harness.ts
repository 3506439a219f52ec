// SPDX-License-Identifier: Apache-2.0
/**
 * @module Browser-test harness: finds Debian's Chromium (never downloads one), starts the
 * compiled `healthcode serve --demo` on a temp data dir and a free port, makes staff accounts
 * and tokens with the compiled CLI, and offers small page helpers that fail with the name of a
 * route the server lacks instead of timing out silently.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'edges', 'cli', 'main.js');
export const CHROMIUM = process.env.HEALTHCODE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test', 'browser', 'screenshots');

/** The one legitimate skip of the browser suites, as the skipped placeholder test names it. */
export const NO_BROWSER = `no Chromium at ${CHROMIUM} (set HEALTHCODE_REQUIRE_BROWSER=1 to require it)`;

/**
 * Whether the suite runs. A missing build always throws (the build is part of `npm test`); a
 * missing Chromium throws when HEALTHCODE_REQUIRE_BROWSER=1 (CI), and otherwise skips the suite,
 * announced on stderr.
 */
export function browserAvailable(suite: string): boolean {
  const built = existsSync(CLI) && existsSync(join(ROOT, 'web', 'dist', 'index.html'));
  if (!built) {
    throw new Error(`${suite}: run npm run build first (dist/ and web/dist/ are needed)`);
  }
  if (existsSync(CHROMIUM)) {
    return true;
  }
  if (process.env.HEALTHCODE_REQUIRE_BROWSER === '1') {
    throw new Error(
      `${suite}: HEALTHCODE_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`,
    );
  }
  process.stderr.write(`\n*** SKIPPED ${suite}: ${NO_BROWSER} ***\n\n`);
  return false;
}

export interface Server {
  readonly url: string;
  readonly dataDir: string;
  readonly tokens: Record<string, string>;
  cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** Runs the compiled CLI without blocking the event loop (accounts are made in parallel). */
function runAsync(
  dataDir: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data', dataDir, ...args], {
      env: { ...process.env, HEALTHCODE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** An account and a 2-hour token for it. */
async function account(dataDir: string, name: string, role: string): Promise<string> {
  const add = await runAsync(dataDir, ['user', 'add', name, '--role', role]);
  if (add.status !== 0) {
    throw new Error(`user add ${name} failed: ${add.stderr}`);
  }
  const tok = await runAsync(dataDir, [
    'token',
    'create',
    '--user',
    name,
    '--expires',
    '2h',
    '--json',
  ]);
  if (tok.status !== 0) {
    throw new Error(`token create ${name} failed: ${tok.stderr}`);
  }
  return (JSON.parse(tok.stdout) as { token: string }).token;
}

function run(dataDir: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, '--data', dataDir, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HEALTHCODE_LOG_LEVEL: 'warn' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the demo server and waits until it prints its URL. */
export async function startServer(accounts: Array<[string, string]>): Promise<Server> {
  const base = mkdtempSync(join(tmpdir(), 'healthcode-browser-'));
  const dataDir = join(base, 'data');
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, '--data', dataDir, 'serve', '--demo', '--port', '0'],
    { env: { ...process.env, HEALTHCODE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 60 s: ${err}`)),
      60_000,
    );
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(https?:\/\/[^\s]+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
  // `serve --demo` listens at once and seeds in the background; /readyz says when it is done.
  const readyBy = Date.now() + 120_000;
  while ((await fetch(new URL('readyz', url)).catch(() => undefined))?.status !== 200) {
    if (Date.now() > readyBy || child.exitCode !== null) {
      throw new Error(`server not ready in 120 s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tokens: Record<string, string> = Object.fromEntries(
    await Promise.all(
      accounts.map(async ([name, role]) => [name, await account(dataDir, name, role)] as const),
    ),
  );
  return {
    url,
    dataDir,
    tokens,
    cli: (args, input) => run(dataDir, args, input),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
        }
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Every route the page reported missing (for the record, printed by the tests). */
export async function missingRoutes(page: Page): Promise<string[]> {
  return [...new Set(await attributes(page, '[data-missing-route]', 'data-missing-route'))];
}

/**
 * Waits for `selector`; if the page (or the part `within`) shows a "route missing" or error box first, fails with its
 * text (e.g. "server lacks GET /api/citizen/code") rather than a bare timeout.
 */
export async function expectShown(
  page: Page,
  selector: string,
  options: { timeout?: number; within?: string } = {},
): Promise<void> {
  const timeout = options.timeout ?? 15_000;
  const within = options.within ? `${options.within} ` : '';
  const deadline = Date.now() + timeout;
  for (;;) {
    const missing = await attributes(page, `${within}[data-missing-route]`, 'data-missing-route');
    if (missing.length > 0) {
      throw new Error(`the server lacks route(s): ${missing.join(', ')} (waiting for ${selector})`);
    }
    const errors = page.locator(`${within}.error[role=alert]`);
    if ((await errors.count()) > 0) {
      const texts = await errors.allTextContents();
      const routes = await attributes(page, `${within}.error[role=alert]`, 'data-route');
      throw new Error(
        `the page shows an error: ${texts.join(' | ')} [${routes.join(', ')}] (waiting for ${selector})`,
      );
    }
    if (
      await page
        .locator(selector)
        .first()
        .isVisible()
        .catch(() => false)
    ) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${selector}`);
    }
    await page.waitForTimeout(100);
  }
}

async function attributes(page: Page, selector: string, name: string): Promise<string[]> {
  const loc = page.locator(selector);
  const out: string[] = [];
  for (let i = 0; i < (await loc.count()); i++) {
    out.push((await loc.nth(i).getAttribute(name)) ?? '');
  }
  return out;
}

/** Accessibility basics: every form control has an accessible name from a label or ARIA. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // Evaluated in the page as source text: the Node-side program has no DOM types.
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`);
}

const FOCUSED_LABEL = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  return (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
})()`;

/** Tabs through the page and returns the accessible text of everything that took focus. */
export async function tabStops(page: Page, max = 60): Promise<string[]> {
  await page.evaluate('document.activeElement?.blur()');
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate<string>(FOCUSED_LABEL));
  }
  return seen;
}

/**
 * A citizen session for a demo resident, through the public API as the login page does it (send a
 * code, read it from the demo outbox, exchange it): for tests whose subject is a later page, not
 * the login itself (which test/browser/ui.test.ts walks in the browser).
 */
export async function citizenSession(url: string, phone: string): Promise<string> {
  const post = (path: string, body: unknown) =>
    fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const sent = await post('/api/citizen/otp', { phone });
  if (sent.status !== 202) {
    throw new Error(`POST /api/citizen/otp answered ${sent.status}: ${await sent.text()}`);
  }
  const outbox = (await (await fetch(new URL('/api/demo/otps', url))).json()) as {
    codes: Array<{ phone: string; code: string; expiresAt: string }>;
  };
  const latest = outbox.codes
    .filter((c) => c.phone === phone)
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
  if (latest === undefined) {
    throw new Error('the demo outbox holds no code for this resident');
  }
  const login = await post('/api/citizen/login', { phone, code: latest.code });
  if (login.status !== 200) {
    throw new Error(`POST /api/citizen/login answered ${login.status}: ${await login.text()}`);
  }
  return ((await login.json()) as { token: string }).token;
}

/**
 * WCAG 2.2 SC 1.4.3 contrast of each visible element matching `selector`: its text colour against
 * the first opaque background up the tree (white if none), as the ratio (L1 + 0.05) / (L2 + 0.05).
 */
export async function contrastRatios(
  page: Page,
  selector: string,
): Promise<Array<{ text: string; ratio: number }>> {
  return page.evaluate<Array<{ text: string; ratio: number }>>(`(() => {
    const rgb = (c) => (c.match(/[\\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] === 1)) return c;
      }
      return [255, 255, 255];
    };
    return [...document.querySelectorAll(${JSON.stringify(selector)})]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const a = lum(rgb(getComputedStyle(el).color));
        const b = lum(background(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        return { text: (el.textContent ?? '').trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100 };
      });
  })()`);
}
