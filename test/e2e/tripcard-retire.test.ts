// SPDX-License-Identifier: Apache-2.0
/**
 * Retiring the trip card alone (issue 8 item 4; issue 7; DOMAIN.md §2.2: the carriers deleted the
 * itinerary data when the card went offline on 13 Dec 2022), end to end through the compiled CLI
 * on both engines: `disposal plan --retire trip-card` deletes the trip card's store whole — every
 * event, the event keys of subscribers no other store holds itinerary data for, the subscribers
 * that exist only for the card, and its pending one-time codes — while every other purpose's data
 * stays, record for record and key for key.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';
import { dayAt, steps } from '../support/clock.js';
import { DIALECTS, createPgDatabase } from '../support/dialects.js';
import { countRows } from '../support/count-rows.js';

/**
 * The seed runs at 21:00 on the harness clock's day (it writes the day up to its `--now`), each
 * later step a minute after the last (at one instant, a seed that read its clock late wrote
 * events the next step saw as future).
 */
const NOW = dayAt(0, '21:00');
/** Subscribers that exist only for the trip card; their phones are the canaries. */
const CARD_ONLY = 4;

function json<T>(r: CliResult): T {
  if (r.code !== 0) {
    throw new Error(`exit ${r.code}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as T;
}

function outboxPurposes(data: string): string[] {
  const dir = join(data, 'outbox');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { purpose: string }).purpose)
    : [];
}

for (const dialect of DIALECTS) {
  describe(`retiring the trip card on ${dialect}`, () => {
    it(
      'deletes its events, keys, card-only subscribers and codes; other purposes keep everything',
      { timeout: 300_000 },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), `hc-tripretire-${dialect}-`));
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
        const liveKeys = () =>
          count('select count(*) as n from healthcode_keys.dek where wrapped is not null');
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
          expect(seeded.code, seeded.stderr).toBe(0);
          // Seeded subscribers: their carrier's events reach the card too, and their vault holds
          // the same location events under epidemic-control (the health code's itinerary check).
          const cmcc = json<{ loaded: number }>(
            await cli([
              'tripcard',
              'ingest',
              join(feeds, 'cmcc-events.ndjson'),
              '--carrier',
              'cmcc',
              '--json',
            ]),
          );
          expect(cmcc.loaded).toBeGreaterThan(0);
          const records0 = await count('select count(*) as n from vault_record');
          const subjects0 = await count('select count(*) as n from vault_subject');
          const keys0 = await liveKeys();

          // Subscribers only the trip card knows: phones no seeded register holds.
          const seededPhones = new Set(
            ['cmcc', 'cucc', 'ctcc'].flatMap((c) =>
              readFileSync(join(feeds, `${c}-subscribers.csv`), 'utf8')
                .trim()
                .split('\n')
                .slice(1)
                .map((l) => l.split(',')[1].slice(-11)),
            ),
          );
          const phones: string[] = [];
          for (let n = 13_900_000_001; phones.length < CARD_ONLY; n++) {
            if (!seededPhones.has(String(n))) {
              phones.push(`+86${n}`);
            }
          }
          const feed = join(dir, 'card-only.ndjson');
          writeFileSync(
            feed,
            phones
              .flatMap((phone, i) =>
                [dayAt(-1, '08:00'), dayAt(-1, '15:00')].map((time, j) =>
                  JSON.stringify({ id: `card.${i}.${j}`, phone, time, region: '310104' }),
                ),
              )
              .join('\n') + '\n',
          );
          const card = json<{ loaded: number; rejected: number }>(
            await cli(['tripcard', 'ingest', feed, '--json']),
          );
          expect(card).toMatchObject({ loaded: 2 * CARD_ONLY, rejected: 0 });
          expect(await count('select count(*) as n from vault_subject')).toBe(
            subjects0 + CARD_ONLY,
          );
          writeFileSync(canaries, readFileSync(canaries, 'utf8') + phones.join('\n') + '\n');

          // Pending one-time codes: one to a card-only phone, one to a seeded canary's phone.
          const seededCanaryPhone = readFileSync(canaries, 'utf8')
            .split('\n')
            .find((l) => l.startsWith('+86') && !phones.includes(l))!;
          for (const phone of [phones[0], seededCanaryPhone]) {
            expect((await cli(['tripcard', 'query', '--phone-stdin'], `${phone}\n`)).code).toBe(0);
          }
          expect(outboxPurposes(data).filter((p) => p === 'tripcard.query').length).toBe(2);
          // Without disposal the canaries are found (the scan can see them).
          expect((await cli(['scan', '--canaries', canaries, data])).code).toBe(1);

          // The plan: the trip-card service alone; its purpose stays (other services use it).
          const plan = join(dir, 'plan.json');
          expect((await cli(['operator', 'add', 'alice'])).code).toBe(0);
          const planned = await cli(['disposal', 'plan', '--retire', 'trip-card', '--out', plan]);
          expect(planned.code, planned.stderr).toBe(0);
          const doc = JSON.parse(readFileSync(plan, 'utf8')) as {
            retiredServices: string[];
            retiredPurposes: string[];
            stores: { store: string; method: string }[];
            scope: { category: string; stores: { store: string; records: number }[] }[];
          };
          expect(doc.retiredServices).toEqual(['trip-card']);
          expect(doc.retiredPurposes).toEqual([]);
          expect(doc.stores).toContainEqual(
            expect.objectContaining({ store: 'db:tripcard_event', method: 'physical-deletion' }),
          );
          const events = doc.scope
            .find((s) => s.category === 'location-events')!
            .stores.find((s) => s.store === 'db:tripcard_event')!;
          expect(events.records).toBe(await count('select count(*) as n from tripcard_event'));
          expect((await cli(['disposal', 'approve', plan, '--by', 'alice'])).code).toBe(0);
          const run = await cli(['disposal', 'run', plan]);
          expect(run.code, run.stderr).toBe(0);
          const v = await cli(['disposal', 'verify', plan, '--canaries', canaries, '--json']);
          expect(v.code, v.stderr + v.stdout).toBe(0);
          const status = json<{ state: string }>(await cli(['disposal', 'status', plan, '--json']));
          expect(status.state).toBe('done');

          // No event, no card-only subscriber, no code of the card.
          expect(await count('select count(*) as n from tripcard_event')).toBe(0);
          expect(await count('select count(*) as n from vault_subject')).toBe(subjects0);
          expect(outboxPurposes(data)).not.toContain('tripcard.query');
          expect(
            await count(
              "select count(*) as n from otp_challenges where purpose = 'tripcard.query'",
            ),
          ).toBe(0);
          expect((await cli(['scan', '--canaries', canaries, data])).code).toBe(0);
          // Every other purpose's data stays, record for record and key for key: the card-only
          // subscribers' keys are the only ones destroyed, the seeded subscribers' itinerary keys
          // stay with the location events the health code still holds under epidemic-control.
          expect(await count('select count(*) as n from vault_record')).toBe(records0);
          expect(await liveKeys()).toBe(keys0);
          expect(
            await count(
              "select count(*) as n from healthcode_keys.dek where scope = 'itinerary' and wrapped is not null",
            ),
          ).toBe(
            await count(
              "select count(distinct subject_id) as n from vault_record where grp = 'itinerary'",
            ),
          );
        } finally {
          await pgDb?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
