// SPDX-License-Identifier: Apache-2.0
/**
 * @module Independent evidence that a dgc-testdata expectation contradicts the DCC specification.
 * Used only after our verifier disagreed with a flag: each check reads the raw fields again with
 * cborg and node:crypto (not through the verifier) and names the rule the data breaks. A case is
 * excluded only with such a reason; every other disagreement is a failure.
 */
import { X509Certificate, createHash, verify } from 'node:crypto';
import { decode } from 'cborg';
import type { DccStage } from '../../src/services/codes/dcc.js';
import {
  formatInstant,
  instantFromSeconds,
  parseLenientInstant,
} from '../../src/services/codes/instant.js';
import type { DccCase } from './dcc-cases.js';

const anyTag = new Proxy(
  {},
  {
    get: () => (d: () => unknown) => d(),
  },
);

interface RawCose {
  protectedHeader: Map<unknown, unknown>;
  unprotectedHeader: Map<unknown, unknown>;
  protectedBytes: Uint8Array;
  claims: Map<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}

function rawCose(coseHex: string | undefined): RawCose | undefined {
  if (coseHex === undefined) {
    return undefined;
  }
  try {
    const [p, u, payload, signature] = decode(Buffer.from(coseHex, 'hex'), {
      useMaps: true,
      tags: anyTag,
    }) as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
    const protectedHeader =
      p.length === 0 ? new Map() : (decode(p, { useMaps: true }) as Map<unknown, unknown>);
    const claims = decode(payload, { useMaps: true, tags: anyTag }) as Map<unknown, unknown>;
    return { protectedHeader, unprotectedHeader: u, protectedBytes: p, claims, payload, signature };
  } catch {
    return undefined;
  }
}

const date = (s: number) => formatInstant(instantFromSeconds(s));

/** A reason the data is wrong for `stage`, or `undefined` when none is shown. */
export function diagnose(
  c: DccCase,
  stage: DccStage,
  coseHex: string | undefined,
): string | undefined {
  const cose = rawCose(c.coseHex ?? coseHex);
  if (cose === undefined || c.certificate === undefined) {
    return undefined;
  }
  const cert = new X509Certificate(Buffer.from(c.certificate, 'base64'));
  const certKid = createHash('sha256').update(cert.raw).digest().subarray(0, 8).toString('hex');
  if (stage === 'expiry' && c.expected.expiry === true) {
    const iat = cose.claims.get(6);
    const exp = cose.claims.get(4);
    const clock = c.clock === undefined ? undefined : parseLenientInstant(c.clock);
    if (typeof iat !== 'number' || typeof exp !== 'number' || clock === undefined) {
      return 'iat, exp or the validation clock is missing, so no expiry check can pass';
    }
    const nb = Date.parse(cert.validFrom) / 1000;
    const na = Date.parse(cert.validTo) / 1000;
    const at = clock.seconds + Number(`0.${clock.fraction || '0'}`);
    const broken: string[] = [];
    if (nb > iat) {
      broken.push(`DSC notBefore ${date(nb)} > iat ${date(iat)}`);
    }
    if (iat > at) {
      broken.push(`iat ${date(iat)} > validation clock ${formatInstant(clock)}`);
    }
    if (at > exp) {
      broken.push(`validation clock ${formatInstant(clock)} > exp ${date(exp)}`);
    }
    if (exp > na) {
      broken.push(`exp ${date(exp)} > DSC notAfter ${date(na)}`);
    }
    return broken.length === 0
      ? undefined
      : `EXPECTEDEXPIRATIONCHECK=true but ${broken.join('; ')} (hcert spec §3.3.4–3.3.5)`;
  }
  if (stage === 'signature' && c.expected.signature === true) {
    const kidValue = cose.protectedHeader.get(4) ?? cose.unprotectedHeader.get(4);
    const kid = kidValue instanceof Uint8Array ? Buffer.from(kidValue).toString('hex') : '(none)';
    if (kid !== certKid) {
      return `EXPECTEDVERIFY=true but the header kid ${kid} is not the DSC's kid ${certKid} (hcert spec App. A.1)`;
    }
    const alg = cose.protectedHeader.get(1) ?? cose.unprotectedHeader.get(1);
    const sig = cose.signature;
    if (alg === -7 && sig.length !== 64 && sig[0] === 0x30) {
      const sigStructure = Buffer.concat([
        Buffer.from('846a5369676e617475726531', 'hex'),
        head(2, cose.protectedBytes.length),
        cose.protectedBytes,
        Buffer.from([0x40]),
        head(2, cose.payload.length),
        cose.payload,
      ]);
      const derVerifies = verify('sha256', sigStructure, cert.publicKey, sig);
      return `EXPECTEDVERIFY=true but the ES256 signature is DER-encoded (${sig.length} bytes${derVerifies ? ', valid as DER' : ''}); COSE requires raw r‖s (RFC 9053 §2.1)`;
    }
    return undefined;
  }
  if (stage === 'keyUsage') {
    const hcert = (cose.claims.get(-260) as Map<unknown, unknown> | undefined)?.get(1);
    const types = hcert instanceof Map ? ['v', 't', 'r'].filter((t) => hcert.has(t)) : [];
    const ekus = ((cert.keyUsage as string[] | undefined) ?? []).filter((o) =>
      /^1\.3\.6\.1\.4\.1\.(0\.)?1847\.2021\.1\.[123]$/.test(o),
    );
    if (c.expected.keyUsage === false && ekus.length === 0 && types.length === 1) {
      return `EXPECTEDKEYUSAGE=false but the DSC carries no DCC EKU, so it may sign any type (hcert spec App. A.4)`;
    }
    if (c.expected.keyUsage === true && types.length === 1 && ekus.length > 0) {
      const code = { t: '1', v: '2', r: '3' }[types[0] as 't' | 'v' | 'r'];
      if (!ekus.some((o) => o.endsWith(`.${code}`))) {
        return `EXPECTEDKEYUSAGE=true but the DSC's EKUs ${ekus.join(', ')} exclude type ${types[0]} (hcert spec App. A.4)`;
      }
    }
  }
  return undefined;
}

function head(major: number, n: number): Buffer {
  if (n < 24) {
    return Buffer.from([(major << 5) | n]);
  }
  if (n < 256) {
    return Buffer.from([(major << 5) | 24, n]);
  }
  return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
}

/** The first path where two JSON values differ, or `undefined` when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return a === b ? undefined : path;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return path;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of [...keys].sort()) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d !== undefined) {
      return d;
    }
  }
  return undefined;
}

/**
 * When the case's JSON differs from what we decoded: shows the JSON is wrong if a plain cborg
 * decoding of the case's own COSE field agrees with us.
 */
export function diagnoseJson(
  c: DccCase,
  ours: unknown,
  normalise: (v: unknown) => unknown,
): string | undefined {
  const cose = rawCose(c.coseHex);
  const hcert = (cose?.claims.get(-260) as Map<unknown, unknown> | undefined)?.get(1);
  if (hcert === undefined) {
    return undefined;
  }
  const toJson = (v: unknown): unknown =>
    v instanceof Map
      ? Object.fromEntries([...v].map(([k, x]) => [String(k), toJson(x)]))
      : Array.isArray(v)
        ? v.map(toJson)
        : v;
  const raw = normalise(toJson(hcert));
  if (firstDifference(raw, normalise(ours)) !== undefined) {
    return undefined;
  }
  const where = firstDifference(raw, normalise(c.json));
  return where === undefined
    ? undefined
    : `the JSON field is not the signed payload (first difference at ${where})`;
}
