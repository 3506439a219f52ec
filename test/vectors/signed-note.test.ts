// SPDX-License-Identifier: Apache-2.0
/**
 * C2SP signed-note known answers.
 * - The specification's example (https://github.com/C2SP/C2SP/blob/main/signed-note.md,
 *   "Verifier keys → Example", as quoted by several independent implementations' test suites):
 *   verifier key `example.com/foo+530d903a+…` and its signed message.
 * - The example of golang.org/x/mod/sumdb/note (package documentation, "Example"), the reference
 *   implementation of the format: a signer key, its verifier key and the exact signed note.
 *   Ed25519 is deterministic (RFC 8032), so signing that text with that key must give those bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  formatVerifierKey,
  noteSigner,
  openNote,
  parseVerifierKey,
  signNote,
} from '../../src/foundation/audit/note.js';
import {
  AuditCheckpointMalformedError,
  AuditSignatureError,
} from '../../src/foundation/audit/errors.js';

const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n' +
  '\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const GO_NOTE =
  GO_TEXT +
  '\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

/** The Go signer key is `PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)`. */
function goSeed(): Buffer {
  const material = Buffer.from(GO_SKEY.split('+').slice(4).join('+'), 'base64');
  expect(material[0]).toBe(1);
  return material.subarray(1);
}

describe('C2SP signed-note specification example', () => {
  it('parses the verifier key and recomputes its key ID', () => {
    const v = parseVerifierKey(SPEC_VKEY);
    expect(v.name).toBe('example.com/foo');
    expect(v.keyId.toString('hex')).toBe('530d903a');
    expect(formatVerifierKey(v)).toBe(SPEC_VKEY);
  });

  it('verifies the example note and returns its text', () => {
    const opened = openNote(SPEC_NOTE, [parseVerifierKey(SPEC_VKEY)]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verifiedBy).toEqual(['example.com/foo']);
  });

  it('rejects the example with a changed text, and ignores it for an unknown key', () => {
    const v = parseVerifierKey(SPEC_VKEY);
    expect(() => openNote(SPEC_NOTE.replace('example message', 'exampel message'), [v])).toThrow(
      AuditSignatureError,
    );
    expect(() => openNote(SPEC_NOTE, [parseVerifierKey(GO_VKEY)])).toThrow(AuditSignatureError);
  });

  it('refuses a verifier key whose ID does not match its key', () => {
    expect(() => parseVerifierKey(SPEC_VKEY.replace('530d903a', '530d903b'))).toThrow(
      AuditCheckpointMalformedError,
    );
  });
});

describe('golang.org/x/mod/sumdb/note example', () => {
  it('derives the documented key ID and verifier key from the seed', () => {
    const s = noteSigner('PeterNeumann', goSeed());
    expect(s.keyId.toString('hex')).toBe('c74f20a3');
    expect(formatVerifierKey(s)).toBe(GO_VKEY);
  });

  it('signs the documented text to the documented note, byte for byte', () => {
    expect(signNote(GO_TEXT, [noteSigner('PeterNeumann', goSeed())])).toBe(GO_NOTE);
  });

  it('verifies the documented note', () => {
    expect(openNote(GO_NOTE, [parseVerifierKey(GO_VKEY)]).text).toBe(GO_TEXT);
  });
});
