// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log service: appends events as RFC 9162 leaves inside the caller's
 * transaction, signs C2SP checkpoints with the log's Ed25519 key, serves inclusion and
 * consistency proofs in O(log n) reads, verifies the whole log, reads entries while their month
 * key lives, and destroys month keys once the security-log period has passed (DESIGN.md §7;
 * DOMAIN.md §6 req. 25).
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import type { Database } from '../../platform/db/index.js';
import { PooledRandom, type Clock, type Random } from '../../kernel/shared/index.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { AuditInconsistentError, AuditLeafNotFoundError } from './errors.js';
import { SEALED_KINDS, decodeLeaf, encodeLeaf, openSealed } from './leaf.js';
import { LogKeys } from './log-keys.js';
import {
  CompactRange,
  EMPTY_ROOT,
  completeSubtrees,
  hashInRow,
  lastLeafOf,
  leafHash,
} from './merkle.js';
import type {
  AuditDeps,
  AuditEntry,
  AuditLog,
  CheckpointOutcome,
  InclusionBundle,
  VerifyOptions,
  VerifyReport,
} from './model.js';
import { formatVerifierKey, noteVerifier, parseVerifierKey, type NoteVerifier } from './note.js';
import { periodExpired } from './period.js';
import {
  consistencyRanges,
  hashRanges,
  inclusionRanges,
  nodesFor,
  verifyInclusion,
  type LeafRange,
} from './proof.js';
import { publishCheckpoint } from './publish.js';
import * as repo from './repository.js';
import { verifyStoredLog } from './verify.js';

type Db = Kysely<Database>;

export { LOG_KEY_CONTEXT, periodKeyContext } from './log-keys.js';

class MerkleAuditLog implements AuditLog {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #keys: LogKeys;

  constructor(store: Store, deps: AuditDeps) {
    this.#store = store;
    this.#clock = deps.clock ?? store.clock;
    this.#random = deps.random ?? new PooledRandom(store.random);
    this.#keys = new LogKeys(store, deps.keyWrapper, this.#clock, this.#random);
  }

