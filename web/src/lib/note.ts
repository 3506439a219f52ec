// SPDX-License-Identifier: Apache-2.0
/**
 * @module C2SP signed-note v1 and checkpoint reading in the browser (https://c2sp.org/signed-note,
 * https://c2sp.org/tlog-checkpoint): the text up to a blank line is signed; signature lines are
 * `— <name> base64(keyID ‖ Ed25519 signature)`; key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4];
 * verifier keys read `name+hex(keyID)+base64(0x01 ‖ key)`. A checkpoint body is origin, tree
 * size and base64 root hash, one per line.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, fromBase64, fromHex } from './bytes.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
}

/** The checkpoint lines of a signed note, or `undefined` when they are not one. */
export function readCheckpoint(note: string): Checkpoint | undefined {
  const body = note.split('\n\n')[0] ?? '';
  const [origin, sizeText, rootText] = body.split('\n');
  const root = rootText === undefined ? undefined : fromBase64(rootText);
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText ?? '') || root?.length !== 32) {
    return undefined;
  }
  return { origin, size: Number(sizeText), root };
}

/** True when one signature line of `note` is a valid Ed25519 signature by `verifierKey`. */
export function noteSignedBy(note: string, verifierKey: string): boolean {
  // `<name>+<8 hex key hash>+<base64 key>`: the base64 part may itself contain '+'.
  const parts = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/]+=*)$/.exec(verifierKey);
  if (parts === null) {
    return false;
  }
  const [, name = '', idHex = '', keyB64 = ''] = parts;
  const id = fromHex(idHex);
  const key = fromBase64(keyB64);
  if (id?.length !== 4 || key?.length !== 33 || key[0] !== 0x01) {
    return false;
  }
  const pub = key.subarray(1);
  const enc = new TextEncoder();
  const expectId = sha256(concat(enc.encode(name), Uint8Array.of(0x0a, 0x01), pub)).subarray(0, 4);
  if (!equalBytes(expectId, id)) {
    return false;
  }
  const split = note.indexOf('\n\n');
  if (split < 0) {
    return false;
  }
  const message = enc.encode(note.slice(0, split + 1));
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    const sig = m && m[1] === name ? fromBase64(m[2]) : undefined;
    if (sig?.length === 68 && equalBytes(sig.subarray(0, 4), id)) {
      try {
        if (ed25519.verify(sig.subarray(4), message, pub)) {
          return true;
        }
      } catch {
        // A malformed signature is simply not a valid one.
      }
    }
  }
  return false;
}
