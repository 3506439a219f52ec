// SPDX-License-Identifier: Apache-2.0
/**
 * @module The disposal crash loop (issue 7 "Bad input and faults"): seed a city, draft and approve
 * a `--retire all` plan, then start `disposal run` as its own process group and `kill -9` the
 * whole group at random moments — during the snapshot, between and inside batches, while
 * finalising — and start it again, until a run finishes. The signed certificate's counts must
 * equal the ground truth counted before the first run, and nothing may be left. Used by a bounded
 * CI test (test/e2e/disposal-crash.test.ts) and by `npm run bench -- disposal --crash`.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

export interface CrashLoopOptions {
  /** Kills to deliver in total, spread over the rounds. */
  readonly kills: number;
  readonly rounds: number;
  readonly people: number;
  /** A PostgreSQL URL factory; SQLite when absent. Called once per round. */
  readonly newPgDatabase?: () => Promise<{ url: string; drop(): Promise<void> }>;
  /** Random source in [0, 1) (tests pass a seeded one). */
  readonly random?: () => number;
  readonly log?: (msg: string) => void;
  /**
   * The instant (`--now`, RFC 3339) of each CLI step, asked once per step in order (tests pass
   * the harness clock's); the wall clock when absent (the bench).
   */
  readonly now?: () => string;
}

export interface CrashRound {
  readonly kills: number;
  readonly killedAt: readonly string[];
  readonly rowsBefore: number;
  readonly subjectsBefore: number;
  readonly certifiedRecords: number;
  readonly certifiedSubjects: number;
  readonly rowsAfter: number;
  readonly verified: boolean;
}

/** The compiled CLI, found from the repository root (this file runs from `test/` or `dist/test/`). */
function cliPath(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) {
    dir = dirname(dir);
  }
  return join(dir, 'dist', 'src', 'edges', 'cli', 'main.js');
}

const CLI = cliPath();

