// SPDX-License-Identifier: Apache-2.0
/**
 * @module Shared set-up of the disposal end-to-end scenarios: a seeded synthetic city on either
 * engine driven through the compiled CLI, read-only SQL for ground truth, a planted plaintext
 * outbox message (so the residual scan demonstrably can fail before disposal), a signing
 * third party, and a headless-Chromium look at the HTML report. Every step runs on the harness
 * clock (test/support/clock.ts): the template city is seeded at 21:00 on the epoch's day, and
 * each scenario's steps follow from 22:00 a minute apart unless a step names its own instant.
 */
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BrowserType } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { inject } from 'vitest';
import { CLI, runCli, type CliResult } from '../support/cli.js';
import { EPOCH_TEXT, dayAt, rfc3339 } from '../support/clock.js';
import type { DialectName } from '../../src/platform/db/index.js';

export interface City {
  readonly dialect: DialectName;
  readonly dir: string;
  readonly data: string;
  readonly canaryFile: string;
  readonly canaries: readonly string[];
  /**
   * Runs a CLI step at `now`, or a minute after the previous step; a step may not go back in
   * time (a scenario out of order is a bug in the scenario).
   */
  cli(args: readonly string[], options?: { stdin?: string; now?: string }): Promise<CliResult>;
  /** Advances the scenario clock a minute, as a step does, and returns that instant. */
  step(): string;
  /** Read-only SQL for ground truth. */
  sql<T = Record<string, unknown>>(query: string, params?: readonly unknown[]): Promise<T[]>;
  /** A write behind the product's back: residue a scenario plants for verification to find. */
  exec(query: string, params?: readonly unknown[]): Promise<void>;
  count(query: string, params?: readonly unknown[]): Promise<number>;
  cleanup(): Promise<void>;
}

/** A seeded city's files and database, copied for each scenario that asks for the same size. */
interface Template {
  readonly data: string;
  readonly canaryFile: string;
  /** PostgreSQL: the template database. */
  readonly pgName?: string;
}

const templates = new Map<string, Promise<Template>>();

function adminClient(): pg.Client {
  return new pg.Client({ connectionString: inject('pgAdminUrl') });
}

/**
 * When the template city is seeded and alice registered, and when a scenario starts. The seed
 * writes the local day up to its `--now`, so a fixed local time gives every epoch a full day of
 * declarations and test results (seeded at 07:00 there would be none to retain).
 */
const SEEDED_AT = dayAt(0, '21:00');
const OPERATOR_ADDED_AT = dayAt(0, '21:01');
const SCENARIO_START = dayAt(0, '22:00');

/**
 * Seeds a city once per engine and size for the whole test run — shared by every test file, each
 * in its own worker: the first to take the lock (an atomic mkdir) seeds, the others wait for its
 * `ready` marker. Seeding and registering alice are two CLI processes; every scenario after the
 * first gets a byte-identical city for the price of a copy. The key holds the harness epoch: a
 * city seeded for one epoch is no city for another.
 */
function template(dialect: DialectName, people: number, days: number): Promise<Template> {
  const run = createHash('sha256')
    .update(`${inject('pgAdminUrl')}|${statSync(CLI).mtimeMs}|${EPOCH_TEXT}`)
    .digest('hex')
    .slice(0, 12);
  const key = `${dialect}-${people}x${days}-${run}`;
  let t = templates.get(key);
  if (t === undefined) {
    t = makeTemplate(join(tmpdir(), `hc-disposal-template-${key}`), dialect, people, days, key);
    templates.set(key, t);
  }
  return t;
}

