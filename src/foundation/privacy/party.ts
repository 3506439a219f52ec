// SPDX-License-Identifier: Apache-2.0
/**
 * @module A party node: one process per party (DESIGN.md §8). An input party (a carrier, the code
 * operator) computes its local histogram through an injected provider, splits it into additive
 * shares mod 2^64 (PRG-compressed for all but the last compute party) and streams them in chunks.
 * A compute party adds the shares of every input, adds its own Skellam noise share, and reveals its
 * sum to the coordinator only when told that every compute party has every input — so a dropout
 * or malformed chunk aborts the job with nothing partial revealed. Knows no database.
 *
 * Links outlive jobs: a coordinator's link and an input party's links to the compute parties go
 * back to waiting for the next job when a job ends normally (TLS handshakes are paid once, not per
 * job); a link that saw an abort or a protocol error is closed.
 */
import type { Server } from 'node:tls';
import type { Clock, Random } from '../../kernel/shared/index.js';
import { systemClock, systemRandom } from '../../kernel/shared/index.js';
import type { FramedConnection } from './channel.js';
import { connectPinned, listenPinned, parseJson, type Frame, type TlsIdentity } from './channel.js';
import { LinkPool } from './link-pool.js';
import { JobAbortedError, PartyConfigError, ProtocolError } from './errors.js';
import {
  MSG,
  fullShareHolder,
  msUntil,
  parseJobSpec,
  type JobSpec,
  type PeerEntry,
} from './model.js';
import { linkageTest, type LinkageRecord, type ReleasedValue } from './release.js';
import {
  Prg,
  ShareSplitter,
  addInto,
  addSignedInto,
  bytesToVector,
  vectorToBytes,
} from './ring.js';
import { ExactSampler, rational } from './samplers.js';
import { RandomBits } from './random-bits.js';
import { applyDedup, dedupAsReceiver, dedupAsSender, type PersonContribution } from './dedup.js';

/** What an input party contributes to one job. */
export interface LocalInput {
  /** The bounded local histogram, `job.cells` long. */
  readonly histogram: BigUint64Array;
  /** The raw records as the linkage test sees them (kept at the holder). */
  linkageRecords(): Iterable<LinkageRecord>;
  /**
   * Per-person contributions with their register identity, for cross-holder de-duplication by
   * PSI (jobs with `dedup`). Stays at the holder.
   */
  readonly persons?: readonly PersonContribution[];
}

/** Computes an input party's local histogram for a job's query. */
export type InputProvider = (job: JobSpec) => Promise<LocalInput>;

export interface PartyNodeOptions {
  readonly name: string;
  readonly role: 'input' | 'compute';
  readonly identity: TlsIdentity;
  /** Pinned peers: coordinators, compute parties, input parties. */
  readonly peers: readonly PeerEntry[];
  readonly host?: string;
  readonly port?: number;
  readonly inputProvider?: InputProvider;
  readonly random?: Random;
  readonly clock?: Clock;
  readonly log?: (msg: string) => void;
  /** Test seam: lets a compute party accept jobs without noise (never set in production). */
  readonly allowNoiseOff?: boolean;
}

export interface PartyNode {
  readonly port: number;
  close(): Promise<void>;
}

/** How long a link may sit idle between jobs before this party closes it. */
const IDLE_MS = 5 * 60_000;

/**
 * How long a compute party holds an input's stream for a job it has not been sent yet: the
 * coordinator sends the job to every party at once, so an input's HELLO may overtake it.
 */
const JOB_ANNOUNCE_MS = 30_000;

/** Reads the next frame within the job's deadline; an ABORT frame becomes a {@link JobAbortedError}. */
async function expect(
  conn: FramedConnection,
  deadline: string,
  clock: Clock,
  ...types: number[]
): Promise<Frame> {
  const f = await conn.next(msUntil(deadline, clock.now()));
  if (f.type === MSG.ABORT) {
    const why = (parseJson(f, conn.peer) as { reason?: string }).reason ?? 'aborted';
    throw new JobAbortedError(`job aborted by ${conn.peer}: ${String(why).slice(0, 200)}`);
  }
  if (!types.includes(f.type)) {
    throw new ProtocolError(`unexpected message ${f.type} from ${conn.peer}`);
  }
  return f;
}

