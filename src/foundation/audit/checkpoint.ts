// SPDX-License-Identifier: Apache-2.0
/**
 * @module C2SP tlog-checkpoint v1 (https://c2sp.org/tlog-checkpoint): the note text `origin`,
 * tree size (decimal, no leading zeros) and base64 RFC 9162 root, one per line, optional
 * extension lines after; signed as a C2SP signed note by the log's Ed25519 key, whose name is
 * the origin.
 */
import { AuditCheckpointMalformedError } from './errors.js';
import { HASH_SIZE } from './merkle.js';
import {
  hasControlChars,
  openNote,
  signNote,
  strictBase64,
  type NoteSigner,
  type NoteVerifier,
} from './note.js';

/** A tree head: what a checkpoint commits to. */
export interface TreeHead {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

/** A checkpoint whose signature has been verified (or that we signed). */
export interface SignedCheckpoint extends TreeHead {
  /** The whole signed note, as published. */
  readonly note: string;
  readonly extensions: readonly string[];
}

/** The checkpoint body (the note text). */
export function formatCheckpoint(head: TreeHead, extensions: readonly string[] = []): string {
  if (head.origin === '' || head.origin.includes('\n') || hasControlChars(head.origin)) {
    throw new RangeError('"origin" must be one non-empty line');
  }
  if (!Number.isSafeInteger(head.size) || head.size < 0) {
    throw new RangeError('"size" must be a non-negative safe integer');
  }
  if (head.root.length !== HASH_SIZE) {
    throw new RangeError('"root" expected 32 bytes');
  }
  for (const e of extensions) {
    if (e === '' || e.includes('\n')) {
      throw new RangeError('extension lines must be single non-empty lines');
    }
  }
  const lines = [head.origin, String(head.size), head.root.toString('base64'), ...extensions];
  return lines.join('\n') + '\n';
}

/** Parses a checkpoint body; anything off throws {@link AuditCheckpointMalformedError}. */
export function parseCheckpoint(text: string): TreeHead & { extensions: string[] } {
  if (!text.endsWith('\n')) {
    throw new AuditCheckpointMalformedError('a checkpoint ends with a newline');
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) {
    throw new AuditCheckpointMalformedError('a checkpoint has origin, size and root lines');
  }
  const [origin, sizeText, rootText, ...extensions] = lines as [
    string,
    string,
    string,
    ...string[],
  ];
  if (origin === '') {
    throw new AuditCheckpointMalformedError('the checkpoint origin is empty');
  }
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new AuditCheckpointMalformedError('the checkpoint size is not a decimal tree size');
  }
  const root = strictBase64(rootText);
  if (root === undefined || root.length !== HASH_SIZE) {
    throw new AuditCheckpointMalformedError('the checkpoint root is not a base64 SHA-256 hash');
  }
  if (extensions.some((e) => e === '')) {
    throw new AuditCheckpointMalformedError('the checkpoint has an empty extension line');
  }
  return { origin, size: Number(sizeText), root, extensions };
}

/** Signs a tree head with the log key; the key's name must be the origin. */
export function signCheckpoint(head: TreeHead, signer: NoteSigner): SignedCheckpoint {
  if (signer.name !== head.origin) {
    throw new RangeError('the checkpoint key name must equal the log origin');
  }
  const text = formatCheckpoint(head);
  return { ...head, root: Buffer.from(head.root), note: signNote(text, [signer]), extensions: [] };
}

/**
 * Opens a signed checkpoint: the signature of the log key must verify, and the origin must be
 * the key's name (tlog-checkpoint §Note text).
 */
export function openCheckpoint(note: string, logKey: NoteVerifier): SignedCheckpoint {
  const opened = openNote(note, [logKey]);
  const head = parseCheckpoint(opened.text);
  if (head.origin !== logKey.name) {
    throw new AuditCheckpointMalformedError('the checkpoint origin is not the log key name');
  }
  return { ...head, note };
}
