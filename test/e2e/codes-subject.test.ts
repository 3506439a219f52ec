// SPDX-License-Identifier: Apache-2.0
/**
 * Health codes for stored subjects through the compiled CLI (`npm run build` first; `npm test`
 * does), on SQLite and PostgreSQL: `code issue <subject-id>` from the vault, `code explain`,
 * `code order`, `code correct --review`, `code review list|decide`, a guardian fetching their
 * dependant's code, subject ids after `--`, and "Done when" of issue 5 for codes issued from the
 * vault — the token verifies in another process holding only the trust list, and two tokens of
 * one person share no identifier. (Rotation and revocation through the CLI: commands.test.ts;
 * on both engines at the library level: service.test.ts.) Each process start opens the instance,
 * so the number of commands is kept small.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase45 } from '../../src/services/codes/index.js';
import { CLI, requireCompiled } from '../support/cli.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { day, dayAt } from '../support/clock.js';
import { DIALECTS, createTestInstance } from '../support/dialects.js';
import { assessColourRules } from '../support/assessments.js';
import { instanceVault } from '../../src/edges/app/index.js';

function idNumber(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

function run(args: string[], env: Record<string, string>, input = '') {
  const r = spawnSync(process.execPath, [requireCompiled(CLI), ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1', ...env },
    timeout: 90_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function json<T = Record<string, unknown>>(r: {
  code: number | null;
  out: string;
  err: string;
}): T {
  if (r.code !== 0) {
    throw new Error(`exit ${r.code}: ${r.err}`);
  }
  return JSON.parse(r.out) as T;
}

/** The CBOR bytes of a token's COSE message that are not signature (claims + header). */
function tokenBytes(token: string): Buffer {
  return Buffer.from(decodeBase45(token.slice(5)));
}