function reasonOf(err: unknown): string {
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    return err.message;
  }
  return 'internal error';
}

interface DedupReady {
  readonly spec: JobSpec;
  readonly persons: readonly PersonContribution[];
}

interface DedupSlot {
  readonly ready: Promise<DedupReady>;
  resolve(v: DedupReady): void;
  reject(e: Error): void;
}

interface ComputeJob {
  readonly spec: JobSpec;
  readonly acc: BigUint64Array;
  readonly seen: Set<string>;
  readonly done: Set<string>;
  /** This party's index in `spec.compute`. */
  readonly index: number;
  failed?: string;
  onProgress(): void;
}

/** Starts a party node listening on `host:port` (port 0 = any free port). */
export async function startPartyNode(options: PartyNodeOptions): Promise<PartyNode> {
  return new PartyNodeServer(options).listen();
}

/**
 * One party node's state and protocol roles: it serves each pinned link (a coordinator's jobs, an
 * input's share stream, a later holder's de-duplication PSI) and runs jobs as a compute or an input
 * party. Built and started by {@link startPartyNode}; one instance per node.
 */
class PartyNodeServer {
  private readonly options: PartyNodeOptions;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly log: (msg: string) => void;
  private readonly byFingerprint: Map<string, string>;
  private readonly byName: Map<string, PeerEntry>;
  private readonly jobs = new Map<string, ComputeJob>();
  /** Input streams that arrived before their job: woken when the job registers. */
  private readonly awaited = new Map<string, Set<() => void>>();
  private readonly open = new Set<FramedConnection>();
  /** An input party's links to compute parties, kept between jobs. */
  private readonly computeLinks: LinkPool;
  private readonly dedupSlots = new Map<string, DedupSlot>();

  constructor(options: PartyNodeOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    this.log = options.log ?? (() => undefined);
    if (options.role === 'input' && options.inputProvider === undefined) {
      throw new PartyConfigError('an input party needs a data source');
    }
    this.byFingerprint = new Map(options.peers.map((p) => [p.fingerprint, p.name]));
    this.byName = new Map(options.peers.map((p) => [p.name, p]));
    this.computeLinks = new LinkPool(options.identity);
  }

  /** Listens on `host:port` and returns the running node. */
  async listen(): Promise<PartyNode> {
    const { options, log } = this;
    const { server, port } = await listenPinned({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      identity: options.identity,
      allowed: this.byFingerprint,
      onConnection: (conn) => this.onConnection(conn),
      onReject: (r) => log(`${options.name}: refused a connection (${r})`),
    });
    return {
      port,
      close: () => {
        this.computeLinks.close();
        return closeServer(server, this.open);
      },
    };
  }

  /** The slot where an input party's persons wait for later holders' PSI (created by either side). */
  private dedupSlot(jobId: string): DedupSlot {
    const { dedupSlots } = this;
    let slot = dedupSlots.get(jobId);
    if (slot === undefined) {
      let resolve: DedupSlot['resolve'] = () => undefined;
      let reject: DedupSlot['reject'] = () => undefined;
      const ready = new Promise<DedupReady>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A slot nobody fills (an aborted job) must not leave an unhandled rejection behind.
      ready.catch(() => undefined);
      slot = { ready, resolve, reject };
      dedupSlots.set(jobId, slot);
    }
    return slot;
  }

  private onConnection(conn: FramedConnection): void {
    const { options, log, byName, open } = this;
    open.add(conn);
    conn.socket.once('close', () => open.delete(conn));
    const peer = byName.get(conn.peer)!;
    void this.handle(conn, peer).catch((err: unknown) => {
      log(`${options.name}: ${reasonOf(err)}`);
      conn.destroy();
    });
  }

