// SPDX-License-Identifier: Apache-2.0
/**
 * @module A minimal self-signed X.509 v3 certificate (RFC 5280 §4.1) for a party's Ed25519 key
 * (RFC 8410), DER-encoded by hand and signed with node:crypto. Parties pin each other's certificate
 * by its SHA-256 fingerprint, so no CA and no chain building are involved; the certificate only
 * carries the key into TLS 1.3, whose CertificateVerify proves possession of it (RFC 8446 §4.4.3).
 */
import {
  createHash,
  generateKeyPairSync,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) {
    return Buffer.from([n]);
  }
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    let v = p >>> 7;
    while (v > 0) {
      stack.unshift(0x80 | (v & 0x7f));
      v >>>= 7;
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function integer(bytes: Buffer): Buffer {
  // DER INTEGER is minimal and signed: drop leading zero bytes (a random serial starts with 0x00
  // one time in 256, which OpenSSL refuses as "illegal padding"), then a leading 0x00 keeps it
  // positive.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  const minimal = bytes.subarray(start);
  return tlv(0x02, minimal[0] & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2)))
    : tlv(0x18, Buffer.from(iso));
}

const ED25519 = seq(oid('1.3.101.112'));

function name(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
}

/** Makes a self-signed certificate for `publicKey`, valid from `notBefore` for `days`. */
export function selfSignedCertificate(
  commonName: string,
  privateKey: KeyObject,
  publicKey: KeyObject,
  serial: Buffer,
  notBefore: Date,
  days: number,
): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(commonName)) {
    throw new RangeError('"commonName" must be 1–64 characters of [A-Za-z0-9._-]');
  }
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const basicConstraints = seq(oid('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq()));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    integer(serial),
    ED25519,
    name(commonName),
    seq(time(notBefore), time(notAfter)),
    name(commonName),
    spki,
    tlv(0xa3, seq(basicConstraints)),
  );
  const signature = sign(null, tbs, privateKey);
  const der = seq(tbs, ED25519, tlv(0x03, Buffer.from([0]), signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

/** A party's identity: an Ed25519 key pair and its self-signed certificate. */
export interface PartyCredentials {
  readonly name: string;
  readonly keyPem: string;
  readonly certPem: string;
  readonly fingerprint: string;
}

/** Generates a party identity (`healthcode party init`). */
export function createPartyCredentials(
  partyName: string,
  now: Date,
  serial: Buffer,
  days = 825,
): PartyCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const certPem = selfSignedCertificate(partyName, privateKey, publicKey, serial, now, days);
  return {
    name: partyName,
    keyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    certPem,
    fingerprint: certificateFingerprint(certPem),
  };
}

/** SHA-256 of the certificate's DER bytes, lower-case hex (what peers pin). */
export function certificateFingerprint(cert: string | Buffer): string {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert;
  return createHash('sha256').update(der).digest('hex');
}