async function makeTemplate(
  dir: string,
  dialect: DialectName,
  people: number,
  days: number,
  key: string,
): Promise<Template> {
  const tpl: Template = {
    data: join(dir, 'data'),
    canaryFile: join(dir, 'canaries.txt'),
    ...(dialect === 'postgres' ? { pgName: `hc_tpl_${key.replace(/[^a-z0-9]/g, '_')}` } : {}),
  };
  const ready = join(dir, 'ready');
  // Templates of earlier test runs (a day old or more) are no one's any more.
  for (const e of readdirSync(tmpdir())) {
    const old = join(tmpdir(), e);
    if (e.startsWith('hc-disposal-template-') && old !== dir) {
      const st = statSync(old, { throwIfNoEntry: false });
      if (st !== undefined && Date.now() - st.mtimeMs > 86_400_000) {
        rmSync(old, { recursive: true, force: true });
      }
    }
  }
  try {
    mkdirSync(dir);
  } catch {
    // Another worker seeds it: wait for the marker (seeding takes seconds, even under load).
    for (let waited = 0; !existsSync(ready); waited += 250) {
      if (existsSync(join(dir, 'failed'))) {
        throw new Error(`seeding the ${key} template city failed in another worker`);
      }
      if (waited > 240_000) {
        throw new Error(`the ${key} template city never became ready`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    return tpl;
  }
  try {
    await seedTemplate(tpl, people, days);
  } catch (err) {
    writeFileSync(join(dir, 'failed'), '');
    throw err;
  }
  writeFileSync(ready, '');
  return tpl;
}

async function seedTemplate(tpl: Template, people: number, days: number): Promise<void> {
  let url: string | undefined;
  if (tpl.pgName !== undefined) {
    const c = adminClient();
    await c.connect();
    await c.query(`CREATE DATABASE ${tpl.pgName}`);
    await c.end();
    url = inject('pgAdminUrl').replace(/\/[^/]*$/, `/${tpl.pgName}`);
  }
  const env = { HEALTHCODE_DB_URL: url };
  const cli = (args: readonly string[], now: string) =>
    runCli(['--data', tpl.data, ...args], { env, now });
  const seeded = await cli(
    ['seed', '--people', String(people), '--days', String(days), '--canaries', tpl.canaryFile],
    SEEDED_AT,
  );
  if (seeded.code !== 0) {
    throw new Error(`seed failed: ${seeded.stderr}`);
  }
  const op = await cli(['operator', 'add', 'alice'], OPERATOR_ADDED_AT);
  if (op.code !== 0) {
    throw new Error(`operator add failed: ${op.stderr}`);
  }
}

/** A fresh database copied from the template (PostgreSQL refuses a template in use: retry). */
async function clonePg(templateName: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hc_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    const c = adminClient();
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
      break;
    } catch (err) {
      if (attempt >= 40) {
        throw err;
      }
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await c.end();
    }
  }
  return {
    url: inject('pgAdminUrl').replace(/\/[^/]*$/, `/${name}`),
    async drop() {
      const c = adminClient();
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A small seeded city on the engine, operator alice registered: a private copy of the run-wide
 * template city of that size (see {@link template}).
 */
export async function seedCity(dialect: DialectName, people = 20, days = 1): Promise<City> {
  const tpl = await template(dialect, people, days);
  const dir = mkdtempSync(join(tmpdir(), `hc-disposal-${dialect}-`));
  const data = join(dir, 'data');
  const canaryFile = join(dir, 'canaries.txt');
  cpSync(tpl.data, data, { recursive: true });
  cpSync(tpl.canaryFile, canaryFile);
  const pgDb = tpl.pgName !== undefined ? await clonePg(tpl.pgName) : undefined;
  const env = { HEALTHCODE_DB_URL: pgDb?.url };
  // The scenario clock: the instant of the latest step.
  let last = Date.parse(SCENARIO_START);
  const step = (now?: string): string => {
    const t = now === undefined ? last + 60_000 : Date.parse(now);
    if (Number.isNaN(t) || t < last) {
      throw new Error(`scenario step at ${now} is before the previous one at ${rfc3339(last)}`);
    }
    last = t;
    return now ?? rfc3339(t);
  };
  const cli = (args: readonly string[], o: { stdin?: string; now?: string } = {}) =>
    runCli(['--data', data, ...args], {
      env,
      now: step(o.now),
      ...(o.stdin === undefined ? {} : { stdin: o.stdin }),
    });
  const run = async <T>(
    query: string,
    params: readonly unknown[],
    readonly: boolean,
  ): Promise<T[]> => {
    if (pgDb !== undefined) {
      const c = new pg.Client({ connectionString: pgDb.url });
      await c.connect();
      try {
        let i = 0;
        return (
          await c.query(
            query.replace(/\?/g, () => `$${++i}`),
            [...params],
          )
        ).rows as T[];
      } finally {
        await c.end();
      }
    }
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(join(data, 'healthcode.db'), { readonly });
    try {
      db.pragma('busy_timeout = 10000');
      const statement = db.prepare(query);
      if (!statement.reader) {
        statement.run(...params);
        return [];
      }
      return statement.all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const sql = <T>(query: string, params: readonly unknown[] = []) => run<T>(query, params, true);
  return {
    dialect,
    dir,
    data,
    canaryFile,
    canaries: readFileSync(canaryFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''),
    cli,
    step: () => step(),
    sql,
    async exec(query, params = []) {
      await run(query, params, false);
    },
    async count(query, params = []) {
      const rows = await sql<{ n: number | string }>(query, params);
      return Number(rows[0]?.n ?? 0);
    },
    async cleanup() {
      await pgDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A pending one-time-code message to a phone in DIR/outbox (the file outbox's format), unexpired
 * for a day of scenario time: only disposal removes it.
 */
export function plantOutboxMessage(city: City, phone: string): string {
  const dir = join(city.data, 'outbox');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  const doc = {
    id,
    to: phone,
    purpose: 'rights:access',
    expires: new Date(Date.parse(city.step()) + 86_400_000).toISOString(),
    code: '123456',
  };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(doc) + '\n', { mode: 0o600 });
  return id;
}

export function canaryPhone(city: City): string {
  return city.canaries.find((c) => c.startsWith('+86'))!;
}

export function canaryIdNumber(city: City): string {
  return city.canaries.find((c) => /^\d{17}[\dX]$/.test(c))!;
}

/** A third party with its own Ed25519 key, registered as a recipient. */
export async function addRecipient(
  city: City,
  id: string,
  kind: 'processor' | 'recipient',
): Promise<{ id: string; key: KeyObject }> {
  const pair = generateKeyPairSync('ed25519');
  const keyFile = join(city.dir, `${id}.pub.pem`);
  writeFileSync(keyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const r = await city.cli([
    'disposal',
    'recipient',
    'add',
    id,
    '--name',
    `${id} (synthetic)`,
    '--kind',
    kind,
    '--contact',
    `dpo@${id}.example`,
    '--public-key',
    keyFile,
  ]);
  if (r.code !== 0) {
    throw new Error(`recipient add failed: ${r.stderr}`);
  }
  return { id, key: pair.privateKey };
}

/**
 * The party's signed acknowledgment of the notice the run wrote under reports/, saying it deleted
 * the data at the scenario's next instant (after the run, before the receipt is recorded).
 */
export function signAck(city: City, planId: string, party: { id: string; key: KeyObject }): string {
  const notice = JSON.parse(
    readFileSync(join(city.data, 'reports', 'disposal', planId, `notice-${party.id}.json`), 'utf8'),
  ) as { noticeId: string };
  const body = {
    kind: 'healthcode/deletion-ack',
    noticeId: notice.noticeId,
    planId,
    party: party.id,
    deletedAt: city.step(),
  };
  const sorted = JSON.stringify(
    Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  const file = join(city.dir, `ack-${party.id}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ...body,
      signature: sign(null, Buffer.from(sorted), party.key).toString('base64'),
    }),
  );
  return file;
}

/** Reads a YAML or JSON plan, lets `edit` change it, writes it back. */
export function editPlan(file: string, edit: (plan: Record<string, unknown>) => void): void {
  const text = readFileSync(file, 'utf8');
  const plan = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Record<string, unknown>;
  edit(plan);
  writeFileSync(file, file.endsWith('.json') ? JSON.stringify(plan, null, 2) : stringify(plan));
}

/**
 * Opens the HTML report in headless Chromium and writes a screenshot; returns undefined (with a
 * visible notice) when no browser is available, unless HEALTHCODE_REQUIRE_BROWSER=1.
 */
export async function screenshot(
  html: string,
  png: string,
): Promise<{ title: string; svgs: number; bytes: number } | undefined> {
  const candidates = [
    process.env.HEALTHCODE_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter((p): p is string => typeof p === 'string' && existsSync(p));
  let chromium: BrowserType | undefined;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    chromium = undefined;
  }
  if (chromium === undefined || candidates.length === 0) {
    if (process.env.HEALTHCODE_REQUIRE_BROWSER === '1') {
      throw new Error('HEALTHCODE_REQUIRE_BROWSER=1 but playwright-core or Chromium is missing');
    }
    process.stderr.write(
      'NOTICE: skipping the headless-Chromium look at the disposal report (playwright-core or Chromium missing)\n',
    );
    return undefined;
  }
  const browser = await chromium.launch({ executablePath: candidates[0], args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    await page.goto(`file://${html}`);
    await page.screenshot({ path: png, fullPage: true });
    return {
      title: await page.title(),
      svgs: await page.locator('svg').count(),
      bytes: readFileSync(png).length,
    };
  } finally {
    await browser.close();
  }
}

export function json<T = Record<string, unknown>>(r: CliResult): T {
  if (r.code !== 0 && r.code !== 1) {
    throw new Error(`command failed (${r.code}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as T;
}

/** Awaits a command and checks its exit code, showing its stderr when it differs. */
export async function expectCode(run: Promise<CliResult>, code: number): Promise<CliResult> {
  const r = await run;
  if (r.code !== code) {
    throw new Error(`expected exit ${code}, got ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r;
}
