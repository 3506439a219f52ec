// SPDX-License-Identifier: Apache-2.0
/**
 * @module The coordinator of a job (the release service acting for an analyst): sends the job to
 * every party over pinned TLS, waits until every input party has shared and every compute party
 * holds every input, only then asks the compute parties to reveal their noised share sums, and
 * adds them up. Before anything is released it sends the candidate release back to the input
 * parties for the linkage test (DOMAIN.md req. 24). Any failure aborts every party. With a
 * {@link LinkPool}, links to the parties outlive the job: a job that ended normally gives them
 * back, so later jobs skip the TLS handshakes.
 */
import type { Clock } from '../../kernel/shared/index.js';
import { systemClock } from '../../kernel/shared/index.js';
import {
  connectPinned,
  parseJson,
  type FramedConnection,
  type Frame,
  type TlsIdentity,
} from './channel.js';
import { JobAbortedError, PartyConfigError, ProtocolError } from './errors.js';
import type { LinkPool, LinkTarget } from './link-pool.js';
import { MSG, msUntil, parseJobSpec, type JobSpec, type PeerEntry } from './model.js';
import type { LinkageResult, ReleasedValue } from './release.js';
import { addInto, bytesToVector } from './ring.js';

export interface CoordinatorOptions {
  readonly identity: TlsIdentity;
  /** Every party of the job, pinned, with host and port. */
  readonly parties: readonly PeerEntry[];
  readonly clock?: Clock;
  readonly log?: (msg: string) => void;
  /**
   * Keeps links between jobs (made with this coordinator's identity). Without one, every job
   * connects afresh and closes its links at the end.
   */
  readonly links?: LinkPool;
}

/** An open job. */
export class JobSession {
  readonly spec: JobSpec;
  readonly #links: Map<string, FramedConnection>;
  readonly #clock: Clock;
  readonly #log: (msg: string) => void;
  readonly #pool: { pool: LinkPool; targets: Map<string, LinkTarget> } | undefined;
  #over = false;

  private constructor(
    spec: JobSpec,
    links: Map<string, FramedConnection>,
    clock: Clock,
    log: (m: string) => void,
    pool: { pool: LinkPool; targets: Map<string, LinkTarget> } | undefined,
  ) {
    this.spec = spec;
    this.#links = links;
    this.#clock = clock;
    this.#log = log;
    this.#pool = pool;
  }

