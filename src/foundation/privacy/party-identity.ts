// SPDX-License-Identifier: Apache-2.0
/**
 * @module A party's identity files (`party init`): an Ed25519 key pair and a self-signed
 * certificate whose fingerprint the other parties pin. Needs no instance.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../kernel/shared/index.js';
import { createPartyCredentials } from './x509.js';

/** Writes NAME.key.pem (0600) and NAME.cert.pem; refuses to overwrite a key. */
export function initParty(
  name: string,
  outDir: string,
  days: number,
  now: Date,
): { name: string; fingerprint: string; key: string; cert: string } {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new UsageError('--name must be 1–64 characters of [A-Za-z0-9._-]');
  }
  if (!(days >= 1 && days <= 3650)) {
    throw new UsageError('--days must be between 1 and 3650');
  }
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const key = join(dir, `${name}.key.pem`);
  const cert = join(dir, `${name}.cert.pem`);
  if (existsSync(key)) {
    throw new UsageError(`${name}.key.pem already exists; remove it first to make a new identity`);
  }
  const c = createPartyCredentials(name, now, randomBytes(8), days);
  writeFileSync(key, c.keyPem, { mode: 0o600, flag: 'wx' });
  writeFileSync(cert, c.certPem);
  return { name, fingerprint: c.fingerprint, key, cert };
}
