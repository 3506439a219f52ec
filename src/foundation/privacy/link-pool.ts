// SPDX-License-Identifier: Apache-2.0
/**
 * @module A pool of idle, already authenticated party links (TLS 1.3, RFC 8446, pinned as in
 * channel.ts), keyed by peer name, pinned fingerprint and address. A job takes a link, and gives
 * it back only when the job ended normally on it; a link that saw an abort or a protocol error is
 * destroyed, never reused. Reuse takes the TCP and TLS handshakes (two Ed25519 signatures and an
 * X25519 exchange per link) off every job after the first — the cost that dominated small jobs.
 */
import { connectPinned, type FramedConnection, type TlsIdentity } from './channel.js';

/** Where a pooled link goes: the pinned peer and its address. */
export interface LinkTarget {
  readonly peerName: string;
  readonly fingerprint: string;
  readonly host: string;
  readonly port: number;
}

/** Idle links kept per target; more than this are closed (jobs rarely overlap). */
const MAX_IDLE_PER_TARGET = 4;

function keyOf(t: LinkTarget): string {
  return `${t.peerName}\u0000${t.fingerprint}\u0000${t.host}\u0000${t.port}`;
}

export class LinkPool {
  readonly #identity: TlsIdentity;
  readonly #idle = new Map<string, FramedConnection[]>();
  /** Every link the pool made, idle or lent, so `close()` ends them all. */
  readonly #all = new Set<FramedConnection>();
  #closed = false;

  constructor(identity: TlsIdentity) {
    this.#identity = identity;
  }

  /** An open link to `target`: an idle one if there is one, else a freshly connected one. */
  async take(target: LinkTarget): Promise<FramedConnection> {
    if (this.#closed) {
      throw new RangeError('the link pool is closed');
    }
    const list = this.#idle.get(keyOf(target));
    while (list !== undefined && list.length > 0) {
      const link = list.pop()!;
      // A peer that closed an idle link (its idle timeout, a restart) is skipped, not reused.
      if (!link.closed && link.idle) {
        return link;
      }
      link.destroy();
    }
    const link = await connectPinned({ ...target, identity: this.#identity });
    this.#all.add(link);
    link.socket.once('close', () => this.#all.delete(link));
    if (this.#closed) {
      link.destroy();
      throw new RangeError('the link pool is closed');
    }
    return link;
  }

  /** Gives back a link whose job ended normally; anything else should be destroyed instead. */
  give(target: LinkTarget, link: FramedConnection): void {
    const key = keyOf(target);
    const list = this.#idle.get(key) ?? [];
    if (this.#closed || link.closed || !link.idle || list.length >= MAX_IDLE_PER_TARGET) {
      link.close();
      return;
    }
    list.push(link);
    this.#idle.set(key, list);
  }

  /** Idle links held now (tests). */
  get idleCount(): number {
    let n = 0;
    for (const l of this.#idle.values()) {
      n += l.filter((x) => !x.closed).length;
    }
    return n;
  }

  /** Destroys every link the pool made, idle or lent. */
  close(): void {
    this.#closed = true;
    for (const l of this.#all) {
      l.destroy();
    }
    this.#all.clear();
    this.#idle.clear();
  }
}
