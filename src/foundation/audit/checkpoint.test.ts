// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { AuditCheckpointMalformedError, AuditSignatureError } from './errors.js';
import { EMPTY_ROOT } from './merkle.js';
import { formatVerifierKey, noteSigner, noteVerifier, openNote, parseVerifierKey } from './note.js';

const origin = 'healthcode.example/shanghai';
const signer = noteSigner(origin, randomBytes(32));
const verifier = noteVerifier(origin, signer.publicKey);

describe('tlog-checkpoint bodies', () => {
  it('formats origin, size and base64 root, one per line', () => {
    expect(formatCheckpoint({ origin, size: 0, root: EMPTY_ROOT })).toBe(
      `${origin}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`,
    );
  });

  it('refuses malformed bodies with a typed error', () => {
    const root = EMPTY_ROOT.toString('base64');
    for (const text of [
      `${origin}\n0\n${root}`, // no final newline
      `${origin}\n0\n`,
      `\n0\n${root}\n`,
      `${origin}\n01\n${root}\n`, // leading zero
      `${origin}\n-1\n${root}\n`,
      `${origin}\n99999999999999999\n${root}\n`,
      `${origin}\n5\n${root.slice(0, -4)}\n`,
      `${origin}\n5\n${root}\n\n`,
    ]) {
      expect(() => parseCheckpoint(text)).toThrow(AuditCheckpointMalformedError);
    }
    expect(parseCheckpoint(`${origin}\n5\n${root}\next-line\n`).extensions).toEqual(['ext-line']);
  });
});

describe('signed checkpoints', () => {
  it('round-trips and binds every byte', () => {
    const cp = signCheckpoint({ origin, size: 42, root: randomBytes(32) }, signer);
    expect(openCheckpoint(cp.note, verifier)).toMatchObject({ origin, size: 42 });
    expect(() => openCheckpoint(cp.note.replace('\n42\n', '\n43\n'), verifier)).toThrow(
      AuditSignatureError,
    );
    const other = noteVerifier(origin, noteSigner(origin, randomBytes(32)).publicKey);
    expect(() => openCheckpoint(cp.note, other)).toThrow(AuditSignatureError);
  });

  it('ignores cosignatures from unknown keys, as the spec requires', () => {
    const cp = signCheckpoint({ origin, size: 1, root: randomBytes(32) }, signer);
    const witness = noteSigner('witness.example/w1', randomBytes(32));
    const text = cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1);
    const sig = Buffer.concat([witness.keyId, witness.sign(Buffer.from(text))]).toString('base64');
    const cosigned = `${cp.note}\u2014 witness.example/w1 ${sig}\n`;
    expect(openNote(cosigned, [verifier])).toMatchObject({ unknownSignatures: 1 });
    expect(
      openNote(cosigned, [verifier, parseVerifierKey(formatVerifierKey(witness))]).verifiedBy,
    ).toEqual([origin, 'witness.example/w1']);
  });

  it('refuses malformed notes and keys with typed errors', () => {
    const cp = signCheckpoint({ origin, size: 1, root: randomBytes(32) }, signer);
    for (const note of [
      '',
      cp.note.replace('\n\n', '\n'),
      cp.note.replace('\u2014', '-'),
      cp.note.replace(/ (\S+)\n$/, ' !!!\n'),
      cp.note.replace(/ (\S+)\n$/, ' AAAA\n'),
      `${cp.note.slice(0, 5)}\u0007${cp.note.slice(5)}`,
      cp.note + 'x'.repeat(70_000),
    ]) {
      expect(() => openCheckpoint(note, verifier)).toThrow(AuditCheckpointMalformedError);
    }
    for (const key of [
      '',
      'name',
      'a b+12345678+AA==',
      `${origin}+zzzzzzzz+AA==`,
      `${origin}+12345678+AA==`,
    ]) {
      expect(() => parseVerifierKey(key)).toThrow(AuditCheckpointMalformedError);
    }
  });

  it('checks that the origin is the key name', () => {
    const stranger = noteSigner('other.example/log', randomBytes(32));
    expect(() => signCheckpoint({ origin, size: 0, root: EMPTY_ROOT }, stranger)).toThrow(
      RangeError,
    );
  });
});