  /**
   * Serves one link: a job (or a job's share stream) at a time, then waits for the next on the
   * same link until the peer closes it or it idles out. Returns quietly when the link ends between
   * jobs; throws on a protocol error.
   */
  private async handle(conn: FramedConnection, peer: PeerEntry): Promise<void> {
    const { options, jobs } = this;
    let first = await conn.next(30_000);
    for (;;) {
      let reusable: boolean;
      if (peer.role === 'coordinator' && first.type === MSG.JOB) {
        const spec = parseJobSpec(parseJson(first, conn.peer));
        reusable =
          options.role === 'compute'
            ? await this.runCompute(conn, spec)
            : await this.runInput(conn, spec);
      } else if (peer.role === 'input' && options.role === 'compute' && first.type === MSG.HELLO) {
        const hello = parseJson(first, conn.peer) as { jobId?: unknown };
        if (typeof hello.jobId !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(hello.jobId)) {
          throw new ProtocolError(`${conn.peer} named no valid job`);
        }
        const job = jobs.get(hello.jobId) ?? (await this.announced(hello.jobId, conn));
        if (job === undefined) {
          throw new ProtocolError(`${conn.peer} named an unknown job`);
        }
        reusable = await this.receiveInput(conn, job);
      } else if (
        peer.role === 'input' &&
        options.role === 'input' &&
        first.type === MSG.DEDUP_HELLO
      ) {
        await this.serveDedup(conn, parseJson(first, conn.peer) as { jobId?: unknown });
        return;
      } else {
        throw new ProtocolError(`unexpected opening message from ${conn.peer}`);
      }
      if (!reusable || conn.closed) {
        return;
      }
      try {
        first = await conn.next(IDLE_MS);
      } catch {
        // The peer closed the link between jobs, or it idled out: nothing to report.
        conn.destroy();
        return;
      }
    }
  }

  /** The job `id` once the coordinator's message registers it; undefined on timeout or close. */
  private announced(id: string, conn: FramedConnection): Promise<ComputeJob | undefined> {
    const { jobs, awaited } = this;
    return new Promise((resolve) => {
      let wakers = awaited.get(id);
      if (wakers === undefined) {
        wakers = new Set();
        awaited.set(id, wakers);
      }
      const set = wakers;
      const done = () => {
        clearTimeout(timer);
        conn.socket.off('close', done);
        set.delete(done);
        if (set.size === 0 && awaited.get(id) === set) {
          awaited.delete(id);
        }
        resolve(jobs.get(id));
      };
      const timer = setTimeout(done, JOB_ANNOUNCE_MS);
      conn.socket.once('close', done);
      set.add(done);
    });
  }

