// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the issuer-side commands (`code issue`, `code trust-list`,
 * `code revoke`, `code rotate-key`); each runs against the instance's stored issuer.
 */
import { writeFileSync } from 'node:fs';
import type { Store } from '../../platform/runtime/index.js';
import { withStore, type CommandEnv } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import type { AlgName } from './algorithms.js';
import { parseIssueInput, readStdinRaw, type Outcome } from './cli-verify.js';
import { openCodesService } from './jobs.js';
import { qrVersion, renderQr } from './qr.js';
import type { CodesService } from './service.js';
import { parseTrustList } from './trust-list.js';

export type WithIssuer = <T>(
  env: CommandEnv,
  fn: (svc: CodesService, store: Store) => Promise<T>,
) => Promise<T>;

/** Opens the instance and its stored issuer (keyring-wrapped signing keys) for one command. */
export const withIssuer: WithIssuer = (env, fn) =>
  withStore(env, (store) => fn(openCodesService(store, store.keyring.keyWrapper()), store));

/** `--ttl`: whole seconds from 30 to 86400, or undefined. */
export function parseTtl(text: string | undefined): number | undefined {
  const ttl = text === undefined ? undefined : Number(text);
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 30 || ttl > 86400)) {
    throw new UsageError('--ttl takes whole seconds from 30 to 86400');
  }
  return ttl;
}

/** `code issue --stdin`. */
export async function issueCommand(
  subjectId: string | undefined,
  opts: { stdin?: boolean; ttl?: string; png?: string; svg?: string; terminal?: boolean },
  env: CommandEnv,
  withIssuer: WithIssuer,
): Promise<Outcome> {
  if (subjectId !== undefined) {
    throw new TypeError('issuing for a stored subject goes through cli-subject.ts');
  }
  if (opts.stdin !== true) {
    throw new UsageError('give a subject id, or --stdin and the colour inputs as JSON on stdin');
  }
  const ttl = parseTtl(opts.ttl);
  const req = parseIssueInput(await readStdinRaw());
  const { token, decision } = await withIssuer(env, (svc) =>
    svc.issueFromInputs({ ...req, ...(ttl === undefined ? {} : { ttlSeconds: ttl }) }),
  );
  if (opts.png !== undefined) {
    writeFileSync(opts.png, await renderQr(token.text, 'png'));
  }
  if (opts.svg !== undefined) {
    writeFileSync(opts.svg, await renderQr(token.text, 'svg'));
  }
  if (opts.terminal === true) {
    process.stderr.write(`${(await renderQr(token.text, 'terminal')) as string}\n`);
  }
  const qr = await qrVersion(token.text, 'Q');
  return {
    json: {
      token: token.text,
      tokenHash: token.tokenHash,
      colour: token.colour,
      issuedAt: token.issuedAt,
      expiresAt: token.expiresAt,
      decision: {
        colour: decision.colour,
        decidedAt: decision.decidedAt,
        validUntil: decision.validUntil,
        ruleSet: decision.ruleSet,
        fired: decision.fired,
      },
      qr: {
        errorCorrection: 'Q',
        version: qr.version,
        modules: qr.modules,
        characters: token.text.length,
      },
    },
    text: token.text,
    exitCode: 0,
  };
}

/** `code trust-list --out FILE`. */
export async function trustListCommand(
  out: string,
  env: CommandEnv,
  withIssuer: WithIssuer,
): Promise<Outcome> {
  const text = await withIssuer(env, (svc) => svc.trustListText());
  const { trustList, revocations } = parseTrustList(text);
  writeFileSync(out, text, { mode: 0o644 });
  const summary = {
    file: out,
    anchor: trustList.anchorKid,
    keys: [...trustList.keys.values()].map((k) => ({
      kid: k.kid,
      alg: k.alg,
      verifyUntil: new Date(k.verifyUntil * 1000).toISOString(),
    })),
    revokedTokens: revocations.tokens.size,
    revokedKeys: revocations.keys.size,
    expiresAt: new Date(trustList.expiresAt * 1000).toISOString(),
  };
  return {
    json: summary,
    text: `wrote ${out}: ${summary.keys.length} key(s), anchor ${summary.anchor} (pin it with --anchor)`,
    exitCode: 0,
  };
}

/** `code revoke <token-hash | key-id | ->`. */
export async function revokeCommand(
  target: string,
  env: CommandEnv,
  withIssuer: WithIssuer,
): Promise<Outcome> {
  const value = target === '-' ? await readStdinRaw() : target;
  const r = await withIssuer(env, (svc) => svc.revoke(value));
  return {
    json: r,
    text: `${r.added ? 'revoked' : 'already revoked'} ${r.kind} ${r.value}; publish with \`code trust-list\``,
    exitCode: 0,
  };
}

/** `code rotate-key [--alg]`. */
export async function rotateCommand(
  alg: string | undefined,
  env: CommandEnv,
  withIssuer: WithIssuer,
): Promise<Outcome> {
  if (alg !== undefined && !['EdDSA', 'ES256', 'PS256'].includes(alg)) {
    throw new UsageError('--alg is EdDSA, ES256 or PS256');
  }
  const kid = await withIssuer(env, async (svc) => {
    await svc.ensureKeys();
    return svc.rotateSigningKey(alg as AlgName | undefined);
  });
  return { json: { kid }, text: `new signing key ${kid}`, exitCode: 0 };
}
