// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of `healthcode audit …` (DESIGN.md §7, §9): verify, prove,
 * check-proof, consistency, checkpoint and show. `check-proof` and `consistency --proof` work
 * offline, with no data dir; verification failures answer exit 1, unusable input exit 2, and two
 * inconsistent checkpoints are reported loudly on stderr.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../platform/runtime/index.js';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  withStore,
  type CommandEnv,
  type CommandOutcome,
} from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import { checkConsistencyBundle, checkInclusionBundle } from './bundle.js';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { checkConsistency } from './consistency.js';
import { isVerificationFailure } from './errors.js';
import { checkHistory, type HistoryReport } from './history.js';
import type { AuditLog, ConsistencyBundle, VerifyReport } from './model.js';
import { parseVerifierKey } from './note.js';
import { createAuditLog } from './service.js';

/** What a command prints and how it exits. */
/** One command's result; its warnings include the loud inconsistency banner. */
export type { CommandOutcome };

const LOUD =
  '!!! INCONSISTENT CHECKPOINTS: the log signed two heads that cannot both be true — it has been forked or rewritten. Keep the files as evidence.';

/** Reads a UTF-8 text file, refusing bytes that are not UTF-8. */
export function readText(path: string, what: string): string {
  const bytes = readFileSync(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${what} is not UTF-8 text`);
  }
}

async function withLog<T>(
  env: CommandEnv,
  fn: (log: AuditLog, store: Store) => Promise<T>,
): Promise<T> {
  // withStore loads the instance lazily: the offline commands must not pull it in.
  return withStore(env, (store) =>
    fn(createAuditLog(store, { keyWrapper: store.keyring.keyWrapper() }), store),
  );
}

/** Turns a verification failure into exit 1 with its code; anything else stays an error. */
function negative(err: unknown, what: string): CommandOutcome {
  if (!isVerificationFailure(err)) {
    throw err;
  }
  const e = err as Error & { code: string };
  return {
    exitCode: EXIT_NEGATIVE,
    json: { ok: false, error: { code: e.code, message: e.message } },
    text: `${what}: INVALID — ${e.message} [${e.code}]`,
    ...(e.code === 'ERR_AUDIT_INCONSISTENT' ? { warnings: [LOUD] } : {}),
  };
}

function historyFiles(dir: string): { name: string; note: string }[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, note: readText(join(dir, name), `history file ${name}`) }));
}

/** Checks an auditor's kept checkpoints against the log's latest, then keeps the latest too. */
async function history(
  log: AuditLog,
  dir: string,
  latest: SignedCheckpoint,
): Promise<HistoryReport> {
  const verifier = parseVerifierKey(await log.verifierKey());
  const report = await checkHistory(historyFiles(dir), latest, verifier, (m, n) =>
    log.consistency(m, n),
  );
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `checkpoint-${String(latest.size).padStart(12, '0')}.txt`);
  if (!existsSync(file)) {
    writeFileSync(file, latest.note, { mode: 0o644 });
  }
  return report;
}

function historyLines(h: HistoryReport): string[] {
  return [
    `history: ${h.checked} kept checkpoint(s) checked against size ${h.latestSize}: ${h.ok ? 'consistent' : 'PROBLEMS'}`,
    ...h.problems.map((p) => `  ${p.code.toUpperCase()} ${p.name}: ${p.message}`),
  ];
}

function reportLines(r: VerifyReport): string[] {
  return [
    `leaves: ${r.size}`,
    `root: ${r.root}`,
    `latest checkpoint: ${r.checkpointSize ?? 'none'} (${r.checkpointsChecked} checked)`,
    ...(r.unsignedLeaves > 0 ? [`unsigned leaves after it: ${r.unsignedLeaves}`] : []),
    ...r.problems.map((p) => `PROBLEM ${p.code}: ${p.message}`),
    r.ok ? 'verdict: the log matches its signed checkpoints' : 'verdict: TAMPERED OR DAMAGED',
  ];
}

/** `audit verify`: recompute the tree from every leaf; exit 1 on any mismatch. */
export async function auditVerify(
  env: CommandEnv,
  opts: {
    checkpoint?: string;
    history?: string;
    key?: string;
    onProgress?: (n: number, total: number) => void;
  },
): Promise<CommandOutcome> {
  const given =
    opts.checkpoint === undefined ? undefined : readText(opts.checkpoint, 'the checkpoint file');
  return withLog(env, async (log) => {
    const total = await log.size();
    let report: VerifyReport;
    try {
      report = await log.verify({
        ...(given !== undefined ? { checkpoint: given } : {}),
        ...(opts.key !== undefined ? { key: opts.key } : {}),
        ...(opts.onProgress ? { onProgress: (n: number) => opts.onProgress!(n, total) } : {}),
      });
    } catch (err) {
      return negative(err, 'verify');
    }
    let hist: HistoryReport | undefined;
    if (opts.history !== undefined) {
      const latest = await log.latestCheckpoint();
      if (latest && report.ok) {
        hist = await history(log, opts.history, latest);
      }
    }
    const ok = report.ok && (hist?.ok ?? true);
    const forked = hist?.problems.some((p) => p.code === 'inconsistent') ?? false;
    return {
      exitCode: ok ? EXIT_OK : EXIT_NEGATIVE,
      json: { ok, report, ...(hist ? { history: hist } : {}) },
      text: [...reportLines(report), ...(hist ? historyLines(hist) : [])].join('\n'),
      ...(forked ? { warnings: [LOUD] } : {}),
    };
  });
}

/** `audit prove`: an inclusion-proof bundle for one leaf. */
export async function auditProve(
  env: CommandEnv,
  leafIndexText: string,
  opts: { out?: string; size?: string },
): Promise<CommandOutcome> {
  const leafIndex = parseSize(leafIndexText, 'leaf index');
  const size = opts.size === undefined ? undefined : parseSize(opts.size, '--size');
  return withLog(env, async (log) => {
    let bundle: Awaited<ReturnType<AuditLog['prove']>>;
    try {
      bundle = await log.prove(leafIndex, size);
    } catch (err) {
      return negative(err, 'prove');
    }
    const body = JSON.stringify(bundle, null, 2) + '\n';
    if (opts.out !== undefined) {
      writeFileSync(opts.out, body, { mode: 0o644 });
      return {
        exitCode: EXIT_OK,
        json: { out: opts.out, leafIndex, treeSize: bundle.treeSize },
        text: `wrote the proof of leaf ${leafIndex} in the tree of size ${bundle.treeSize} to ${opts.out}`,
      };
    }
    return { exitCode: EXIT_OK, json: bundle, text: body.trimEnd() };
  });
}

/** `audit check-proof`: offline; no data dir. */
export function auditCheckProof(file: string, opts: { key?: string }): CommandOutcome {
  const text = readText(file, 'the proof file');
  try {
    const v = checkInclusionBundle(text, opts.key);
    const leaf = v.leaf && {
      kind: v.leaf.kind,
      at: v.leaf.at.toISOString(),
      ...(v.leaf.subjectAuditId !== undefined ? { subjectAuditId: v.leaf.subjectAuditId } : {}),
      ...(v.leaf.sealed ? { details: 'sealed' } : { details: v.leaf.body }),
    };
    return {
      exitCode: EXIT_OK,
      json: { ok: true, ...v, leaf },
      text: [
        `valid: leaf ${v.leafIndex} is in the log ${v.origin} at size ${v.treeSize}`,
        `root: ${v.root}`,
        ...(leaf ? [`leaf: ${leaf.kind} at ${leaf.at}`] : []),
      ].join('\n'),
      ...(v.keyPinned
        ? {}
        : { warnings: ['warning: trusted the key inside the bundle; pin the log key with --key'] }),
    };
  } catch (err) {
    return negative(err, 'check-proof');
  }
}

/** `audit consistency`: offline with `--proof`, else produced from the data dir. */
export async function auditConsistency(
  env: CommandEnv,
  oldFile: string,
  newFile: string,
  opts: { proof?: string; out?: string; key?: string },
): Promise<CommandOutcome> {
  const oldNote = readText(oldFile, 'the old checkpoint');
  const newNote = readText(newFile, 'the new checkpoint');
  const done = (
    older: SignedCheckpoint,
    newer: SignedCheckpoint,
    extra: object = {},
  ): CommandOutcome => ({
    exitCode: EXIT_OK,
    json: { ok: true, size1: older.size, size2: newer.size, ...extra },
    text: `consistent: the checkpoint of size ${newer.size} extends the one of size ${older.size}`,
  });
  if (opts.proof !== undefined) {
    const json = readText(opts.proof, 'the proof file');
    try {
      const { older, newer } = checkConsistencyBundle(oldNote, newNote, json, opts.key);
      return done(older, newer);
    } catch (err) {
      return negative(err, 'consistency');
    }
  }
  return withLog(env, async (log) => {
    const vkey = opts.key ?? (await log.verifierKey());
    const verifier = parseVerifierKey(vkey);
    try {
      let older = openCheckpoint(oldNote, verifier);
      let newer = openCheckpoint(newNote, verifier);
      if (older.size > newer.size) {
        [older, newer] = [newer, older];
      }
      const proof = await log.consistency(older.size, newer.size);
      checkConsistency(older, newer, proof);
      const bundle: ConsistencyBundle = {
        format: 'healthcode/audit-consistency/v1',
        size1: older.size,
        size2: newer.size,
        proof: proof.map((h) => h.toString('base64')),
        verifierKey: vkey,
      };
      if (opts.out !== undefined) {
        writeFileSync(opts.out, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o644 });
      }
      return done(older, newer, { proof: bundle.proof, ...(opts.out ? { out: opts.out } : {}) });
    } catch (err) {
      return negative(err, 'consistency');
    }
  });
}

/** `audit checkpoint`: sign one if the log grew (creating the log the first time), publish it. */
export async function auditCheckpoint(
  env: CommandEnv,
  opts: { history?: string },
): Promise<CommandOutcome> {
  return withLog(env, async (log, store) => {
    await log.preparePeriodKeys();
    const { checkpoint, signed } = await log.checkpoint();
    const verifierKey = await log.verifierKey();
    const hist =
      opts.history === undefined ? undefined : await history(log, opts.history, checkpoint);
    const forked = hist?.problems.some((p) => p.code === 'inconsistent') ?? false;
    return {
      exitCode: hist && !hist.ok ? EXIT_NEGATIVE : EXIT_OK,
      json: {
        size: checkpoint.size,
        root: checkpoint.root.toString('base64'),
        signed,
        note: checkpoint.note,
        verifierKey,
        published: store.paths.checkpoint,
        ...(hist ? { history: hist } : {}),
      },
      text: [
        checkpoint.note.trimEnd(),
        '',
        `verifier key: ${verifierKey}`,
        ...(hist ? historyLines(hist) : []),
      ].join('\n'),
      ...(forked ? { warnings: [LOUD] } : {}),
    };
  });
}

/** `audit show`: one entry as a reader sees it (sealed details only while their key lives). */
export async function auditShow(env: CommandEnv, leafIndexText: string): Promise<CommandOutcome> {
  const leafIndex = parseSize(leafIndexText, 'leaf index');
  return withLog(env, async (log) => {
    const entry = await log.entry(leafIndex);
    const json = { ...entry, at: entry.at.toISOString() };
    return {
      exitCode: EXIT_OK,
      json,
      text: Object.entries(json)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join('\n'),
    };
  });
}

function parseSize(text: string, label: string): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${label} must be a non-negative integer`);
  }
  return Number(text);
}
