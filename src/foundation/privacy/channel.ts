// SPDX-License-Identifier: Apache-2.0
/**
 * @module Mutually authenticated, encrypted links between parties: TLS 1.3 (RFC 8446, node:tls)
 * where each side presents its self-signed Ed25519 certificate and checks the peer's against a
 * pinned SHA-256 fingerprint — no CA, no name checks, just "is this the key we were given". On top,
 * a length-prefixed frame protocol ([type u8][3 zero bytes][length u32 LE][payload]) with
 * backpressure. The 8-byte header keeps 8-byte-aligned payload fields aligned in the reassembled
 * buffer, so ring elements can be viewed without a copy.
 */
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { PeerAuthError, ProtocolError } from './errors.js';
import { certificateFingerprint } from './x509.js';

/** Frame header bytes: type (u8), three zero bytes, payload length (u32 LE). */
const HEADER = 8;

/** Largest frame accepted; share chunks are 512 KiB, so this bounds memory per peer. */
export const MAX_FRAME = 16 * 1024 * 1024;

/** Queued, unread frames at which a link stops reading from its socket. */
const PAUSE_AT = 4;

/** A party's TLS identity. */
export interface TlsIdentity {
  readonly keyPem: string;
  readonly certPem: string;
}

/** One decoded frame. */
export interface Frame {
  readonly type: number;
  readonly payload: Buffer;
}

const TLS_OPTIONS = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;

/**
 * A framed connection over an authenticated TLS socket. `next()` yields frames in order; a closed
 * or failed socket rejects pending and future reads with a {@link ProtocolError}.
 */
export class FramedConnection {
  readonly socket: TLSSocket;
  /** The pinned name of the peer. */
  readonly peer: string;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #frames: Frame[] = [];
  #waiters: Array<{ resolve(f: Frame): void; reject(e: Error): void }> = [];
  #closed: Error | undefined;
  #held = false;

  constructor(socket: TLSSocket, peer: string) {
    this.socket = socket;
    this.peer = peer;
    socket.on('data', (d: Buffer) => this.#onData(d));
    socket.on('error', (e) =>
      this.#fail(new ProtocolError(`link to ${peer} failed: ${(e as Error).message}`)),
    );
    socket.on('close', () => this.#fail(new ProtocolError(`link to ${peer} closed`)));
  }

  #onData(d: Buffer): void {
    this.#chunks.push(d);
    this.#buffered += d.length;
    for (;;) {
      if (this.#buffered < HEADER) {
        return;
      }
      const length =
        (this.#byteAt(4) |
          (this.#byteAt(5) << 8) |
          (this.#byteAt(6) << 16) |
          (this.#byteAt(7) << 24)) >>>
        0;
      if (length > MAX_FRAME) {
        this.#fail(new ProtocolError(`frame from ${this.peer} exceeds ${MAX_FRAME} bytes`));
        this.socket.destroy();
        return;
      }
      if (this.#buffered < HEADER + length) {
        return;
      }
      const all = this.#take(HEADER + length);
      const frame = { type: all[0], payload: all.subarray(HEADER) };
      const w = this.#waiters.shift();
      if (w) {
        w.resolve(frame);
      } else {
        this.#frames.push(frame);
        // Receive-side backpressure: stop reading while the consumer lags, so a fast sender
        // cannot make us buffer a whole histogram (TCP flow control then slows the sender).
        if (this.#frames.length >= PAUSE_AT && !this.socket.isPaused()) {
          this.socket.pause();
        }
      }
    }
  }

  /** Byte `i` of the backlog (the header may straddle socket chunks). */
  #byteAt(i: number): number {
    for (const c of this.#chunks) {
      if (i < c.length) {
        return c[i];
      }
      i -= c.length;
    }
    throw new RangeError('read beyond the buffered bytes');
  }

  /**
   * Consumes the next `n` buffered bytes. Copies only the chunks the frame spans (never the whole
   * backlog, which made reassembly quadratic under load); a frame
   * larger than Node's pool is copied into its own allocation, so its payload (at offset 8) is
   * 8-byte aligned and viewable as ring elements without another copy.
   */
  #take(n: number): Buffer {
    const first = this.#chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) {
        this.#chunks.shift();
      } else {
        this.#chunks[0] = first.subarray(n);
      }
    } else {
      out = Buffer.allocUnsafe(n);
      let at = 0;
      let i = 0;
      while (at < n) {
        const c = this.#chunks[i];
        const k = Math.min(c.length, n - at);
        out.set(k === c.length ? c : c.subarray(0, k), at);
        at += k;
        if (k < c.length) {
          this.#chunks[i] = c.subarray(k);
          break;
        }
        i++;
      }
      this.#chunks.splice(0, i);
    }
    this.#buffered -= n;
    return out;
  }

  #fail(e: Error): void {
    if (this.#closed) {
      return;
    }
    this.#closed = e;
    for (const w of this.#waiters.splice(0)) {
      w.reject(e);
    }
  }

  /** True once the link has closed or failed. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * True when nothing is buffered, unread or awaited: the link sits between jobs and may serve
   * another (a link pool never reuses one with a stray frame in it).
   */
  get idle(): boolean {
    return this.#frames.length === 0 && this.#waiters.length === 0 && this.#buffered === 0;
  }

