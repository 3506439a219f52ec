// SPDX-License-Identifier: Apache-2.0
/**
 * @module The crash loop (issue 3): a child process ingests, then erases, and is killed with
 * SIGKILL at a random moment of each phase. After every kill the parent checks that no
 * acknowledged write was lost and that no subject is half-erased — each is either intact (every
 * record decrypts) or crypto-erased (a tombstone, no live key) — then that resuming finishes
 * every interrupted erasure. Used by the bounded loop in the normal suite
 * (src/personal/vault/crash.test.ts) and the long one behind `npm run bench -- --crash`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Store } from '../../src/platform/runtime/index.js';
import { openInstance } from '../../src/edges/app/index.js';
import { FixedClock } from '../../src/kernel/shared/index.js';
import { generatePopulation } from '../../src/foundation/sim/index.js';
import { openVault } from '../../src/personal/vault/index.js';
import type { AuditPort } from '../../src/platform/runtime/audit-port.js';

const NOW = new Date('2026-11-28T20:00:00+08:00');
const MASTER = Buffer.alloc(32, 0xc7).toString('base64');
const noAudit: AuditPort = { append: () => Promise.resolve() };

export interface CrashLoopOptions {
  readonly iterations: number;
  /** Residents ingested per iteration (and batch size). */
  readonly people: number;
  readonly batch: number;
  /** PostgreSQL database URL factory; SQLite when absent. */
  readonly pgUrl?: () => Promise<{ url: string; drop(): Promise<void> }>;
  /** Path of the compiled worker (dist/test/workers/vault-crash-worker.js). */
  readonly worker?: string;
  readonly log?: (line: string) => void;
  /** Deterministic kill delays (ms) per iteration, for reproduction; random otherwise. */
  readonly random?: () => number;
}

export interface CrashLoopResult {
  readonly iterations: number;
  readonly kills: number;
  readonly ackedResidents: number;
  readonly ackedErasures: number;
  readonly violations: string[];
}

interface ChildRun {
  readonly acked: number;
  readonly killed: boolean;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs the worker and kills it with SIGKILL `delayMs` after its `killAtAck`-th acknowledgement
 * (0: after `ready`), so the kill lands inside a batch whatever the machine's speed.
 */
function runWorker(
  worker: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  killAtAck: number,
  delayMs: number,
): Promise<ChildRun> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [worker, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let acks = 0;
    let buf = '';
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer ??= setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, delayMs);
    };
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ack (\d+)$/.exec(line);
        if (m) {
          acked = Number(m[1]);
          acks++;
        }
        if ((line === 'ready' && killAtAck === 0) || (m && acks === killAtAck)) {
          arm();
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ acked, killed: killed && code === null, code, stderr });
    });
  });
}

/** Every subject is intact (all records decrypt) or crypto-erased (tombstone, no live key). */
async function checkNoHalfState(
  store: Store,
  subjects: readonly string[],
  violations: string[],
  label: string,
): Promise<Set<string>> {
  const vault = openVault(store, { audit: noAudit });
  const maint = vault.systemRepository({ actor: 'job:crash-check', purpose: 'maintenance' });
  const tombstoned = new Set((await store.keyring.tombstones()).map((t) => t.subjectId));
  for (const id of subjects) {
    const residue = await vault.residue(
      [id],
      ['basic', 'health', 'itinerary', 'certification', 'subject'],
    );
    if (tombstoned.has(id)) {
      if (residue.keysPresent > 0) {
        violations.push(
          `${label}: subject erased (tombstone) but ${residue.keysPresent} live keys remain`,
        );
      }
      continue;
    }
    try {
      await maint.list(id);
      const kind = await vault.kindOf(id);
      if (kind === 'subscriber') {
        await maint.listEntries(id, 'location-events');
      }
    } catch (err) {
      violations.push(
        `${label}: subject not erased but unreadable (${(err as { code?: string }).code ?? String(err)})`,
      );
    }
  }
  return tombstoned;
}

