// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectPinned, listenPinned, type FramedConnection } from './channel.js';
import { createPartyCredentials } from './x509.js';
import { PsiHolder, loadPsiCurve, psiItem, runPsiReceiver, runPsiSender } from './psi.js';
import { seededRandom } from './testing.js';

const now = new Date('2026-11-27T00:00:00Z');
const cmcc = createPartyCredentials('cmcc', now, randomBytes(8));
const cucc = createPartyCredentials('cucc', now, randomBytes(8));

async function link(): Promise<{ a: FramedConnection; b: FramedConnection; close(): void }> {
  let accept: (c: FramedConnection) => void = () => undefined;
  const accepted = new Promise<FramedConnection>((r) => (accept = r));
  const { server, port } = await listenPinned({
    host: '127.0.0.1',
    port: 0,
    identity: cmcc,
    allowed: new Map([[cucc.fingerprint, 'cucc']]),
    onConnection: (c) => accept(c),
  });
  const b = await connectPinned({
    host: '127.0.0.1',
    port,
    identity: cucc,
    peerName: 'cmcc',
    fingerprint: cmcc.fingerprint,
  });
  return { a: await accepted, b, close: () => server.close() };
}

// Synthetic register keys (not real ID numbers): the overlap is people with SIMs at both carriers.
const key = randomBytes(32);
const A = Array.from({ length: 300 }, (_, i) => `P${String(i).padStart(6, '0')}`);
const B = Array.from({ length: 200 }, (_, i) => `P${String(i + 220).padStart(6, '0')}`); // 80 shared

describe('ECDH-PSI over ristretto255', () => {
  it('the receiver learns exactly the intersection; the sender only the set size; ≤ 80 B/element', async () => {
    const l = await link();
    try {
      const [sent, got] = await Promise.all([
        runPsiSender(
          l.a,
          A.map((x) => psiItem(key, x)),
        ),
        runPsiReceiver(
          l.b,
          B.map((x) => psiItem(key, x)),
          'psi',
        ),
      ]);
      expect(sent.receiverSize).toBe(200);
      expect(got.intersectionSize).toBe(80);
      expect(got.intersection!.map((i) => B[i])).toEqual(B.slice(0, 80));
      const wire = sent.bytesSent + got.bytesSent;
      expect(wire / (A.length + B.length)).toBeLessThanOrEqual(80);
    } finally {
      l.close();
    }
  });

  it('PSI-cardinality reveals only the count', async () => {
    const l = await link();
    try {
      const [, got] = await Promise.all([
        runPsiSender(
          l.a,
          A.map((x) => psiItem(key, x)),
        ),
        runPsiReceiver(
          l.b,
          B.map((x) => psiItem(key, ` ${x.toLowerCase()} `)),
          'cardinality',
        ),
      ]);
      expect(got).toMatchObject({ mode: 'cardinality', intersectionSize: 80, senderSize: 300 });
      expect(got.intersection).toBeUndefined();
    } finally {
      l.close();
    }
  });

  it('blinding commutes, hides items, and invalid points are refused', async () => {
    const curve = await loadPsiCurve();
    const a = new PsiHolder(curve, seededRandom('a'));
    const b = new PsiHolder(curve, seededRandom('b'));
    const x = [psiItem(key, 'P1'), psiItem(key, 'P2')];
    const ab = b.blindPoints(a.blindItems(x));
    const ba = a.blindPoints(b.blindItems(x));
    expect(Buffer.from(ab).equals(Buffer.from(ba))).toBe(true);
    // A blinded item is not the unblinded hash point.
    expect(Buffer.from(a.blindItems([x[0]])).equals(Buffer.from(curve.fromHash(x[0])))).toBe(false);
    expect(() => a.blindPoints(new Uint8Array(32).fill(0xff))).toThrow(/not a valid ristretto255/);
    expect(() => a.blindPoints(new Uint8Array(31))).toThrow(/bad length/);
  });
});