  /** Connects to every party of `spec` (pinned), or aborts. */
  static async open(options: CoordinatorOptions, rawSpec: JobSpec): Promise<JobSession> {
    const spec = parseJobSpec(rawSpec);
    const clock = options.clock ?? systemClock;
    const log = options.log ?? (() => undefined);
    const byName = new Map(options.parties.map((p) => [p.name, p]));
    const links = new Map<string, FramedConnection>();
    const targets = new Map<string, LinkTarget>();
    try {
      await Promise.all(
        [...spec.inputs, ...spec.compute.map((c) => c.name)].map(async (name) => {
          const p = byName.get(name);
          if (p?.host === undefined || p.port === undefined) {
            throw new PartyConfigError(`party ${name} has no pinned address`);
          }
          const target = { host: p.host, port: p.port, peerName: name, fingerprint: p.fingerprint };
          targets.set(name, target);
          links.set(
            name,
            options.links !== undefined
              ? await options.links.take(target)
              : await connectPinned({ ...target, identity: options.identity }),
          );
        }),
      );
    } catch (err) {
      for (const l of links.values()) {
        l.destroy();
      }
      throw new JobAbortedError(`job ${spec.id} could not start: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const pool = options.links === undefined ? undefined : { pool: options.links, targets };
    return new JobSession(spec, links, clock, log, pool);
  }

  async #expect(name: string, ...types: number[]): Promise<Frame> {
    const link = this.#links.get(name)!;
    let f: Frame;
    try {
      f = await link.next(msUntil(this.spec.deadline, this.#clock.now()));
    } catch (err) {
      throw new JobAbortedError(
        /within/.test((err as Error).message)
          ? `party ${name} missed the deadline`
          : `party ${name} dropped out`,
        { cause: err },
      );
    }
    if (f.type === MSG.ABORT) {
      const why = (parseJson(f, name) as { reason?: unknown }).reason;
      throw new JobAbortedError(
        `party ${name} aborted the job: ${typeof why === 'string' ? why.slice(0, 200) : 'no reason'}`,
      );
    }
    if (!types.includes(f.type)) {
      throw new ProtocolError(`unexpected message ${f.type} from ${name}`);
    }
    return f;
  }

  /** Runs sharing and aggregation; resolves with the noised sums (signed). */
  async aggregate(): Promise<BigInt64Array> {
    const { spec } = this;
    const computeNames = spec.compute.map((c) => c.name);
    try {
      // Every party gets the job at once: an input's shares may reach a compute party before
      // the job does, and wait there for it (one round trip less than READY-then-share).
      await Promise.all(
        [...computeNames, ...spec.inputs].map((n) => this.#links.get(n)!.sendJson(MSG.JOB, spec)),
      );
      this.#log(`job ${spec.id}: sent to every party; inputs sharing`);
      const [, completes] = await Promise.all([
        Promise.all(spec.inputs.map((n) => this.#expect(n, MSG.DONE))),
        Promise.all(
          computeNames.map(async (n) => {
            await this.#expect(n, MSG.READY);
            return parseJson(await this.#expect(n, MSG.COMPLETE), n);
          }),
        ),
      ]);
      const want = [...spec.inputs].sort().join(',');
      for (const c of completes as Array<{ inputs?: unknown }>) {
        if (!Array.isArray(c.inputs) || c.inputs.join(',') !== want) {
          throw new JobAbortedError('compute parties disagree on the inputs they hold');
        }
      }
      this.#log(`job ${spec.id}: every share is in; revealing the noised sums`);
      const total = new BigUint64Array(spec.cells);
      await Promise.all(computeNames.map((n) => this.#links.get(n)!.sendJson(MSG.REVEAL, {})));
      await Promise.all(
        computeNames.map(async (n) => {
          const chunks = Math.ceil(spec.cells / spec.chunkCells);
          for (let i = 0; i < chunks; i++) {
            const f = await this.#expect(n, MSG.RESULT);
            const len = Math.min(spec.chunkCells, spec.cells - i * spec.chunkCells);
            if (f.payload.length !== 8 + len * 8 || f.payload.readUInt32LE(0) !== i) {
              throw new ProtocolError(`malformed result chunk from ${n}`);
            }
            const v = bytesToVector(f.payload.subarray(8));
            const off = i * spec.chunkCells;
            addInto(total.subarray(off, off + len), v);
          }
          await this.#expect(n, MSG.RESULT_END);
        }),
      );
      return new BigInt64Array(total.buffer);
    } catch (err) {
      throw await this.abort(err);
    }
  }

  /** Sends the candidate release to every input party for the linkage test. */
  async checkLinkage(
    values: readonly ReleasedValue[],
    noiseVariance: number,
    k: number,
  ): Promise<LinkageResult[]> {
    try {
      const chunk = 65_536;
      await Promise.all(
        this.spec.inputs.map(async (n) => {
          const link = this.#links.get(n)!;
          await link.sendJson(MSG.CHECK, { cells: values.length, noiseVariance, k });
          for (let off = 0; off < values.length; off += chunk) {
            const part = values.slice(off, off + chunk);
            const buf = Buffer.alloc(part.length * 8);
            part.forEach((v, i) => buf.writeDoubleLE(v === null ? Number.NaN : v, i * 8));
            await link.send(MSG.CHECK_CHUNK, buf);
          }
        }),
      );
      return await Promise.all(
        this.spec.inputs.map(async (n) => {
          const r = parseJson(await this.#expect(n, MSG.CHECK_RESULT), n) as {
            result?: LinkageResult;
          };
          if (r.result === undefined || typeof r.result.pass !== 'boolean') {
            throw new ProtocolError(`malformed linkage result from ${n}`);
          }
          return r.result;
        }),
      );
    } catch (err) {
      throw await this.abort(err);
    }
  }

  /** Ends the job normally. */
  async finish(): Promise<void> {
    this.#over = true;
    await Promise.all(
      this.spec.inputs.map((n) =>
        this.#links
          .get(n)!
          .sendJson(MSG.FINISH, {})
          .catch(() => undefined),
      ),
    );
    for (const [name, l] of this.#links) {
      if (this.#pool !== undefined) {
        this.#pool.pool.give(this.#pool.targets.get(name)!, l);
      } else {
        l.close();
      }
    }
  }

  /** Aborts every party and returns the error to throw. */
  async abort(err: unknown): Promise<Error> {
    const e =
      err instanceof JobAbortedError
        ? err
        : new JobAbortedError(`job ${this.spec.id} aborted: ${(err as Error).message}`, {
            cause: err,
          });
    if (!this.#over) {
      this.#over = true;
      this.#log(`job ${this.spec.id}: ${e.message}`);
      await Promise.all(
        [...this.#links.values()].map((l) =>
          l.sendJson(MSG.ABORT, { reason: e.message }).catch(() => undefined),
        ),
      );
      for (const l of this.#links.values()) {
        l.destroy();
      }
    }
    return e;
  }
}
