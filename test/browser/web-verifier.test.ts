// SPDX-License-Identifier: Apache-2.0
/**
 * @module The browser's offline verifier (web/src/lib) against the server's own token issuer and
 * trust list (src/services/codes), and the browser's RFC 9162 proof checks against the recursive
 * definitions of RFC 9162 §2.1.3.1 / §2.1.4.1. Runs in Node (same code the page runs; WebCrypto,
 * DecompressionStream and @noble/curves are there too), so it needs no browser.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildTrustList,
  encodeToken,
  keyIdOf,
  publishRevocations,
  tokenSigner,
  EMPTY_REVOCATIONS,
  type TokenClaims,
} from '../../src/services/codes/index.js';
import { parseBrowserTrustList, TrustListRejected } from '../../web/src/lib/trust-list.js';
import { verifyTokenOffline } from '../../web/src/lib/token-verify.js';
import { verifyConsistency, verifyInclusion } from '../../web/src/lib/merkle.js';
import { noteSignedBy, readCheckpoint } from '../../web/src/lib/note.js';
import { formatVerifierKey, noteSigner, signCheckpoint } from '../../src/foundation/audit/index.js';

const NOW = 1_790_000_000; // seconds
const at = (s: number) => new Date(s * 1000);

function setup(kind: 'ed25519' | 'ec' | 'rsa' = 'ed25519', revokeHash?: (h: string) => string[]) {
  const key =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const signer = tokenSigner(key.privateKey, 'healthcode.test');
  const claims: TokenClaims = {
    issuer: 'healthcode.test',
    issuedAt: NOW,
    expiresAt: NOW + 900,
    cti: randomBytes(16),
    colour: 'green',
    maskedName: '张**',
    ruleSet: 'default@1',
  };
  const token = encodeToken(claims, signer);
  const anchor = generateKeyPairSync('ed25519');
  const revocations = revokeHash
    ? publishRevocations(randomBytes(16), revokeHash(token.tokenHash), [])
    : EMPTY_REVOCATIONS;
  const listText = buildTrustList(
    {
      issuedAt: NOW - 60,
      expiresAt: NOW + 7 * 86400,
      keys: [
        {
          kid: keyIdOf(key.publicKey),
          issuer: 'healthcode.test',
          alg: signer.alg,
          publicKey: key.publicKey,
          notBefore: NOW - 3600,
          notAfter: NOW + 86400,
          verifyUntil: NOW + 2 * 86400,
        },
      ],
      revocations,
    },
    anchor.privateKey,
  );
  return { token: token.text, listText, anchorKid: keyIdOf(anchor.publicKey) };
}

describe('browser offline verifier', () => {
  it('verifies an EdDSA token from the issuer and shows colour, window and masked name only', async () => {
    const { token, listText, anchorKid } = setup();
    const list = parseBrowserTrustList(listText, anchorKid);
    const v = await verifyTokenOffline(token, list, at(NOW + 10));
    expect(v).toEqual({
      ok: true,
      reason: 'ok',
      colour: 'green',
      maskedName: '张**',
      validFrom: at(NOW).toISOString(),
      validUntil: at(NOW + 900).toISOString(),
    });
  });

  it('verifies ES256 and PS256 tokens too', async () => {
    for (const kind of ['ec', 'rsa'] as const) {
      const { token, listText } = setup(kind);
      const v = await verifyTokenOffline(token, parseBrowserTrustList(listText), at(NOW + 10));
      expect(v.reason, kind).toBe('ok');
    }
  });

  it('says expired, not-yet-valid, bad-signature, unknown-key, malformed and revoked', async () => {
    const { token, listText } = setup();
    const list = parseBrowserTrustList(listText);
    expect((await verifyTokenOffline(token, list, at(NOW + 900))).reason).toBe('expired');
    expect((await verifyTokenOffline(token, list, at(NOW - 120))).reason).toBe('not-yet-valid');
    const flipped = token.slice(0, -3) + (token.endsWith('0') ? '1' : '0') + token.slice(-2);
    expect(['bad-signature', 'malformed']).toContain(
      (await verifyTokenOffline(flipped, list, at(NOW))).reason,
    );
    const other = parseBrowserTrustList(setup().listText);
    expect((await verifyTokenOffline(token, other, at(NOW))).reason).toBe('unknown-key');
    expect((await verifyTokenOffline('HC1:ABC', list, at(NOW))).reason).toBe('malformed');
    expect((await verifyTokenOffline('HCN1:!!!', list, at(NOW))).reason).toBe('malformed');
    const revoked = setup('ed25519', (h) => [h]);
    const v = await verifyTokenOffline(
      revoked.token,
      parseBrowserTrustList(revoked.listText),
      at(NOW),
    );
    expect(v.reason).toBe('revoked');
    expect(v.colour).toBeUndefined();
  });

  it('refuses a trust list whose signature, anchor pin or body was changed', () => {
    const { listText, anchorKid } = setup();
    const doc = JSON.parse(listText) as { body: string; signature: string };
    const tampered = JSON.stringify({ ...doc, body: doc.body.slice(0, -2) + 'AA' });
    expect(() => parseBrowserTrustList(tampered)).toThrow(TrustListRejected);
    expect(() => parseBrowserTrustList(listText, '0000000000000000')).toThrow(/not pinned/);
    expect(parseBrowserTrustList(listText, anchorKid).anchorKid).toBe(anchorKid);
  });
});

// ---- RFC 9162 reference definitions (recursive, §2.1.1, §2.1.3.1, §2.1.4.1) ----
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  parts.forEach((p) => h.update(p));
  return new Uint8Array(h.digest());
};
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 1) {
    return sha(Uint8Array.of(0), d[0]);
  }
  const s = k(d.length);
  return sha(Uint8Array.of(1), mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) {
    return [];
  }
  const s = k(d.length);
  return m < s
    ? [...path(m, d.slice(0, s)), mth(d.slice(s))]
    : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) {
    return b ? [] : [mth(d)];
  }
  const s = k(n);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

describe('browser RFC 9162 proof checks', () => {
  const leaves = Array.from({ length: 13 }, (_, i) => Uint8Array.of(i, i + 1, 7));
  it('accepts every inclusion proof of trees up to 13 leaves and rejects a wrong root', async () => {
    for (let n = 1; n <= 13; n++) {
      const d = leaves.slice(0, n);
      const root = mth(d);
      for (let m = 0; m < n; m++) {
        const leaf = sha(Uint8Array.of(0), d[m]);
        expect(await verifyInclusion(m, n, leaf, path(m, d), root)).toBe(true);
      }
      const bad = Uint8Array.from(root, (x, i) => (i === 0 ? x ^ 1 : x));
      expect(await verifyInclusion(0, n, sha(Uint8Array.of(0), d[0]), path(0, d), bad)).toBe(false);
    }
  });
  it('accepts every consistency proof between sizes up to 13 and rejects swapped roots', async () => {
    for (let n = 2; n <= 13; n++) {
      for (let m = 1; m < n; m++) {
        const p = subproof(m, leaves.slice(0, n), true);
        const r1 = mth(leaves.slice(0, m));
        const r2 = mth(leaves.slice(0, n));
        expect(await verifyConsistency(m, n, p, r1, r2), `${m}→${n}`).toBe(true);
        expect(await verifyConsistency(m, n, p, r2, r1)).toBe(false);
      }
    }
  });
});

describe('browser signed-note checkpoint reading', () => {
  it('reads a checkpoint the audit log signs and checks its signature against the verifier key', () => {
    const signer = noteSigner('healthcode.test/log', new Uint8Array(32).fill(7));
    const root = createHash('sha256').update('root').digest();
    const cp = signCheckpoint({ origin: 'healthcode.test/log', size: 42, root }, signer);
    const key = formatVerifierKey(signer);
    const read = readCheckpoint(cp.note);
    expect(read?.size).toBe(42);
    expect(Buffer.from(read!.root).equals(root)).toBe(true);
    expect(noteSignedBy(cp.note, key)).toBe(true);
    expect(noteSignedBy(cp.note.replace('\n42\n', '\n43\n'), key)).toBe(false);
    const other = formatVerifierKey(noteSigner('healthcode.test/log', new Uint8Array(32).fill(8)));
    expect(noteSignedBy(cp.note, other)).toBe(false);
  });

  it('accepts verifier keys whose base64 part contains "+" (a regression: split on "+" failed)', () => {
    let checked = 0;
    for (let seed = 0; seed < 256 && checked < 5; seed++) {
      const signer = noteSigner('healthcode.test/log', new Uint8Array(32).fill(seed));
      const key = formatVerifierKey(signer);
      if (!key.split('+')[2]?.length || key.split('+').length === 3) {
        continue;
      }
      const cp = signCheckpoint(
        { origin: 'healthcode.test/log', size: 7, root: createHash('sha256').update('r').digest() },
        signer,
      );
      expect(noteSignedBy(cp.note, key), key).toBe(true);
      checked++;
    }
    expect(checked).toBe(5);
  });
});
