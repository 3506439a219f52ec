// SPDX-License-Identifier: Apache-2.0
/**
 * @module C2SP signed-note v1 (https://c2sp.org/signed-note) with Ed25519 (RFC 8032) from
 * node:crypto: text, a blank line, then signature lines `— <name> base64(keyID ‖ signature)`;
 * key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]; verifier keys are written
 * `name+hex(keyID)+base64(0x01 ‖ public key)`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto';
import { AuditCheckpointMalformedError, AuditSignatureError } from './errors.js';

/** Signature type byte of Ed25519 in signed-note §Signature types. */
export const SIG_TYPE_ED25519 = 0x01;
const EM_DASH = '\u2014';
/** We refuse notes larger than this before parsing them (signed-note §Format: verifiers SHOULD limit). */
export const MAX_NOTE_BYTES = 64 * 1024;
/** At least 16 signatures must be accepted (signed-note §Format); we accept up to 64. */
export const MAX_SIGNATURES = 64;

// DER prefixes that carry a raw 32-byte Ed25519 key into node:crypto (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A key that may verify notes. */
export interface NoteVerifier {
  readonly name: string;
  /** The 4-byte key ID. */
  readonly keyId: Buffer;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A key that signs notes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
  sign(message: Uint8Array): Buffer;
}

/** Key names are non-empty, without Unicode spaces or `+` (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasControlChars(name, false);
}

/** True when `text` has a character below U+0020 (newline allowed when `allowNewline`). */
export function hasControlChars(text: string, allowNewline = true): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && !(allowNewline && c === 0x0a)) {
      return true;
    }
  }
  return false;
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new RangeError('"name" must be non-empty without spaces or "+"');
  }
}

/** key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ publicKey)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, SIG_TYPE_ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** The Ed25519 key pair behind a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519FromSeed(seed: Uint8Array): { privateKey: KeyObject; publicKey: Buffer } {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new RangeError('"seed" expected 32 bytes');
  }
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(jwk.x!, 'base64url') };
}

/** A signer from a key name and a 32-byte Ed25519 seed. */
export function noteSigner(name: string, seed: Uint8Array): NoteSigner {
  assertKeyName(name);
  const { privateKey, publicKey } = ed25519FromSeed(seed);
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey,
    sign: (message) => edSign(null, message, privateKey),
  };
}

/** A verifier from a key name and a raw 32-byte Ed25519 public key. */
export function noteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  assertKeyName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new RangeError('"publicKey" expected 32 bytes');
  }
  const raw = Buffer.from(publicKey);
  const key = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
  return {
    name,
    keyId: noteKeyId(name, raw),
    publicKey: raw,
    verify: (message, signature) => {
      try {
        return edVerify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}

/** `name+hex(keyID)+base64(0x01 ‖ publicKey)`. */
export function formatVerifierKey(v: Pick<NoteVerifier, 'name' | 'publicKey'>): string {
  const id = noteKeyId(v.name, v.publicKey).toString('hex');
  const material = Buffer.concat([Buffer.from([SIG_TYPE_ED25519]), v.publicKey]).toString('base64');
  return `${v.name}+${id}+${material}`;
}

/** Strict standard base64 (RFC 4648 §4): decodes only what re-encodes to the same text. */
export function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    return undefined;
  }
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Parses a verifier key string; anything off throws {@link AuditCheckpointMalformedError}. */
export function parseVerifierKey(text: string): NoteVerifier {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) {
    throw new AuditCheckpointMalformedError('a verifier key is "name+keyid+base64key"');
  }
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const material = strictBase64(text.slice(second + 1).trim());
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex) || material === undefined) {
    throw new AuditCheckpointMalformedError('the verifier key is malformed');
  }
  if (material.length !== 33 || material[0] !== SIG_TYPE_ED25519) {
    throw new AuditCheckpointMalformedError('the verifier key is not an Ed25519 note key');
  }
  const verifier = noteVerifier(name, material.subarray(1));
  if (verifier.keyId.toString('hex') !== idHex) {
    throw new AuditCheckpointMalformedError('the verifier key ID does not match its key');
  }
  return verifier;
}

function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) {
    throw new AuditCheckpointMalformedError('note text must end with a newline');
  }
  // signed-note §Format: no ASCII control characters other than newline.
  if (hasControlChars(text)) {
    throw new AuditCheckpointMalformedError('note text contains control characters');
  }
}

/** Signs `text` (which must end with a newline) and returns the whole signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0) {
    throw new RangeError('"signers" must not be empty');
  }
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((s) => {
    const blob = Buffer.concat([s.keyId, s.sign(message)]).toString('base64');
    return `${EM_DASH} ${s.name} ${blob}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** A note whose text has been verified by at least one trusted key. */
export interface OpenedNote {
  readonly text: string;
  /** Names of the trusted keys whose signatures verified. */
  readonly verifiedBy: readonly string[];
  /** Signatures from keys we do not know, ignored as the spec requires (e.g. witness cosignatures). */
  readonly unknownSignatures: number;
}

/** Splits a signed note into its text and raw signature lines without verifying anything. */
export function splitNote(note: string): {
  text: string;
  signatures: { name: string; blob: Buffer }[];
} {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) {
    throw new AuditCheckpointMalformedError('the signed note is too large');
  }
  if (note.includes('\uFFFD') || hasControlChars(note)) {
    throw new AuditCheckpointMalformedError('the signed note is not clean UTF-8 text');
  }
  const sep = note.lastIndexOf('\n\n');
  if (sep < 0 || !note.endsWith('\n')) {
    throw new AuditCheckpointMalformedError('the signed note has no signature block');
  }
  const text = note.slice(0, sep + 1);
  const sigLines = note.slice(sep + 2, -1).split('\n');
  if (sigLines.length > MAX_SIGNATURES) {
    throw new AuditCheckpointMalformedError('the signed note has too many signatures');
  }
  const signatures = sigLines.map((line) => {
    const m = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const blob = m ? strictBase64(m[2]) : undefined;
    if (!m || !isValidKeyName(m[1]) || blob === undefined || blob.length < 5) {
      throw new AuditCheckpointMalformedError('a signature line of the note is malformed');
    }
    return { name: m[1], blob };
  });
  return { text, signatures };
}

/**
 * Opens a signed note (signed-note §Signatures): signatures from unknown keys are ignored; a
 * known key (same name and key ID) whose signature fails rejects the whole note; at least one
 * known key must verify.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = splitNote(note);
  const message = Buffer.from(text, 'utf8');
  const verifiedBy: string[] = [];
  let unknown = 0;
  for (const sig of signatures) {
    const id = sig.blob.subarray(0, 4);
    const key = verifiers.find((v) => v.name === sig.name && v.keyId.equals(id));
    if (!key) {
      unknown++;
      continue;
    }
    if (!key.verify(message, sig.blob.subarray(4))) {
      throw new AuditSignatureError('a signature by a trusted key does not verify');
    }
    verifiedBy.push(key.name);
  }
  if (verifiedBy.length === 0) {
    throw new AuditSignatureError('the note carries no signature by a trusted key');
  }
  return { text, verifiedBy, unknownSignatures: unknown };
}
