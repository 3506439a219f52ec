// SPDX-License-Identifier: Apache-2.0
/**
 * @module What an instance publishes for offline verifiers, in the forms an API hands out
 * (DESIGN.md §4): the signed trust list (issuer keys, validity, revocations) as its JSON text, the
 * revocation list as plain JSON (salt and salted, truncated token hashes — after the EU DCC 2022
 * design they name nobody), and verification of a token string against a trust list that is
 * parsed once and cached by its text.
 */
import type { Store } from '../../platform/runtime/index.js';
import type { Verdict } from './model.js';
import { openCodesService } from './jobs.js';
import type { RevocationList } from './revocation.js';
import { parseTrustList, type ParseTrustListOptions } from './trust-list.js';
import { verifyToken } from './verify.js';

/** The instance's signed trust list, as `code trust-list` writes it (keys created if missing). */
export async function signedTrustList(store: Store): Promise<string> {
  return openCodesService(store, store.keyring.keyWrapper()).trustListText();
}

/** A revocation list as JSON: base64 salt, salted token entries, revoked key ids. */
export interface RevocationListJson {
  readonly salt: string;
  readonly tokens: readonly string[];
  readonly keys: readonly string[];
}

export function revocationListJson(r: RevocationList): RevocationListJson {
  return {
    salt: Buffer.from(r.salt).toString('base64'),
    tokens: [...r.tokens].sort(),
    keys: [...r.keys].sort(),
  };
}

/** The revocations inside the instance's current trust list. */
export async function currentRevocations(store: Store): Promise<RevocationListJson> {
  return revocationListJson(parseTrustList(await signedTrustList(store)).revocations);
}

let cached:
  { text: string; anchors: string; parsed: ReturnType<typeof parseTrustList> } | undefined;

/**
 * Verifies a token string offline against a trust list's text (parsed once per distinct text;
 * the signature of the list is checked at parse). Records nothing about where it was scanned.
 */
export function verifyTokenString(
  token: string,
  trustListText: string,
  at: Date,
  options: ParseTrustListOptions = {},
): Verdict {
  const anchors = JSON.stringify(options);
  if (cached === undefined || cached.text !== trustListText || cached.anchors !== anchors) {
    cached = { text: trustListText, anchors, parsed: parseTrustList(trustListText, options) };
  }
  const { trustList, revocations } = cached.parsed;
  return verifyToken(token, { trustList, revocations, at });
}