describe('healthcode code … for stored subjects', () => {
  for (const dialect of DIALECTS) {
    it(`issues from the vault, explains, corrects, reviews; guardians; Done when (${dialect})`, async () => {
      // Noon on the harness clock's day: the records are written around it, in process and in
      // every CLI process (a token issued just before 24:00 would expire before it is verified).
      const now = new Date(dayAt(0, '12:00'));
      const t = await createTestInstance(dialect, { clock: new FixedClock(now) });
      // Colour decisions need the rules' stored assessment (PIPL art. 55).
      await assessColourRules(t.store);
      const work = mkdtempSync(join(tmpdir(), 'hc-codes-subject-'));
      let adult = '';
      try {
        const iv = await instanceVault(t.store);
        const repo = iv.vault.repository({
          actor: 'operator:test',
          role: 'operator',
          purpose: 'epidemic-control',
        });
        const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
        // A subject whose id starts with `-` (ids are random base64url): create until one does,
        // bounded, so the `--` path is exercised with a real subject.
        for (let i = 0; i < 1200 && !adult.startsWith('-'); i++) {
          adult = (
            await repo.ensureCitizen(
              idNumber(
                `3101041980010${1 + Math.floor(i / 1000)}${String(i % 1000).padStart(3, '0')}`,
              ),
            )
          ).subjectId;
        }
        // A child of eight on the harness clock's day (born 2018 at the default epoch).
        const born = day(-8 * 365 - 2).replaceAll('-', '');
        const child = (await repo.ensureCitizen(idNumber(`310104${born}002`), { guardian: adult }))
          .subjectId;
        await repo.put(adult, 'identity', { name: '王小明' });
        await repo.put(child, 'identity', { name: '王丫', guardian: adult });
        for (const s of [adult, child]) {
          await repo.put(s, 'temperature', { celsius: 36.6, at: hoursAgo(2) });
          await repo.put(s, 'test-results', {
            kind: 'nucleic-acid',
            result: 'negative',
            at: hoursAgo(20),
          });
        }
        await repo.put(adult, 'itinerary', {
          region: '440305',
          from: hoursAgo(60),
          to: hoursAgo(50),
        });
        await iv.finish();
        await t.store.close();
        writeFileSync(
          join(t.dataDir, 'risk-areas.json'),
          JSON.stringify([{ region: '440300', level: 'medium', from: hoursAgo(200), to: null }]),
        );
        const env: Record<string, string> = t.dbUrl ? { HEALTHCODE_DB_URL: t.dbUrl } : {};
        const at = ['--now', now.toISOString()];
        const data = ['--data', t.dataDir, ...at];
        const sub = (id: string) => ['--', id];

        // Issue from the vault: the stay in a medium-risk area within 7 days makes it yellow.
        const first = json<{
          token: string;
          colour: string;
          maskedName: string;
          tokenHash: string;
        }>(
          run(
            [...data, 'code', 'issue', '--json', '--svg', join(work, 'q.svg'), ...sub(adult)],
            env,
          ),
        );
        expect(first).toMatchObject({ colour: 'yellow', maskedName: '王**' });
        expect(readFileSync(join(work, 'q.svg'), 'utf8')).toContain('<svg');
        const why = json<{
          colour: string;
          reasons: { rule: string }[];
          ruleSet: { version: number };
        }>(run([...data, 'code', 'explain', '--json', ...sub(adult)], env));
        expect(why.colour).toBe('yellow');
        expect(why.reasons.map((r) => r.rule)).toEqual(['area.medium']);
        // Done when: verifies offline in another process with only the trust list.
        const trust = join(work, 'trust.json');
        expect(run([...data, 'code', 'trust-list', '--out', trust], env).code).toBe(0);
        const verify = (token: string) =>
          run(
            [
              '--data',
              join(work, 'none'),
              ...at,
              'code',
              'verify',
              '-',
              '--trust',
              trust,
              '--json',
            ],
            {},
            token,
          );
        expect(JSON.parse(verify(first.token).out)).toMatchObject({ ok: true, colour: 'yellow' });
        expect(existsSync(join(work, 'none'))).toBe(false);

        // Two tokens of one person share no identifier (beyond issuer, colour, name, rule set).
        const second = json<{ token: string; tokenHash: string }>(
          run([...data, 'code', 'issue', '--json', ...sub(adult)], env),
        );
        expect(second.tokenHash).not.toBe(first.tokenHash);
        const a = tokenBytes(first.token);
        const b = tokenBytes(second.token);
        const cti = (x: Buffer) => x.subarray(x.indexOf(Buffer.of(0x07, 0x50)) + 2).subarray(0, 16);
        expect(cti(a).equals(cti(b))).toBe(false);
        expect(a.toString('latin1')).not.toContain(adult);

        // A manual order, a correction with human review, and the reviewer's decision.
        expect(
          run([...data, 'code', 'order', '--kind', 'quarantine', '--json', ...sub(adult)], env)
            .code,
        ).toBe(0);
        const corrected = json<{ colour: string; previousColour: string; reviewId: string }>(
          run([...data, 'code', 'correct', '--review', '--json', ...sub(adult)], env),
        );
        expect(corrected).toMatchObject({ colour: 'red', previousColour: 'yellow' });
        const queue = json<{ reviews: { id: string; status: string; subjectId: string }[] }>(
          run([...data, 'code', 'review', 'list', '--json'], env),
        );
        expect(queue.reviews).toEqual([
          expect.objectContaining({ id: corrected.reviewId, status: 'pending', subjectId: adult }),
        ]);
        const decided = json<{ review: { status: string }; correction: { colour: string } }>(
          run(
            [
              ...data,
              'code',
              'review',
              'decide',
              corrected.reviewId,
              '--outcome',
              'lifted',
              '--reviewer',
              'li.wei',
              '--json',
            ],
            env,
          ),
        );
        expect(decided).toMatchObject({
          review: { status: 'changed' },
          correction: { colour: 'green' },
        });
        expect(
          run([...data, 'code', 'review', 'decide', corrected.reviewId, '--outcome', 'upheld'], env)
            .code,
        ).toBe(2);
        expect(
          json<{ reviews: unknown[] }>(run([...data, 'code', 'review', 'list', '--json'], env))
            .reviews,
        ).toEqual([]);

        // A guardian holds their dependant's code; someone else does not.
        const kid = json<{ colour: string; maskedName: string }>(
          run([...data, 'code', 'issue', '--json', '--guardian', adult, ...sub(child)], env),
        );
        expect(kid).toMatchObject({ colour: 'green', maskedName: '王*' });
        const wrong = run([...data, 'code', 'issue', '--guardian', child, ...sub(adult)], env);
        expect(wrong.code).toBe(2);
        expect(wrong.err).toContain('ERR_CODES_NOT_GUARDIAN');

        // Nothing personal on stdout/stderr beyond the masked name.
        expect(run([...data, 'code', 'explain', '--json', ...sub(child)], env).out).not.toContain(
          '王丫',
        );
      } finally {
        await t.cleanup().catch(() => undefined);
        rmSync(work, { recursive: true, force: true });
      }
    }, 600_000);
  }
});
