// SPDX-License-Identifier: Apache-2.0
/**
 * @module Issuing one token from a colour decision (制码): short-lived (`exp` = the earlier of
 * now + TTL and the colour's validity end, DOMAIN.md §6 req. 6), a fresh random 128-bit `cti`,
 * and only the masked name — so tokens cannot be linked to each other or to the person.
 */
import type { Random } from '../../kernel/shared/index.js';
import type { Colour } from './model.js';
import { encodeToken, type SignedToken, type TokenSigner } from './token.js';

/** Default token life: a gate scan happens minutes after the code is shown. */
export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
/** Longest token life an issuer may configure (bounds how long a rotated key must verify). */
export const MAX_TOKEN_TTL_SECONDS = 24 * 3600;

export interface IssueRequest {
  readonly colour: Colour;
  /** End of the colour's validity. */
  readonly validUntil: Date;
  readonly maskedName: string;
  /** `id@version` of the deciding rule set. */
  readonly ruleSet: string;
  readonly now: Date;
  readonly ttlSeconds?: number;
  readonly random: Random;
}

export interface IssuedToken extends SignedToken {
  readonly colour: Colour;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/**
 * Signs a token for a decision that is still valid.
 *
 * @example
 * issueTokenFor(signer, { colour: 'green', validUntil, maskedName: '张*', ruleSet: 'default@1', now, random });
 */
export function issueTokenFor(signer: TokenSigner, req: IssueRequest): IssuedToken {
  const ttl = req.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 30 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new RangeError(`"ttlSeconds" expected an integer in [30, ${MAX_TOKEN_TTL_SECONDS}]`);
  }
  const iat = Math.floor(req.now.getTime() / 1000);
  const exp = Math.min(iat + ttl, Math.floor(req.validUntil.getTime() / 1000));
  if (exp <= iat) {
    throw new RangeError('"validUntil" has passed: re-evaluate the colour before issuing');
  }
  const signed = encodeToken(
    {
      issuer: signer.issuer,
      issuedAt: iat,
      expiresAt: exp,
      cti: req.random.bytes(16),
      colour: req.colour,
      maskedName: req.maskedName,
      ruleSet: req.ruleSet,
    },
    signer,
  );
  return {
    ...signed,
    colour: req.colour,
    issuedAt: new Date(iat * 1000).toISOString(),
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}