  #verifier(): Promise<NoteVerifier> {
    return this.#keys.verifier(this.#db);
  }

  preparePeriodKeys(): Promise<string[]> {
    return this.#keys.prepare(this.#db);
  }

  get #db(): Db {
    return this.#store.db.kysely;
  }

  async append(db: Db, events: readonly AuditEvent[]): Promise<void> {
    await this.appendIndexed(db, events);
  }

  async appendIndexed(db: Db, events: readonly AuditEvent[]): Promise<number[]> {
    if (events.length === 0) {
      return [];
    }
    const run = async (trx: Db): Promise<number[]> => {
      const head = await repo.lockHead(trx);
      const range = CompactRange.deserialize(head.size, head.frontier);
      const sealing = events.some((e) => SEALED_KINDS.has(e.kind))
        ? await this.#keys.sealingKey(trx)
        : undefined;
      const rows = events.map((event, i) => {
        const leaf = SEALED_KINDS.has(event.kind)
          ? encodeLeaf(event, sealing, this.#random.bytes(12))
          : encodeLeaf(event);
        return {
          leaf_index: head.size + i,
          leaf,
          hashes: Buffer.concat(range.push(leafHash(leaf))),
          subject: event.subjectAuditId ?? null,
        };
      });
      await repo.insertLeaves(trx, rows);
      await repo.writeHead(trx, range.size, range.serialize());
      return rows.map((r) => r.leaf_index);
    };
    return db.isTransaction ? run(db) : db.transaction().execute(run);
  }

  async init(): Promise<SignedCheckpoint> {
    const signer = (await this.#keys.signer(this.#db, true))!;
    await this.preparePeriodKeys();
    const latest = await this.#db.transaction().execute(async (trx) => {
      await repo.lockHead(trx);
      if (!(await repo.checkpointAt(trx, 0))) {
        // The log's first checkpoint commits to the empty tree (tlog-checkpoint: size 0).
        const cp = signCheckpoint({ origin: signer.name, size: 0, root: EMPTY_ROOT }, signer);
        await repo.insertCheckpoint(trx, {
          size: 0,
          root: cp.root,
          note: cp.note,
          signedAt: this.#clock.now().getTime(),
        });
      }
      const row = (await repo.latestCheckpoint(trx))!;
      publishCheckpoint(this.#store.paths.checkpoint, row.note, row.size);
      return row;
    });
    return openCheckpoint(latest.note, noteVerifier(signer.name, signer.publicKey));
  }

  async checkpoint(): Promise<CheckpointOutcome> {
    if (!(await repo.readLogKey(this.#db)) || !(await repo.checkpointAt(this.#db, 0))) {
      await this.init();
    }
    const signer = (await this.#keys.signer(this.#db, false))!;
    const outcome = await this.#db.transaction().execute(async (trx) => {
      const head = await repo.lockHead(trx);
      const latest = await repo.latestCheckpoint(trx);
      if (latest && latest.size > head.size) {
        throw new AuditInconsistentError(
          `the log holds ${head.size} leaves but a checkpoint of size ${latest.size} was signed`,
        );
      }
      if (latest && latest.size === head.size) {
        publishCheckpoint(this.#store.paths.checkpoint, latest.note, latest.size);
        return { note: latest.note, signed: false };
      }
      // Sign only what the stored subtrees agree with: a head row that disagrees with the
      // leaves' own hashes means damage, and a log must never sign an inconsistent head.
      const range = CompactRange.deserialize(head.size, head.frontier);
      const peaks = completeSubtrees(0, head.size);
      const rows = await repo.readHashRows(trx, peaks.map(lastLeafOf));
      const fromRows = peaks.map((n) =>
        hashInRow(rows.get(lastLeafOf(n)) ?? Buffer.alloc(0), n.level),
      );
      if (!Buffer.concat(fromRows).equals(range.serialize())) {
        throw new AuditInconsistentError(
          'the log head disagrees with the stored leaves; run "healthcode audit verify"',
        );
      }
      const cp = signCheckpoint(
        { origin: signer.name, size: head.size, root: range.root() },
        signer,
      );
      await repo.insertCheckpoint(trx, {
        size: cp.size,
        root: cp.root,
        note: cp.note,
        signedAt: this.#clock.now().getTime(),
      });
      // Published under the head lock, so a slower signer never overwrites a newer checkpoint.
      publishCheckpoint(this.#store.paths.checkpoint, cp.note, cp.size);
      return { note: cp.note, signed: true };
    });
    const checkpoint = openCheckpoint(outcome.note, await this.#verifier());
    return { checkpoint, signed: outcome.signed };
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const row = await repo.latestCheckpoint(this.#db);
    return row && openCheckpoint(row.note, await this.#verifier());
  }

  async size(): Promise<number> {
    return (await repo.readHead(this.#db)).size;
  }

  async verifierKey(): Promise<string> {
    return formatVerifierKey(await this.#verifier());
  }

  async #hashes(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    const nodes = nodesFor(ranges);
    const rows = await repo.readHashRows(this.#db, nodes.map(lastLeafOf));
    return hashRanges(ranges, (node) => {
      const row = rows.get(lastLeafOf(node));
      if (!row) {
        throw new AuditInconsistentError(
          'a stored subtree hash is missing; run "healthcode audit verify"',
        );
      }
      return hashInRow(row, node.level);
    });
  }

  async prove(leafIndex: number, treeSize?: number): Promise<InclusionBundle> {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0) {
      throw new RangeError('"leafIndex" must be a non-negative integer');
    }
    const verifier = await this.#verifier();
    let row =
      treeSize === undefined
        ? await repo.latestCheckpoint(this.#db)
        : await repo.checkpointAt(this.#db, treeSize);
    if (treeSize === undefined && (!row || row.size <= leafIndex)) {
      if (leafIndex < (await this.size())) {
        await this.checkpoint();
        row = await repo.latestCheckpoint(this.#db);
      }
    }
    if (!row || row.size <= leafIndex) {
      throw new AuditLeafNotFoundError(`no signed checkpoint covers leaf ${leafIndex}`);
    }
    const cp = openCheckpoint(row.note, verifier);
    const stored = await repo.readLeaf(this.#db, leafIndex);
    if (!stored) {
      throw new AuditLeafNotFoundError(`leaf ${leafIndex} is not in the log`);
    }
    const proof = await this.#hashes(inclusionRanges(leafIndex, cp.size));
    // A proof we hand out must check: if it does not, the stored tree has been damaged.
    try {
      verifyInclusion(leafIndex, cp.size, leafHash(stored.leaf), proof, cp.root);
    } catch (cause) {
      throw new AuditInconsistentError(
        'the stored tree no longer matches its signed checkpoint; run "healthcode audit verify"',
        { cause },
      );
    }
    return {
      format: 'healthcode/audit-inclusion/v1',
      leafIndex,
      treeSize: cp.size,
      leaf: stored.leaf.toString('base64'),
      proof: proof.map((h) => h.toString('base64')),
      checkpoint: cp.note,
      verifierKey: formatVerifierKey(verifier),
    };
  }

  async consistency(oldSize: number, newSize: number): Promise<Buffer[]> {
    const size = await this.size();
    if (
      !Number.isSafeInteger(oldSize) ||
      !Number.isSafeInteger(newSize) ||
      oldSize < 0 ||
      oldSize > newSize
    ) {
      throw new RangeError('sizes must satisfy 0 <= oldSize <= newSize');
    }
    if (newSize > size) {
      throw new AuditLeafNotFoundError(`the log holds ${size} leaves, fewer than ${newSize}`);
    }
    return this.#hashes(consistencyRanges(oldSize, newSize));
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const verifier = await this.#verifier();
    const extra =
      options.checkpoint === undefined ? [] : [openCheckpoint(options.checkpoint, verifier)];
    const report = await verifyStoredLog(this.#db, {
      verifier,
      extra,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const keyProblems: VerifyReport['problems'][number][] = [];
    if (
      options.key !== undefined &&
      !parseVerifierKey(options.key).publicKey.equals(verifier.publicKey)
    ) {
      keyProblems.push({ code: 'key-mismatch', message: 'the log key is not the pinned key' });
    }
    try {
      await this.#keys.signer(this.#db, false, true);
    } catch {
      keyProblems.push({
        code: 'key-mismatch',
        message: 'the stored checkpoint key does not match its wrapped private half',
      });
    }
    if (keyProblems.length === 0) {
      return report;
    }
    return { ...report, ok: false, problems: [...keyProblems, ...report.problems] };
  }

  async #toEntry(leafIndex: number, bytes: Uint8Array): Promise<AuditEntry> {
    const leaf = decodeLeaf(bytes);
    const base = {
      leafIndex,
      kind: leaf.kind,
      at: leaf.at,
      ...(leaf.subjectAuditId !== undefined ? { subjectAuditId: leaf.subjectAuditId } : {}),
    };
    if (!leaf.sealed) {
      return { ...base, detailsState: 'clear', ...leaf.body };
    }
    const key = await this.#keys.openMonth(this.#db, leaf.period);
    if (!key) {
      return { ...base, detailsState: 'erased', period: leaf.period };
    }
    try {
      return { ...base, detailsState: 'sealed', period: leaf.period, ...openSealed(leaf, key) };
    } finally {
      key.fill(0);
    }
  }

  async entry(leafIndex: number): Promise<AuditEntry> {
    const row = await repo.readLeaf(this.#db, leafIndex);
    if (!row) {
      throw new AuditLeafNotFoundError(`leaf ${leafIndex} is not in the log`);
    }
    return this.#toEntry(leafIndex, row.leaf);
  }

  async trail(subjectAuditId: string): Promise<AuditEntry[]> {
    const rows = await repo.leavesOfSubject(this.#db, subjectAuditId);
    const out: AuditEntry[] = [];
    for (const r of rows) {
      out.push(await this.#toEntry(r.leafIndex, r.leaf));
    }
    return out;
  }

  async expirePeriodKeys(): Promise<{ destroyed: string[] }> {
    const now = this.#clock.now();
    const { timeZone, retention } = this.#store.config;
    const due = (await repo.livePeriods(this.#db)).filter((p) =>
      periodExpired(p, now, timeZone, retention.securityLogMonths),
    );
    if (due.length === 0) {
      return { destroyed: [] };
    }
    await this.#db.transaction().execute(async (trx) => {
      for (const period of due) {
        await repo.destroyPeriodKey(trx, period, now.getTime());
      }
    });
    this.#keys.forget(due);
    await repo.scrubDestroyedPeriodKeys(this.#store.db);
    return { destroyed: due };
  }
}

/**
 * Creates the audit log of an instance. The result implements the shared `AuditPort`: pass it
 * to the vault and every other capability that records events.
 *
 * @example
 * const log = createAuditLog(store, { keyWrapper });
 * await log.init();
 * await store.db.kysely.transaction().execute((trx) => log.append(trx, [event]));
 * await log.checkpoint();
 */
export function createAuditLog(store: Store, deps: AuditDeps): AuditLog {
  return new MerkleAuditLog(store, deps);
}

/**
 * What every command that appended runs before it exits: signs a checkpoint when the log has
 * grown (creating the log's key and size-0 checkpoint the first time) and publishes it to
 * `DIR/checkpoint.txt`.
 */
export async function signCheckpointIfGrown(
  store: Store,
  deps: AuditDeps,
): Promise<CheckpointOutcome> {
  return createAuditLog(store, deps).checkpoint();
}
