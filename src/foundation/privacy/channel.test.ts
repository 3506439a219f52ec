// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { connectPinned, listenPinned, type FramedConnection } from './channel.js';
import { createPartyCredentials } from './x509.js';

const now = new Date('2026-11-27T00:00:00Z');
const a = createPartyCredentials('alpha', now, Buffer.from('01', 'hex'));
const b = createPartyCredentials('beta', now, Buffer.from('02', 'hex'));
const mallory = createPartyCredentials('beta', now, Buffer.from('03', 'hex'));

describe('pinned TLS 1.3 links', () => {
  it('authenticates both sides and carries frames, large ones included', async () => {
    const got: FramedConnection[] = [];
    const { server, port } = await listenPinned({
      host: '127.0.0.1',
      port: 0,
      identity: a,
      allowed: new Map([[b.fingerprint, 'beta']]),
      onConnection: (c) => got.push(c),
    });
    try {
      const conn = await connectPinned({
        host: '127.0.0.1',
        port,
        identity: b,
        peerName: 'alpha',
        fingerprint: a.fingerprint,
      });
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      await conn.sendJson(1, { hello: 'alpha' });
      await conn.send(2, big);
      // The accepting side reports its connection once its own handshake completes: wait for it.
      for (let waited = 0; got.length === 0 && waited < 10_000; waited += 10) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const server = got[0];
      expect(server.peer).toBe('beta');
      expect(JSON.parse((await server.next(2000)).payload.toString())).toEqual({ hello: 'alpha' });
      const f = await server.next(5000);
      expect(f.type).toBe(2);
      expect(f.payload.equals(big)).toBe(true);
      expect(conn.socket.getProtocol()).toBe('TLSv1.3');
      conn.destroy();
      await expect(server.next(2000)).rejects.toMatchObject({ code: 'ERR_PRIVACY_PROTOCOL' });
    } finally {
      server.close();
    }
  });

  it('refuses an unpinned certificate on either side', async () => {
    const rejected: string[] = [];
    const { server, port } = await listenPinned({
      host: '127.0.0.1',
      port: 0,
      identity: a,
      allowed: new Map([[b.fingerprint, 'beta']]),
      onConnection: () => undefined,
      onReject: (r) => rejected.push(r),
    });
    try {
      // The client does not know alpha's real key.
      await expect(
        connectPinned({
          host: '127.0.0.1',
          port,
          identity: b,
          peerName: 'alpha',
          fingerprint: mallory.fingerprint,
        }),
      ).rejects.toMatchObject({ code: 'ERR_PRIVACY_PEER_AUTH' });
      // A client with the same name but another key is dropped by the server.
      const c = await connectPinned({
        host: '127.0.0.1',
        port,
        identity: mallory,
        peerName: 'alpha',
        fingerprint: a.fingerprint,
      });
      await expect(c.next(2000)).rejects.toMatchObject({ code: 'ERR_PRIVACY_PROTOCOL' });
      expect(rejected.length).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