  /** Answers a later holder's PSI for de-duplication, once this party's persons are known. */
  private async serveDedup(conn: FramedConnection, hello: { jobId?: unknown }): Promise<void> {
    const { options, clock, random, dedupSlots } = this;
    if (typeof hello.jobId !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(hello.jobId)) {
      throw new ProtocolError(`${conn.peer} named no valid job`);
    }
    const slot = this.dedupSlot(hello.jobId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        dedupSlots.delete(hello.jobId as string);
        reject(new ProtocolError(`${conn.peer} asked to de-duplicate an unknown job`));
      }, 60_000);
    });
    try {
      const { spec, persons } = await Promise.race([slot.ready, timeout]);
      clearTimeout(timer);
      const me = spec.inputs.indexOf(options.name);
      if (spec.inputs.indexOf(conn.peer) <= me) {
        throw new ProtocolError(`${conn.peer} is not a later holder of this job`);
      }
      await dedupAsSender(conn, persons, {
        random,
        timeoutMs: msUntil(spec.deadline, clock.now()),
      });
      conn.close();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs PSI with every earlier holder and drops the persons they count. */
  private async dedupInput(
    spec: JobSpec,
    local: LocalInput,
    links: FramedConnection[],
  ): Promise<readonly LinkageRecord[]> {
    const { options, clock, random, log, byName } = this;
    const persons = local.persons;
    if (persons === undefined) {
      throw new PartyConfigError('this input party cannot de-duplicate across holders');
    }
    this.dedupSlot(spec.id).resolve({ spec, persons });
    const me = spec.inputs.indexOf(options.name);
    const drop = new Set<string>();
    await Promise.all(
      spec.dedup!.holders.slice(0, me).map(async (h) => {
        const pinned = byName.get(h.name);
        if (pinned === undefined || pinned.role !== 'input') {
          throw new PartyConfigError(`input party ${h.name} is not pinned in this party's config`);
        }
        const link = await connectPinned({
          host: h.host,
          port: h.port,
          identity: options.identity,
          peerName: h.name,
          fingerprint: pinned.fingerprint,
        });
        links.push(link);
        await link.sendJson(MSG.DEDUP_HELLO, { jobId: spec.id, party: options.name });
        const shared = await dedupAsReceiver(link, persons, {
          random,
          timeoutMs: msUntil(spec.deadline, clock.now()),
        });
        for (const id of shared) {
          drop.add(id);
        }
        link.close();
      }),
    );
    const r = applyDedup(local.histogram, persons, drop);
    log(
      `${options.name}: job ${spec.id}: de-duplication kept ${r.kept.length} persons, dropped ${r.dropped} counted by an earlier holder and ${r.unidentified} without a register identity`,
    );
    return r.kept;
  }

  /** Adds one input's share stream; true when it arrived whole (the link may carry another). */
  private async receiveInput(conn: FramedConnection, job: ComputeJob): Promise<boolean> {
    const { clock } = this;
    const { spec } = job;
    const from = conn.peer;
    try {
      if (!spec.inputs.includes(from) || job.seen.has(from)) {
        throw new ProtocolError(`${from} is not an expected input of this job`);
      }
      job.seen.add(from);
      if (fullShareHolder(spec, from) !== job.index) {
        const seed = await expect(conn, spec.deadline, clock, MSG.SEED);
        if (seed.payload.length !== 32) {
          throw new ProtocolError(`malformed seed from ${from}`);
        }
        const prg = new Prg(seed.payload);
        seed.payload.fill(0);
        for (let off = 0; off < spec.cells; off += spec.chunkCells) {
          const n = Math.min(spec.chunkCells, spec.cells - off);
          addInto(job.acc.subarray(off, off + n), prg.take(n));
        }
      } else {
        const chunks = Math.ceil(spec.cells / spec.chunkCells);
        for (let i = 0; i < chunks; i++) {
          const f = await expect(conn, spec.deadline, clock, MSG.CHUNK);
          const n = Math.min(spec.chunkCells, spec.cells - i * spec.chunkCells);
          if (f.payload.length !== 8 + n * 8 || f.payload.readUInt32LE(0) !== i) {
            throw new ProtocolError(`malformed share chunk ${i} from ${from}`);
          }
          const off = i * spec.chunkCells;
          addInto(job.acc.subarray(off, off + n), bytesToVector(f.payload.subarray(8)));
        }
      }
      const end = parseJson(await expect(conn, spec.deadline, clock, MSG.END), from) as {
        cells?: unknown;
      };
      if (end.cells !== spec.cells) {
        throw new ProtocolError(`share stream from ${from} has the wrong length`);
      }
      job.done.add(from);
      return true;
    } catch (err) {
      job.failed ??=
        err instanceof ProtocolError && /closed|failed/.test(err.message)
          ? `input party ${from} dropped out`
          : reasonOf(err);
      conn.destroy();
      return false;
    } finally {
      job.onProgress();
    }
  }

  /** Runs a job as a compute party; true when it ended normally (the link may carry another). */
  private async runCompute(ctl: FramedConnection, spec: JobSpec): Promise<boolean> {
    const { options, clock, random, log, jobs, awaited } = this;
    const index = spec.compute.findIndex((c) => c.name === options.name);
    if (index < 0) {
      throw new PartyConfigError('this party is not a compute party of the job');
    }
    if (spec.noise.kind === 'none' && !options.allowNoiseOff) {
      await ctl.sendJson(MSG.ABORT, { reason: `${options.name} refuses a job without noise` });
      ctl.close();
      return false;
    }
    let wake: () => void = () => undefined;
    const job: ComputeJob = {
      spec,
      acc: new BigUint64Array(spec.cells),
      seen: new Set(),
      done: new Set(),
      index,
      onProgress: () => wake(),
    };
    jobs.set(spec.id, job);
    for (const wake of [...(awaited.get(spec.id) ?? [])]) {
      wake();
    }
    const timer = setTimeout(
      () => {
        job.failed ??= 'deadline passed before every input arrived';
        wake();
      },
      msUntil(spec.deadline, clock.now()),
    );
    // Removed when the job ends: the link outlives the job, and listeners must not pile up on it.
    const onClose = () => {
      job.failed ??= 'coordinator went away';
      wake();
    };
    ctl.socket.once('close', onClose);
    try {
      await ctl.sendJson(MSG.READY, { party: options.name });
      // Wait for every input, a failure, the deadline, or the coordinator going away.
      await new Promise<void>((resolve) => {
        wake = () => {
          if (job.failed !== undefined || job.done.size === spec.inputs.length) {
            resolve();
          }
        };
        wake();
      });
      if (job.failed !== undefined) {
        throw new JobAbortedError(job.failed);
      }
      if (spec.noise.kind === 'skellam') {
        const sampler = new ExactSampler(new RandomBits(random));
        const lambda = rational(spec.noise.lambdaPerParty);
        const noise = new Int32Array(Math.min(spec.chunkCells, spec.cells));
        for (let off = 0; off < spec.cells; off += noise.length) {
          const n = Math.min(noise.length, spec.cells - off);
          const view = n === noise.length ? noise : noise.subarray(0, n);
          for (let i = 0; i < n; i++) {
            view[i] = sampler.skellam(lambda);
          }
          addSignedInto(job.acc.subarray(off, off + n), view);
        }
        noise.fill(0);
      }
      await ctl.sendJson(MSG.COMPLETE, { party: options.name, inputs: [...job.done].sort() });
      await expect(ctl, spec.deadline, clock, MSG.REVEAL);
      const chunks = Math.ceil(spec.cells / spec.chunkCells);
      ctl.hold();
      for (let i = 0; i < chunks; i++) {
        const off = i * spec.chunkCells;
        const n = Math.min(spec.chunkCells, spec.cells - off);
        // Built in place ([chunk index][sum cells]) and handed to the socket without a copy.
        const frame = ctl.frame(MSG.RESULT, 8 + n * 8);
        frame.payload.writeUInt32LE(i, 0);
        frame.payload.writeUInt32LE(0, 4);
        frame.payload.set(vectorToBytes(job.acc.subarray(off, off + n)), 8);
        await frame.send();
      }
      await ctl.sendJson(MSG.RESULT_END, { cells: spec.cells });
      ctl.flush();
      log(`${options.name}: job ${spec.id} revealed its noised share sum`);
      return true;
    } catch (err) {
      log(`${options.name}: job ${spec.id} aborted: ${reasonOf(err)}`);
      if (!ctl.closed) {
        await ctl.sendJson(MSG.ABORT, { reason: reasonOf(err) }).catch(() => undefined);
        ctl.close();
      }
      return false;
    } finally {
      ctl.socket.off('close', onClose);
      clearTimeout(timer);
      job.acc.fill(0n);
      jobs.delete(spec.id);
    }
  }

  /** Runs a job as an input party; true when it ended normally (the link may carry another). */
  private async runInput(ctl: FramedConnection, spec: JobSpec): Promise<boolean> {
    const { options, clock, random, log, byName, computeLinks, dedupSlots } = this;
    const links: FramedConnection[] = [];
    const dedupLinks: FramedConnection[] = [];
    let local: LocalInput | undefined;
    try {
      if (!spec.inputs.includes(options.name)) {
        throw new PartyConfigError('this party is not an input of the job');
      }
      local = await options.inputProvider!(spec);
      const hist = local.histogram;
      if (hist.length !== spec.cells) {
        throw new PartyConfigError('the local histogram does not fit the job');
      }
      const kept =
        spec.dedup === undefined ? undefined : await this.dedupInput(spec, local, dedupLinks);
      const targets = spec.compute.map((c) => {
        const pinned = byName.get(c.name);
        if (pinned === undefined || pinned.role !== 'compute') {
          throw new PartyConfigError(
            `compute party ${c.name} is not pinned in this party's config`,
          );
        }
        return { host: c.host, port: c.port, peerName: c.name, fingerprint: pinned.fingerprint };
      });
      // Links kept from earlier jobs are reused; only missing ones are connected (in parallel).
      const taken = await Promise.allSettled(targets.map((t) => computeLinks.take(t)));
      for (const r of taken) {
        if (r.status === 'fulfilled') {
          links.push(r.value);
        }
      }
      for (const r of taken) {
        if (r.status === 'rejected') {
          throw r.reason;
        }
      }
      const splitter = new ShareSplitter(spec.compute.length, random);
      const full = fullShareHolder(spec, options.name);
      await Promise.all(
        links.map(async (link, j) => {
          // HELLO, the seed or chunks, and END leave together (flushed early under backpressure).
          link.hold();
          await link.sendJson(MSG.HELLO, { jobId: spec.id, party: options.name });
          if (j !== full) {
            // Seeds go, in order, to every compute party but the one getting the full vector.
            await link.send(MSG.SEED, splitter.seeds[j < full ? j : j - 1]);
          } else {
            for (let i = 0, off = 0; off < spec.cells; i++, off += spec.chunkCells) {
              const n = Math.min(spec.chunkCells, spec.cells - off);
              // The frame is built in place: [header][chunk index][masked cells], handed over
              // to the socket without another copy.
              const frame = link.frame(MSG.CHUNK, 8 + n * 8);
              frame.payload.writeUInt32LE(i, 0);
              frame.payload.writeUInt32LE(0, 4);
              const view = bytesToVector(frame.payload.subarray(8));
              splitter.maskChunk(hist.subarray(off, off + n), view);
              await frame.send();
            }
          }
          await link.sendJson(MSG.END, { cells: spec.cells });
          link.flush();
        }),
      );
      splitter.destroy();
      hist.fill(0n);
      await ctl.sendJson(MSG.DONE, { party: options.name });
      // Afterwards: the linkage test on the candidate release, then FINISH (or ABORT).
      for (;;) {
        const f = await expect(ctl, spec.deadline, clock, MSG.CHECK_CHUNK, MSG.CHECK, MSG.FINISH);
        if (f.type === MSG.FINISH) {
          break;
        }
        if (f.type === MSG.CHECK_CHUNK) {
          throw new ProtocolError('release chunk without a check header');
        }
        const head = parseJson(f, ctl.peer) as {
          cells?: unknown;
          noiseVariance?: unknown;
          k?: unknown;
        };
        if (
          head.cells !== spec.cells ||
          typeof head.noiseVariance !== 'number' ||
          typeof head.k !== 'number'
        ) {
          throw new ProtocolError('malformed linkage check');
        }
        const values: ReleasedValue[] = [];
        while (values.length < spec.cells) {
          const c = await expect(ctl, spec.deadline, clock, MSG.CHECK_CHUNK);
          if (c.payload.length % 8 !== 0) {
            throw new ProtocolError('malformed release chunk');
          }
          for (let o = 0; o < c.payload.length; o += 8) {
            const v = c.payload.readDoubleLE(o);
            values.push(Number.isNaN(v) ? null : v);
          }
        }
        const result = linkageTest(kept ?? local.linkageRecords(), {
          values,
          noiseVariance: head.noiseVariance,
          k: head.k,
        });
        await ctl.sendJson(MSG.CHECK_RESULT, { party: options.name, result });
      }
      // The job ended normally: the links to the compute parties serve the next job.
      for (const [j, link] of links.entries()) {
        computeLinks.give(targets[j], link);
      }
      links.length = 0;
      return true;
    } catch (err) {
      log(`${options.name}: job ${spec.id} aborted: ${reasonOf(err)}`);
      for (const l of [...links, ...dedupLinks]) {
        l.destroy();
      }
      if (!ctl.closed) {
        await ctl.sendJson(MSG.ABORT, { reason: reasonOf(err) }).catch(() => undefined);
        ctl.close();
      }
      return false;
    } finally {
      local?.histogram.fill(0n);
      dedupSlots.get(spec.id)?.reject(new JobAbortedError('the job ended'));
      dedupSlots.delete(spec.id);
    }
  }
}

function closeServer(server: Server, open: Set<FramedConnection>): Promise<void> {
  for (const c of open) {
    c.destroy();
  }
  return new Promise((resolve) => server.close(() => resolve()));
}