  /** The next frame; rejects after `timeoutMs` or when the link closes. */
  next(timeoutMs = 0): Promise<Frame> {
    const f = this.#frames.shift();
    if (f) {
      if (this.#frames.length < PAUSE_AT && this.socket.isPaused()) {
        this.socket.resume();
      }
      return Promise.resolve(f);
    }
    if (this.#closed) {
      return Promise.reject(this.#closed);
    }
    return new Promise<Frame>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = {
        resolve: (fr: Frame) => {
          if (timer) {
            clearTimeout(timer);
          }
          resolve(fr);
        },
        reject: (e: Error) => {
          if (timer) {
            clearTimeout(timer);
          }
          reject(e);
        },
      };
      this.#waiters.push(waiter);
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) {
            this.#waiters.splice(i, 1);
          }
          reject(new ProtocolError(`no message from ${this.peer} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  /**
   * A frame of `length` payload bytes to fill in place, then `send()` without a copy; the
   * caller must not touch `payload` after sending. The payload starts 8-byte aligned.
   */
  frame(type: number, length: number): { payload: Buffer; send(): Promise<void> } {
    if (length > MAX_FRAME) {
      throw new RangeError(`frame of ${length} bytes exceeds ${MAX_FRAME}`);
    }
    // allocUnsafeSlow: never a slice of the shared pool, so offset 8 is aligned.
    const frame = Buffer.allocUnsafeSlow(HEADER + length);
    frame.writeUInt32LE(type, 0);
    frame.writeUInt32LE(length, 4);
    return { payload: frame.subarray(HEADER), send: () => this.#write(frame) };
  }

  /** Sends one frame; resolves when the socket can take more (backpressure). */
  send(type: number, ...parts: Uint8Array[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(this.#closed);
    }
    const length = parts.reduce((a, p) => a + p.length, 0);
    if (length > MAX_FRAME) {
      throw new RangeError(`frame of ${length} bytes exceeds ${MAX_FRAME}`);
    }
    // One copied buffer per frame: callers may reuse or zero their arrays as soon as we return.
    const frame = Buffer.allocUnsafe(HEADER + length);
    frame.writeUInt32LE(type, 0);
    frame.writeUInt32LE(length, 4);
    let at = HEADER;
    for (const p of parts) {
      frame.set(p, at);
      at += p.length;
    }
    return this.#write(frame);
  }

  /**
   * Holds the frames sent from now on until {@link flush}, so several small frames leave in one
   * TLS write (one syscall, one wake-up at the peer) instead of one each. Backpressure flushes
   * early: a sender waiting for `drain` must not wait on its own held bytes.
   */
  hold(): void {
    if (!this.#held && !this.#closed) {
      this.#held = true;
      this.socket.cork();
    }
  }

  /** Sends what {@link hold} kept back. */
  flush(): void {
    if (this.#held) {
      this.#held = false;
      this.socket.uncork();
    }
  }

  #write(frame: Buffer): Promise<void> {
    if (this.#closed) {
      return Promise.reject(this.#closed);
    }
    const ok = this.socket.write(frame);
    if (ok) {
      return Promise.resolve();
    }
    this.flush();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.socket.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        this.socket.off('drain', onDrain);
        reject(this.#closed ?? new ProtocolError(`link to ${this.peer} closed`));
      };
      this.socket.once('drain', onDrain);
      this.socket.once('close', onClose);
    });
  }

  /** Sends a JSON frame. */
  sendJson(type: number, value: unknown): Promise<void> {
    return this.send(type, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /** Closes the link after flushing. */
  close(): void {
    this.socket.end();
  }

  /** Closes at once. */
  destroy(): void {
    this.socket.destroy();
  }
}

/** Parses a JSON frame payload, or throws a {@link ProtocolError}. */
export function parseJson(frame: Frame, peer: string): unknown {
  try {
    return JSON.parse(frame.payload.toString('utf8')) as unknown;
  } catch {
    throw new ProtocolError(`malformed message from ${peer}`);
  }
}

function peerFingerprint(socket: TLSSocket): string | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || !('raw' in cert) || !cert.raw) {
    return undefined;
  }
  return certificateFingerprint(cert.raw);
}

/** Connects to a peer and checks its certificate against the pinned fingerprint. */
export function connectPinned(options: {
  host: string;
  port: number;
  identity: TlsIdentity;
  peerName: string;
  fingerprint: string;
  timeoutMs?: number;
}): Promise<FramedConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...TLS_OPTIONS,
      host: options.host,
      port: options.port,
      key: options.identity.keyPem,
      cert: options.identity.certPem,
      // Chain checks are replaced by pinning: we accept exactly one certificate.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PeerAuthError(`handshake with ${options.peerName} timed out`));
    }, options.timeoutMs ?? 10_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      if (peerFingerprint(socket) !== options.fingerprint) {
        socket.destroy();
        reject(new PeerAuthError(`peer ${options.peerName} presented an unpinned certificate`));
        return;
      }
      resolve(new FramedConnection(socket, options.peerName));
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(
        new PeerAuthError(
          `cannot reach ${options.peerName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        ),
      );
    });
  });
}

/** A listening party: accepts only peers whose certificate fingerprint is in `allowed`. */
export function listenPinned(options: {
  host: string;
  port: number;
  identity: TlsIdentity;
  /** fingerprint → peer name */
  allowed: ReadonlyMap<string, string>;
  onConnection(conn: FramedConnection): void;
  onReject?(reason: string): void;
}): Promise<{ server: Server; port: number }> {
  const server = createServer(
    {
      ...TLS_OPTIONS,
      key: options.identity.keyPem,
      cert: options.identity.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (socket) => {
      socket.setNoDelay(true);
      const fp = peerFingerprint(socket);
      const name = fp === undefined ? undefined : options.allowed.get(fp);
      if (name === undefined) {
        options.onReject?.('a peer presented an unknown certificate');
        socket.destroy();
        return;
      }
      options.onConnection(new FramedConnection(socket, name));
    },
  );
  server.on('tlsClientError', () => options.onReject?.('a TLS handshake failed'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}