/** Runs the CLI to completion. */
function runCli(
  args: readonly string[],
  o: { env: NodeJS.ProcessEnv },
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: o.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** When to kill: after a delay, or once a condition read from the database holds. */
type Trigger =
  { readonly afterMs: number } | { readonly when: () => Promise<boolean>; readonly label: string };

/** Starts `disposal run` in its own process group; resolves with its exit code or 'killed'. */
function startRun(
  data: string,
  plan: string,
  env: NodeJS.ProcessEnv,
  trigger: Trigger | undefined,
  clock: readonly string[],
): Promise<0 | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, ...clock, '--data', data, 'disposal', 'run', plan, '--batch', '3'],
      {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true, // a process group of its own: the kill reaches anything it started
      },
    );
    let killed = false;
    let done = false;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = () => {
      if (done) {
        return;
      }
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let timer: NodeJS.Timeout | undefined;
    if (trigger !== undefined && 'afterMs' in trigger) {
      timer = setTimeout(kill, trigger.afterMs);
    } else if (trigger !== undefined) {
      const poll = async () => {
        while (!done && !killed) {
          if (await trigger.when().catch(() => false)) {
            kill();
            return;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      void poll();
    }
    child.on('error', reject);
    child.on('close', (code) => {
      done = true;
      clearTimeout(timer);
      if (killed && code !== 0) {
        resolve('killed');
      } else if (code !== 0) {
        reject(new Error(`disposal run exited ${code}: ${stderr.trim()}`));
      } else {
        resolve(0);
      }
    });
  });
}

async function query(
  data: string,
  pgUrl: string | undefined,
  sql: string,
): Promise<Record<string, unknown>[]> {
  if (pgUrl !== undefined) {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      return (await c.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  }
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(join(data, 'healthcode.db'), { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

async function count(data: string, pgUrl: string | undefined, table: string): Promise<number> {
  return Number((await query(data, pgUrl, `select count(*) as n from ${table}`))[0]?.n ?? 0);
}

/** Runs the loop; throws when a certificate's counts differ from the ground truth. */
export async function runCrashLoop(o: CrashLoopOptions): Promise<CrashRound[]> {
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => undefined);
  const root = mkdtempSync(join(tmpdir(), 'hc-disposal-crash-'));
  const rounds: CrashRound[] = [];
  try {
    let template: string | undefined;
    for (let round = 0; round < o.rounds; round++) {
      const dir = join(root, `round-${round}`);
      mkdirSync(dir);
      const data = join(dir, 'data');
      const pgDb = o.newPgDatabase ? await o.newPgDatabase() : undefined;
      const env = {
        ...process.env,
        HEALTHCODE_LOG_LEVEL: 'warn',
        HEALTHCODE_DB_URL: pgDb?.url,
        ...(o.now === undefined ? {} : { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' }),
      };
      const clock = (): string[] => (o.now === undefined ? [] : ['--now', o.now()]);
      const cli = (args: string[]) => runCli([...clock(), '--data', data, ...args], { env });
      const must = async (args: string[]) => {
        const r = await cli(args);
        if (r.code !== 0) {
          throw new Error(`${args.slice(0, 2).join(' ')} failed: ${r.stderr.trim()}`);
        }
        return r;
      };
      try {
        if (pgDb === undefined && template !== undefined) {
          cpSync(template, data, { recursive: true }); // a seeded SQLite city, copied: rounds stay cheap
        } else {
          await must([
            'seed',
            '--people',
            String(o.people),
            '--days',
            '2',
            '--seed',
            String(round + 1),
          ]);
          await must(['operator', 'add', 'alice']);
          if (pgDb === undefined) {
            template = join(root, 'template');
            cpSync(data, template, { recursive: true });
          }
        }
        const plan = join(dir, 'plan.json');
        await must(['disposal', 'plan', '--retire', 'all', '--out', plan]);
        await must(['disposal', 'approve', plan, '--by', 'alice']);
        const rowsBefore = await count(data, pgDb?.url, 'vault_record');
        const subjectsBefore = await count(data, pgDb?.url, 'vault_subject');
        // Kill points: early (start-up, snapshot), at a random batch, or while finalising.
        const killsHere = Math.floor(o.kills / o.rounds) + (round < o.kills % o.rounds ? 1 : 0);
        const killedAt: string[] = [];
        const progress = async () => {
          const rows = await query(
            data,
            pgDb?.url,
            'select total, done, executed_at from disposal_runs',
          );
          return rows[0] as { total: number; done: number; executed_at: number | null } | undefined;
        };
        for (let k = 0; ; k++) {
          let trigger: Trigger | undefined;
          if (k < killsHere) {
            const u = random();
            const frac = random();
            trigger =
              u < 0.2
                ? { afterMs: Math.round(100 + random() * 1500) }
                : u < 0.8
                  ? {
                      label: `at ${Math.round(frac * 100)}% of the batches`,
                      when: async () => {
                        const p = await progress();
                        return (
                          p !== undefined && p.total > 0 && p.done >= Math.round(frac * p.total)
                        );
                      },
                    }
                  : {
                      label: 'while finalising',
                      when: async () => {
                        const p = await progress();
                        return (
                          p !== undefined &&
                          p.total >= 0 &&
                          p.done === p.total &&
                          p.executed_at === null
                        );
                      },
                    };
          }
          const out = await startRun(data, plan, env, trigger, clock());
          if (out === 'killed') {
            killedAt.push(
              trigger === undefined
                ? '?'
                : 'afterMs' in trigger
                  ? `after ${trigger.afterMs} ms`
                  : trigger.label,
            );
            log(`round ${round}: killed ${killedAt[killedAt.length - 1]}`);
            continue;
          }
          if (k >= killsHere) {
            break;
          }
        }
        const bundle = join(dir, 'certificate.json');
        await must(['disposal', 'certificate', 'plan', plan, '--out', bundle]);
        const cert = (
          JSON.parse(readFileSync(bundle, 'utf8')) as {
            certificate: { what: { recordsErased: number }[]; execution: { subjects: number } };
          }
        ).certificate;
        const verified = (await cli(['disposal', 'verify', plan])).code === 0;
        const r: CrashRound = {
          kills: killedAt.length,
          killedAt,
          rowsBefore,
          subjectsBefore,
          certifiedRecords: cert.what.reduce((a, w) => a + w.recordsErased, 0),
          certifiedSubjects: cert.execution.subjects,
          rowsAfter: await count(data, pgDb?.url, 'vault_record'),
          verified,
        };
        rounds.push(r);
        if (
          r.certifiedRecords !== rowsBefore ||
          r.certifiedSubjects !== subjectsBefore ||
          r.rowsAfter !== 0 ||
          !verified
        ) {
          throw new Error(
            `round ${round}: certificate ${JSON.stringify(r)} differs from the ground truth`,
          );
        }
      } finally {
        await pgDb?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return rounds;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
