// SPDX-License-Identifier: Apache-2.0
/**
 * @module Offline checks a citizen or auditor runs without any data dir: an inclusion-proof
 * bundle (leaf, RFC 9162 §2.1.3 proof, C2SP signed checkpoint, log key) and a consistency proof
 * between two signed checkpoints (RFC 9162 §2.1.4). The key inside a bundle is only a hint; a
 * careful verifier pins the log's key it got elsewhere (`--key`).
 */
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { AuditBundleMalformedError, AuditProofMalformedError } from './errors.js';
import { decodeLeaf, type DecodedLeaf } from './leaf.js';
import { leafHash } from './merkle.js';
import type { ConsistencyBundle, InclusionBundle } from './model.js';
import { parseVerifierKey, strictBase64, type NoteVerifier } from './note.js';
import { verifyInclusion } from './proof.js';
import { checkConsistency } from './consistency.js';

/** What a successful inclusion check established. */
export interface InclusionVerdict {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly origin: string;
  readonly root: string;
  /** True when the caller pinned the log key; false when the bundle's own key was trusted. */
  readonly keyPinned: boolean;
  /** The leaf, decoded (sealed details stay sealed); undefined if not a healthcode leaf. */
  readonly leaf: DecodedLeaf | undefined;
}

function bad(what: string): never {
  throw new AuditBundleMalformedError(`the proof bundle is malformed: ${what}`);
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    bad('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('not a JSON object');
  }
  return value as Record<string, unknown>;
}

function size(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    bad(`${label} is not a tree size`);
  }
  return value;
}

function hashes(value: unknown): Buffer[] {
  if (!Array.isArray(value) || value.length > 128) {
    bad('proof is not a list of hashes');
  }
  return value.map((h) => {
    const bytes = typeof h === 'string' ? strictBase64(h) : undefined;
    if (bytes === undefined) {
      bad('a proof hash is not base64');
    }
    return bytes;
  });
}

function text(value: unknown, label: string): string {
  if (typeof value !== 'string' || value === '') {
    bad(`${label} is missing`);
  }
  return value;
}

function keyFor(bundleKey: string, pinned: string | undefined): NoteVerifier {
  return parseVerifierKey(pinned ?? bundleKey);
}

/** Parses an inclusion bundle's JSON (shape only). */
export function parseInclusionBundle(json: string): InclusionBundle {
  const o = parseJson(json);
  if (o.format !== 'healthcode/audit-inclusion/v1') {
    bad('unknown format');
  }
  const leaf = strictBase64(text(o.leaf, 'leaf'));
  if (leaf === undefined) {
    bad('leaf is not base64');
  }
  return {
    format: 'healthcode/audit-inclusion/v1',
    leafIndex: size(o.leafIndex, 'leafIndex'),
    treeSize: size(o.treeSize, 'treeSize'),
    leaf: leaf.toString('base64'),
    proof: hashes(o.proof).map((h) => h.toString('base64')),
    checkpoint: text(o.checkpoint, 'checkpoint'),
    verifierKey: text(o.verifierKey, 'verifierKey'),
  };
}

/**
 * Checks an inclusion bundle offline: the checkpoint's signature under the (pinned) log key,
 * then the proof from the leaf to the signed root. Throws the typed error of the first failure.
 */
export function checkInclusionBundle(json: string, pinnedKey?: string): InclusionVerdict {
  const b = parseInclusionBundle(json);
  const verifier = keyFor(b.verifierKey, pinnedKey);
  const cp = openCheckpoint(b.checkpoint, verifier);
  if (cp.size !== b.treeSize) {
    throw new AuditProofMalformedError('the bundle tree size is not the checkpoint size');
  }
  const leaf = Buffer.from(b.leaf, 'base64');
  verifyInclusion(
    b.leafIndex,
    b.treeSize,
    leafHash(leaf),
    b.proof.map((h) => Buffer.from(h, 'base64')),
    cp.root,
  );
  let decoded: DecodedLeaf | undefined;
  try {
    decoded = decodeLeaf(leaf);
  } catch {
    decoded = undefined;
  }
  return {
    leafIndex: b.leafIndex,
    treeSize: b.treeSize,
    origin: cp.origin,
    root: cp.root.toString('base64'),
    keyPinned: pinnedKey !== undefined,
    leaf: decoded,
  };
}

/** Parses a consistency bundle's JSON (shape only). */
export function parseConsistencyBundle(json: string): ConsistencyBundle {
  const o = parseJson(json);
  if (o.format !== 'healthcode/audit-consistency/v1') {
    bad('unknown format');
  }
  return {
    format: 'healthcode/audit-consistency/v1',
    size1: size(o.size1, 'size1'),
    size2: size(o.size2, 'size2'),
    proof: hashes(o.proof).map((h) => h.toString('base64')),
    verifierKey: text(o.verifierKey, 'verifierKey'),
  };
}

/**
 * Checks offline that `newNote` extends `oldNote`: both signed by the (pinned) log key, and the
 * consistency proof links their roots. Two checkpoints that cannot both be heads of one log
 * throw {@link AuditInconsistentError}.
 */
export function checkConsistencyBundle(
  oldNote: string,
  newNote: string,
  json: string,
  pinnedKey?: string,
): { older: SignedCheckpoint; newer: SignedCheckpoint } {
  const b = parseConsistencyBundle(json);
  const verifier = keyFor(b.verifierKey, pinnedKey);
  let older = openCheckpoint(oldNote, verifier);
  let newer = openCheckpoint(newNote, verifier);
  if (older.size > newer.size) {
    [older, newer] = [newer, older];
  }
  if (older.size !== b.size1 || newer.size !== b.size2) {
    throw new AuditProofMalformedError('the proof is for other tree sizes than the checkpoints');
  }
  checkConsistency(
    older,
    newer,
    b.proof.map((h) => Buffer.from(h, 'base64')),
  );
  return { older, newer };
}
