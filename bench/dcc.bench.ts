// SPDX-License-Identifier: Apache-2.0
/**
 * @module EU DCC verification rate against what a user would otherwise reach for, on the same
 * vectors (the shipped dgc-testdata cases whose signature verifies) with keys pre-loaded (target
 * ≥ 3×). The peer is `@pathcheck/dcc-sdk` when it loads; on Node 20 it does not (its `esm` loader
 * fails on current syntax), so the composition `base45` + node zlib + `cose-js` is measured —
 * installed only under `bench/peers/dcc/` (`npm install --prefix bench/peers/dcc`), never a
 * product dependency. Without that folder the peer is skipped and only our rate is reported.
 * The peer checks the signature only; we also check prefix, kid, expiry and key usage.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { X509Certificate } from 'node:crypto';
import {
  dccSignerFromCertificate,
  parseLenientInstant,
  verifyDcc,
  type DccSigner,
  type Instant,
} from '../src/services/codes/index.js';
import { listJsonFiles, loadCase } from '../test/vectors/dcc-cases.js';
import { atLeast, measure, round, type BenchContext, type BenchResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

interface Vector {
  text: string;
  signer: DccSigner;
  at: Instant;
  cert: X509Certificate;
}

type PeerVerify = (text: string, key: unknown) => void;

/** Loads a peer from bench/peers/dcc, or says why not. */
function loadPeer(
  log: (m: string) => void,
): { name: string; prepare: (c: X509Certificate) => unknown; verify: PeerVerify } | string {
  const dir = join(repoRoot, 'bench', 'peers', 'dcc');
  if (!existsSync(join(dir, 'node_modules'))) {
    return 'bench/peers/dcc/node_modules absent (npm install --prefix bench/peers/dcc)';
  }
  const req = createRequire(join(dir, 'package.json'));
  try {
    req('@pathcheck/dcc-sdk');
    log(
      '@pathcheck/dcc-sdk loaded, but its API needs network trust lists; measuring the composition',
    );
  } catch (err) {
    log(`@pathcheck/dcc-sdk does not load on ${process.version}: ${(err as Error).name}`);
  }
  const base45 = req('base45') as { decode(s: string): Buffer };
  const cose = req('cose-js') as { sign: { verifySync(msg: Buffer, verifier: unknown): Buffer } };
  return {
    name: 'base45 + node zlib + cose-js',
    prepare(c) {
      const jwk = c.publicKey.export({ format: 'jwk' }) as Record<string, string>;
      const b = (s: string) => Buffer.from(s, 'base64url');
      return jwk.kty === 'EC'
        ? { key: { x: b(jwk.x), y: b(jwk.y) } }
        : { key: { n: b(jwk.n), e: b(jwk.e) } };
    },
    verify(text, key) {
      const cbor = inflateSync(base45.decode(text.slice(4)));
      cose.sign.verifySync(cbor, key);
    },
  };
}

export default async function bench(ctx: BenchContext): Promise<BenchResult> {
  // The vectors ship with the repository (test/vectors/testdata/README.md): missing is an error.
  const root =
    process.env.HEALTHCODE_DCC_TESTDATA ?? resolve(repoRoot, 'test', 'vectors', 'testdata', 'dcc');
  if (!existsSync(root)) {
    throw new Error(`no DCC test data at ${root}`);
  }
  const vectors: Vector[] = [];
  for (const path of listJsonFiles(root)) {
    const l = loadCase(root, path);
    if (l.kind !== 'case' || !l.value.prefix || !l.value.certificate || !l.value.clock) {
      continue;
    }
    const at = parseLenientInstant(l.value.clock);
    const signer = dccSignerFromCertificate(l.value.certificate);
    if (
      at === undefined ||
      verifyDcc(l.value.prefix, { signers: signer, at }).stages.signature !== true
    ) {
      continue;
    }
    vectors.push({
      text: l.value.prefix,
      signer,
      at,
      cert: new X509Certificate(Buffer.from(l.value.certificate, 'base64')),
    });
  }
  ctx.log(`${vectors.length} vectors whose signature verifies`);
  const peer = loadPeer((m) => ctx.log(m));
  let used = vectors;
  let peerKeys: unknown[] = [];
  if (typeof peer !== 'string') {
    // Only the vectors the peer also accepts (cose-js re-encodes the protected header).
    peerKeys = vectors.map((v) => peer.prepare(v.cert));
    const ok = vectors.map((v, i) => {
      try {
        peer.verify(v.text, peerKeys[i]);
        return true;
      } catch {
        return false;
      }
    });
    used = vectors.filter((_, i) => ok[i]);
    peerKeys = peerKeys.filter((_, i) => ok[i]);
    ctx.log(`${used.length} of them verify with the peer too`);
  }
  const ours = await measure(
    () => {
      for (const v of used) {
        verifyDcc(v.text, { signers: v.signer, at: v.at });
      }
      return used.length;
    },
    { minMs: 2000 },
  );
  const metrics: Record<string, number | string> = {
    vectors: used.length,
    'verifyDcc ops/s': round(ours.opsPerSec, 0),
  };
  if (typeof peer === 'string') {
    metrics.peer = `skipped: ${peer}`;
    return { name: 'dcc', metrics, ratios: [] };
  }
  const theirs = await measure(
    () => {
      used.forEach((v, i) => peer.verify(v.text, peerKeys[i]));
      return used.length;
    },
    { minMs: 2000 },
  );
  metrics.peer = peer.name;
  metrics['peer ops/s'] = round(theirs.opsPerSec, 0);
  return {
    name: 'dcc',
    metrics,
    ratios: [atLeast('verifyDcc / peer', ours.opsPerSec / theirs.opsPerSec, 3)],
  };
}
