// SPDX-License-Identifier: Apache-2.0
/**
 * @module Names, formats and pure rules of the keyring (DESIGN.md §3): where the key store lives,
 * how the master secret is written, how key slots are named, and the associated data that binds
 * each wrapped key to its slot (NIST SP 800-38F §3 key wrapping with an AEAD, here AES-256-GCM).
 */
import { associatedData } from '../../kernel/crypto/index.js';
import { MasterKeyFormatError } from './errors.js';

/** The key store's schema: an attached SQLite file, or a PostgreSQL schema. */
export const KEYSTORE_SCHEMA = 'healthcode_keys';
/**
 * The key store's SQLite file inside `DIR/keys/`. Deliberately not `*.db`: `healthcode.db` is the
 * only database a data backup copies, and tools that sweep `*.db` must not pick the keys up.
 */
export const KEYSTORE_FILE = 'keystore.sqlite';
/** The master key file written in a new data dir when no key is supplied. */
export const MASTER_KEY_FILE = 'master.key';
/** The key check value recorded in `DIR/keys/` when the keyring is first set up. */
export const MASTER_CHECK_FILE = 'master.check';
/** Environment variable carrying the master secret (base64, base64url or hex of 32 bytes). */
export const MASTER_KEY_ENV = 'HEALTHCODE_MASTER_KEY';
/** HKDF salt of every key derived from the master secret (RFC 5869 §3.1: a fixed, public label). */
export const MASTER_SALT = 'healthcode/keys/v1';
/** Bytes in the master secret, KEKs and DEKs (AES-256). */
export const SECRET_LENGTH = 32;
/** Names of the instance-wide keys kept wrapped in the key store. */
export const INSTANCE_KEYS = ['lookup', 'wrapper'] as const;
export type InstanceKeyName = (typeof INSTANCE_KEYS)[number];

/** State of a key-encryption key. `retiring` means a rotation is moving its data keys away. */
export type KekState = 'active' | 'retiring' | 'destroyed';

/** A subject's data key for one scope (a data group, or `subject` for the subject's own record). */
export interface DataKey {
  readonly subjectId: string;
  readonly scope: string;
  /** Generation: a partial erasure re-keys a scope under the next generation. */
  readonly gen: number;
  /** The 32 key bytes; callers zero them when done. */
  readonly key: Buffer;
}

/** A tombstone: the only trace an erasure leaves (an opaque subject id, scopes and a time). */
export interface Tombstone {
  readonly id: string;
  readonly subjectId: string;
  /** Scopes erased; `subject` among them means the whole subject is gone. */
  readonly scopes: readonly string[];
  /** Categories erased inside a kept group (partial erasure), if any. */
  readonly categories: readonly string[];
  readonly at: Date;
  readonly state: 'pending' | 'done';
}

const SCOPE = /^[a-z][a-z0-9-]{0,31}$/;
const SUBJECT = /^[A-Za-z0-9_-]{8,64}$/;

/** A caller bug when a scope name is malformed. */
export function assertScope(scope: string): void {
  if (typeof scope !== 'string' || !SCOPE.test(scope)) {
    throw new RangeError('"scope" expected a lower-case name of at most 32 characters');
  }
}

/** A caller bug when a subject id is not an opaque base64url token. */
export function assertSubjectId(subjectId: string): void {
  if (typeof subjectId !== 'string' || !SUBJECT.test(subjectId)) {
    throw new RangeError('"subjectId" expected an opaque base64url id');
  }
}

/** Associated data of a wrapped KEK: its version, so a KEK row cannot stand in for another. */
export function kekAad(version: number): Buffer {
  return associatedData('healthcode_keys.kek', version);
}

/** Associated data of a wrapped DEK: its slot and the KEK version that wraps it. */
export function dekAad(subjectId: string, scope: string, gen: number, kekVersion: number): Buffer {
  return associatedData('healthcode_keys.dek', subjectId, scope, gen, kekVersion);
}

/** Associated data of a wrapped instance key. */
export function instanceKeyAad(name: string, kekVersion: number): Buffer {
  return associatedData('healthcode_keys.instance_key', name, kekVersion);
}

/**
 * Parses master-key text: 32 bytes as hex (64 digits), base64 or base64url, surrounding
 * whitespace ignored. The message never echoes the text.
 */
export function parseMasterKeyText(text: string, source: string): Buffer {
  const t = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) {
    bytes = Buffer.from(t, 'hex');
  } else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  if (bytes === undefined || bytes.length !== SECRET_LENGTH) {
    throw new MasterKeyFormatError(
      `the master key from ${source} must be 32 bytes written as base64 or 64 hex digits`,
    );
  }
  return bytes;
}

/** The text written to a master key file. */
export function formatMasterKey(secret: Uint8Array): string {
  return Buffer.from(secret).toString('base64') + '\n';
}
