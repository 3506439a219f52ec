// SPDX-License-Identifier: Apache-2.0
/**
 * The trip card end to end through the compiled CLI on both engines (issue 8): a seeded city's
 * carrier feeds load as they are (idempotently), a bad file loads its good lines and reports the
 * rest by line number only, the card is shown behind a one-time code from the outbox, the purge
 * answers `{"purged": n}`, and retiring the trip card through a disposal plan leaves no
 * subscriber event, event key no other store needs, or canary behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openInstance } from '../../src/edges/app/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { day, dayAt, steps } from '../support/clock.js';
import { DIALECTS, createPgDatabase } from '../support/dialects.js';
import { countRows } from '../support/count-rows.js';

/**
 * 21:00 on the harness clock's day: the concurrent ingests run then, and the scenario seeds then
 * (the seed writes the day up to its `--now`) and runs each later step a minute after the last —
 * at one instant, a seed that read its clock late wrote events the next step saw as future.
 */
const NOW = dayAt(0, '21:00');

function json<T>(r: CliResult): T {
  if (r.code !== 0) {
    throw new Error(`exit ${r.code}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as T;
}

function outboxCodes(data: string): Map<string, { to: string; code: string }> {
  const dir = join(data, 'outbox');
  const out = new Map<string, { to: string; code: string }>();
  if (existsSync(dir)) {
    for (const n of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      out.set(n, JSON.parse(readFileSync(join(dir, n), 'utf8')) as { to: string; code: string });
    }
  }
  return out;
}

/** A carrier file: `phones` subscribers with `perPhone` events each, plus a few bad lines. */
function concurrentFeed(phones: number, perPhone: number): { text: string; valid: number } {
  const lines: string[] = [];
  const start = Date.parse(dayAt(-2, '06:00'));
  for (let p = 0; p < phones; p++) {
    const phone = `139${String(10_000_000 + p).slice(-8)}`;
    for (let i = 0; i < perPhone; i++) {
      const local = new Date(start + i * 20 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19);
      const region = i < perPhone / 2 ? '320205' : '310104';
      lines.push(JSON.stringify({ id: `c.${p}.${i}`, phone, time: `${local}+08:00`, region }));
    }
    if (p % 50 === 0) {
      lines.push(JSON.stringify({ id: `bad.${p}`, phone, time: 'yesterday', region: '320205' }));
    }
  }
  return { text: lines.join('\n') + '\n', valid: phones * perPhone };
}

for (const dialect of DIALECTS) {
  describe(`tripcard CLI on ${dialect}`, () => {
    it(
      'two ingest processes on the same file at once store each event once',
      { timeout: 300_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), `hc-tripcard-cc-${dialect}-`));
        const data = join(dir, 'data');
        const pgDb = dialect === 'postgres' ? await createPgDatabase() : undefined;
        try {
          const store = await openInstance({
            dataDir: data,
            dbUrl: pgDb?.url,
            create: true,
            clock: new FixedClock(NOW),
          });
          await store.close();
          writeFileSync(join(data, 'cells.csv'), 'cell,region\n');
          const feed = concurrentFeed(240, 50);
          const file = join(dir, 'feed.ndjson');
          writeFileSync(file, feed.text);
          const env = { HEALTHCODE_DB_URL: pgDb?.url };
          const ingest = (n: number) =>
            runCli(
              [
                '--data',
                data,
                'tripcard',
                'ingest',
                file,
                '--rejects',
                join(dir, `rejects-${n}.ndjson`),
                '--json',
              ],
              { env, now: NOW, timeoutMs: 240_000 },
            );
          const [a, b] = (await Promise.all([ingest(1), ingest(2)])).map((r) =>
            json<{ loaded: number; duplicates: number; rejected: number }>(r),
          );
          expect(a.rejected).toBe(5);
          expect(b.rejected).toBe(5);
          expect(a.loaded + b.loaded).toBe(feed.valid);
          expect(a.duplicates + b.duplicates).toBe(feed.valid);

          const check = await openInstance({
            dataDir: data,
            dbUrl: pgDb?.url,
            create: false,
            clock: new FixedClock(NOW),
          });
          try {
            const rows = await check.db.kysely
              .selectFrom('tripcard_event')
              .select(['subject_id', 'eids'])
              .execute();
            const eids = new Set<string>();
            let events = 0;
            for (const r of rows) {
              for (let i = 0; i < r.eids.length; i += 16) {
                eids.add(r.eids.toString('hex', i, i + 16));
                events++;
              }
            }
            expect(events).toBe(feed.valid);
            expect(eids.size).toBe(feed.valid);
            // One subscriber subject per phone, however the two processes raced to create them.
            expect(new Set(rows.map((r) => r.subject_id)).size).toBe(240);
          } finally {
            await check.close();
          }
        } finally {
          await pgDb?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    it(
      'ingests feeds, shows the card behind a code, purges, and is retired by a disposal plan',
      { timeout: 300_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), `hc-tripcard-${dialect}-`));
        const data = join(dir, 'data');
        const feeds = join(dir, 'feeds');
        const canaries = join(dir, 'canaries.txt');
        const pgDb = dialect === 'postgres' ? await createPgDatabase() : undefined;
        const env = { HEALTHCODE_DB_URL: pgDb?.url };
        const next = steps(NOW);
        const cli = (args: readonly string[], stdin?: string) =>
          runCli(['--data', data, ...args], {
            env,
            now: next(),
            ...(stdin === undefined ? {} : { stdin }),
          });
        const count = (query: string) => countRows(data, pgDb?.url, query);
        try {
          const seeded = await cli([
            'seed',
            '--people',
            '20',
            '--days',
            '2',
            '--carrier-feeds',
            feeds,
            '--canaries',
            canaries,
            '--json',
          ]);
          const seed = json<{ carrierFeeds: Record<string, { events: number }> }>(seeded);

          // The carriers' feeds load as they are, and a second run adds nothing.
          let events = 0;
          for (const carrier of ['cmcc', 'cucc', 'ctcc']) {
            const file = join(feeds, `${carrier}-events.ndjson`);
            const r = json<{ loaded: number; rejected: number; rejects: string }>(
              await cli(['tripcard', 'ingest', file, '--carrier', carrier, '--json']),
            );
            expect(r).toMatchObject({ loaded: seed.carrierFeeds[carrier].events, rejected: 0 });
            expect(readFileSync(r.rejects, 'utf8')).toBe('');
            events += r.loaded;
          }
          const len = dialect === 'postgres' ? 'octet_length' : 'length';
          expect(await count(`select sum(${len}(eids)) / 16 as n from tripcard_event`)).toBe(
            events,
          );
          const again = json<{ loaded: number; duplicates: number }>(
            await cli([
              'tripcard',
              'ingest',
              join(feeds, 'cmcc-events.ndjson'),
              '--carrier',
              'cmcc',
              '--json',
            ]),
          );
          expect(again).toEqual(
            expect.objectContaining({ loaded: 0, duplicates: seed.carrierFeeds.cmcc.events }),
          );

          // A bad CSV: good lines load, bad ones are reported by line and reason only (yesterday
          // is in the window, tomorrow in the future, 57 days ago out of the window).
          const phone = readFileSync(join(feeds, 'cmcc-subscribers.csv'), 'utf8')
            .split('\n')[1]
            .split(',')[1];
          const bad = join(dir, 'bad.csv');
          writeFileSync(
            bad,
            [
              'id,phone,time,cell,region,country',
              `x.1,${phone},${dayAt(-1, '10:00')},,310104,`,
              `x.2,${phone},${dayAt(-1, '10:00')},ffffffffffffff,,`,
              `x.3,${phone},${dayAt(1, '10:00')},,310104,`,
              `x.4,0512-1234567,${dayAt(-1, '10:00')},,310104,`,
              `x.5,${phone},${dayAt(-1, '10:00')},,,QQ`,
              `x.6,${phone}`,
              `x.7,${phone},${dayAt(-57, '10:00')},,310104,`,
            ].join('\n') + '\n',
          );
          const b = json<{ loaded: number; rejected: number }>(
            await cli(['tripcard', 'ingest', bad, '--json']),
          );
          expect(b).toMatchObject({ loaded: 1, rejected: 6 });
          const rejects = readFileSync(`${bad}.rejects.ndjson`, 'utf8');
          expect(
            rejects
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as unknown),
          ).toEqual([
            { line: 3, reason: 'unknown-cell' },
            { line: 4, reason: 'future-time' },
            { line: 5, reason: 'invalid-phone' },
            { line: 6, reason: 'unknown-country' },
            { line: 7, reason: 'malformed' },
            { line: 8, reason: 'out-of-window' },
          ]);
          expect(rejects).not.toContain(phone.slice(-8));
          expect((await cli(['tripcard', 'ingest', join(dir, 'x.txt')])).code).toBe(2);

          // The card behind a one-time code; a replayed code is refused (exit 1).
          const before = outboxCodes(data);
          expect((await cli(['tripcard', 'query', '--phone-stdin'], `${phone}\n`)).code).toBe(0);
          const sent = [...outboxCodes(data)].filter(([n]) => !before.has(n));
          expect(sent).toHaveLength(1);
          const code = sent[0][1].code;
          const card = json<{
            cities: { region?: string; name: string; lastSeen: string; risk: boolean }[];
          }>(
            await cli(
              ['tripcard', 'query', '--phone-stdin', '--otp', code, '--json'],
              `${phone}\n`,
            ),
          );
          expect(card.cities.length).toBeGreaterThan(0);
          for (const c of card.cities) {
            expect(c.region).toMatch(/^\d{4}00$/);
            expect([day(-1), day(0)]).toContain(c.lastSeen);
            expect(typeof c.risk).toBe('boolean');
          }
          const replay = await cli(
            ['tripcard', 'query', '--phone-stdin', '--otp', code, '--json'],
            `${phone}\n`,
          );
          expect(replay.code).toBe(1);
          expect(replay.stderr).toContain('ERR_OUTBOX_CODE_USED');
          expect(replay.stderr).not.toContain(phone.slice(-8));
          expect((await cli(['tripcard', 'query'], `${phone}\n`)).code).toBe(2);

          expect(json(await cli(['tripcard', 'purge', '--json']))).toEqual({ purged: 0 });

          // A pending code to a canary's phone is plaintext residue the scan can find.
          const canaryPhone = readFileSync(canaries, 'utf8')
            .split('\n')
            .find((l) => l.startsWith('+86'))!;
          expect((await cli(['tripcard', 'query', '--phone-stdin'], `${canaryPhone}\n`)).code).toBe(
            0,
          );

          // Shutdown: retiring the trip card is a disposal plan (DOMAIN.md §2.4; issue 8 item 4).
          const plan = join(dir, 'plan.yaml');
          expect((await cli(['operator', 'add', 'alice'])).code).toBe(0);
          const planned = await cli(['disposal', 'plan', '--retire', 'trip-card', '--out', plan]);
          expect(planned.code, planned.stderr).toBe(0);
          expect(readFileSync(plan, 'utf8')).toContain('db:tripcard_event');
          expect((await cli(['disposal', 'approve', plan, '--by', 'alice'])).code).toBe(0);
          const run = await cli(['disposal', 'run', plan]);
          expect(run.code, run.stderr).toBe(0);
          // Retiring the trip card alone deletes its store whole (issue 7): every event, and
          // each subscriber's event key where no other store holds itinerary data for them.
          const v = await cli(['disposal', 'verify', plan, '--canaries', canaries, '--json']);
          expect(v.code, v.stderr + v.stdout).toBe(0);
          expect(await count('select count(*) as n from tripcard_event')).toBe(0);
          expect(
            await count(
              "select count(*) as n from healthcode_keys.dek where scope = 'itinerary' and wrapped is not null",
            ),
          ).toBe(
            await count(
              "select count(distinct subject_id) as n from vault_record where grp = 'itinerary'",
            ),
          );
          expect((await cli(['scan', '--canaries', canaries, data])).code).toBe(0);
        } finally {
          await pgDb?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