export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopResult> {
  const worker = options.worker ?? resolve('dist/test/workers/vault-crash-worker.js');
  const rand = options.random ?? Math.random;
  const violations: string[] = [];
  let kills = 0;
  let ackedResidents = 0;
  let ackedErasures = 0;
  for (let it = 0; it < options.iterations; it++) {
    const root = mkdtempSync(join(tmpdir(), 'hc-crash-'));
    const dataDir = join(root, 'data');
    const pg = options.pgUrl ? await options.pgUrl() : undefined;
    const env = {
      ...process.env,
      HEALTHCODE_MASTER_KEY: MASTER,
      ...(pg ? { HEALTHCODE_DB_URL: pg.url } : { HEALTHCODE_DB_URL: '' }),
    };
    try {
      // Phase 1: ingest, killed somewhere in the middle.
      const seed = 1000 + it;
      const batches = Math.ceil(options.people / options.batch);
      const ingest = await runWorker(
        worker,
        ['ingest', dataDir, String(options.people), String(options.batch), String(seed)],
        env,
        Math.floor(rand() * batches),
        rand() * 60,
      );
      if (ingest.killed) {
        kills++;
      } else if (ingest.code !== 0) {
        violations.push(
          `iteration ${it}: ingest worker failed: ${ingest.stderr.split('\n').slice(-3).join(' ')}`,
        );
        continue;
      }
      ackedResidents += ingest.acked;
      process.env.HEALTHCODE_MASTER_KEY = MASTER;
      const store = await openInstance({
        dataDir,
        dbUrl: pg?.url,
        create: true,
        clock: new FixedClock(NOW),
      });
      let subjects: string[];
      try {
        const vault = openVault(store, { audit: noAudit });
        const repo = vault.repository({
          actor: 'job:crash-check',
          role: 'system',
          purpose: 'epidemic-control',
        });
        let n = 0;
        for (const batch of generatePopulation({
          people: options.people,
          days: 2,
          seed,
          end: NOW,
          batchSize: options.batch,
        })) {
          for (const r of batch) {
            if (r.type !== 'resident' || n >= ingest.acked) {
              continue;
            }
            n++;
            const id = await repo.findCitizen(r.resident.idNumber);
            if (id === undefined || (await repo.findSubscriber(r.resident.phone)) === undefined) {
              violations.push(
                `iteration ${it}: an acknowledged resident is missing after the kill`,
              );
            }
          }
        }
        subjects = (
          await store.db.kysely.selectFrom('vault_subject').select('id').orderBy('id').execute()
        ).map((r) => r.id);
        await checkNoHalfState(store, subjects, violations, `iteration ${it} after ingest`);
      } finally {
        await store.close();
      }
      // Phase 2: erase every subject in batches, killed somewhere in the middle.
      const list = join(root, 'subjects.txt');
      writeFileSync(list, subjects.join('\n') + '\n');
      const eraseBatch = Math.max(2, Math.floor(options.batch / 2));
      const erase = await runWorker(
        worker,
        ['erase', dataDir, list, String(eraseBatch)],
        env,
        Math.floor(rand() * Math.ceil(subjects.length / eraseBatch)),
        rand() * 60,
      );
      if (erase.killed) {
        kills++;
      } else if (erase.code !== 0) {
        violations.push(
          `iteration ${it}: erase worker failed: ${erase.stderr.split('\n').slice(-3).join(' ')}`,
        );
        continue;
      }
      ackedErasures += erase.acked;
      const after = await openInstance({
        dataDir,
        dbUrl: pg?.url,
        create: false,
        clock: new FixedClock(NOW),
      });
      try {
        const vault = openVault(after, { audit: noAudit });
        const erased = await checkNoHalfState(
          after,
          subjects,
          violations,
          `iteration ${it} after erase kill`,
        );
        for (const id of subjects.slice(0, erase.acked)) {
          if (!erased.has(id)) {
            violations.push(`iteration ${it}: an acknowledged erasure has no tombstone`);
          }
        }
        const acked = subjects.slice(0, erase.acked);
        if (acked.length > 0) {
          const r = await vault.residue(acked);
          if (r.keysPresent + r.rowsRemaining > 0) {
            violations.push(
              `iteration ${it}: acknowledged erasures left ${r.keysPresent} keys and ${r.rowsRemaining} rows`,
            );
          }
        }
        await vault.resumeErasures('job:crash-check');
        const pending = await after.keyring.tombstones('pending');
        const tomb = [...erased];
        const r =
          tomb.length === 0 ? { keysPresent: 0, rowsRemaining: 0 } : await vault.residue(tomb);
        if (pending.length > 0 || r.keysPresent + r.rowsRemaining > 0) {
          violations.push(
            `iteration ${it}: after resume ${pending.length} pending, ${r.keysPresent} keys, ${r.rowsRemaining} rows`,
          );
        }
        await checkNoHalfState(after, subjects, violations, `iteration ${it} after resume`);
      } finally {
        await after.close();
      }
      options.log?.(
        `iteration ${it}: ingest acked ${ingest.acked}${ingest.killed ? ' (killed)' : ''}, erase acked ${erase.acked}${erase.killed ? ' (killed)' : ''}`,
      );
    } finally {
      await pg?.drop();
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { iterations: options.iterations, kills, ackedResidents, ackedErasures, violations };
}
