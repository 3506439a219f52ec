// SPDX-License-Identifier: Apache-2.0
/**
 * @module Custody of the master secret: Shamir's secret sharing (Shamir, "How to share a secret",
 * CACM 1979) over GF(2^8) with the audited `shamir-secret-sharing` package (Privy; Cure53 and
 * Zellic audits), the same construction as HashiCorp Vault's unseal keys. Any `threshold` of the
 * share files rebuild the secret; fewer reveal nothing about it.
 *
 * The package does not check what it reconstructs, so every share carries the instance's key
 * check value, and an import is accepted only when the rebuilt secret reproduces it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { combine, split } from 'shamir-secret-sharing';
import { fromBase64Url, toBase64Url, zeroize } from '../../kernel/crypto/index.js';
import { SharesError } from './errors.js';
import { SECRET_LENGTH } from './model.js';
import { masterCheckValue, sameCheckValue } from './provider.js';

/** The share file format tag. */
export const SHARE_FORMAT = 'healthcode-master-share/1';

/** One share file's content (JSON). */
export interface ShareFile {
  readonly format: typeof SHARE_FORMAT;
  /** Key check value of the master secret the shares rebuild. */
  readonly kcv: string;
  readonly threshold: number;
  readonly shares: number;
  readonly index: number;
  /** The share bytes (secret length + 1: the x coordinate is the last byte), base64url. */
  readonly share: string;
}

/** Parses `3/5` into threshold 3 of 5 shares (2 ≤ threshold ≤ shares ≤ 255). */
export function parseSharesSpec(spec: string): { threshold: number; shares: number } {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(spec.trim());
  const threshold = Number(m?.[1]);
  const shares = Number(m?.[2]);
  if (!m || threshold < 2 || shares > 255 || threshold > shares) {
    throw new SharesError('--shares expects K/N with 2 ≤ K ≤ N ≤ 255, e.g. 3/5');
  }
  return { threshold, shares };
}

/** True when `path` is inside `dir` (exports must never land in the data dir). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Splits a master secret into share files `share-I-of-N.json` (mode 0600) in `outDir`.
 *
 * @example
 * await exportShares(master, { threshold: 3, shares: 5 }, '/media/custody');
 */
export async function exportShares(
  master: Uint8Array,
  spec: { threshold: number; shares: number },
  outDir: string,
): Promise<string[]> {
  if (master.length !== SECRET_LENGTH) {
    throw new RangeError(`"master" expected ${SECRET_LENGTH} bytes`);
  }
  // The package checks `secret.constructor === Uint8Array`, so a Buffer must be copied over.
  const secret = new Uint8Array(master);
  const parts = await split(secret, spec.shares, spec.threshold);
  const kcv = masterCheckValue(secret);
  zeroize(secret);
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const files: string[] = [];
  parts.forEach((part, i) => {
    const body: ShareFile = {
      format: SHARE_FORMAT,
      kcv,
      threshold: spec.threshold,
      shares: spec.shares,
      index: i + 1,
      share: toBase64Url(part),
    };
    const file = join(outDir, `share-${i + 1}-of-${spec.shares}.json`);
    writeFileSync(file, JSON.stringify(body) + '\n', { mode: 0o600, flag: 'wx' });
    zeroize(part);
    files.push(file);
  });
  return files;
}

/** Reads and validates share files. */
export function readShareFiles(paths: readonly string[]): ShareFile[] {
  return paths.map((p) => {
    let parsed: Partial<ShareFile>;
    try {
      parsed = JSON.parse(readFileSync(p, 'utf8')) as Partial<ShareFile>;
    } catch (cause) {
      throw new SharesError('a share file is not valid JSON', { cause });
    }
    if (
      parsed.format !== SHARE_FORMAT ||
      typeof parsed.kcv !== 'string' ||
      typeof parsed.share !== 'string' ||
      !Number.isInteger(parsed.threshold) ||
      !Number.isInteger(parsed.index)
    ) {
      throw new SharesError('a share file is not a healthcode master-key share');
    }
    return parsed as ShareFile;
  });
}

/**
 * Rebuilds the master secret from shares and checks it against their key check value (and the
 * data dir's, when given). Throws {@link SharesError} for too few, mixed or damaged shares.
 */
export async function combineShares(
  files: readonly ShareFile[],
  expectedKcv?: string,
): Promise<Buffer> {
  const first = files[0];
  if (first === undefined) {
    throw new SharesError('no shares given');
  }
  if (files.some((f) => f.kcv !== first.kcv || f.threshold !== first.threshold)) {
    throw new SharesError('the shares come from different exports');
  }
  if (new Set(files.map((f) => f.index)).size !== files.length) {
    throw new SharesError('the same share was given twice');
  }
  if (files.length < first.threshold) {
    throw new SharesError(`${first.threshold} shares are needed, ${files.length} given`);
  }
  if (expectedKcv !== undefined && !sameCheckValue(first.kcv, expectedKcv)) {
    throw new SharesError('the shares belong to another instance (key check value differs)');
  }
  let secret: Uint8Array;
  try {
    secret = await combine(files.map((f) => new Uint8Array(fromBase64Url(f.share, 'share'))));
  } catch (cause) {
    throw new SharesError('the shares do not combine', { cause });
  }
  const out = Buffer.from(secret);
  zeroize(secret);
  if (out.length !== SECRET_LENGTH || !sameCheckValue(masterCheckValue(out), first.kcv)) {
    zeroize(out);
    throw new SharesError('the shares rebuild a different secret (a share is damaged)');
  }
  return out;
}
