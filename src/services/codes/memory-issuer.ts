// SPDX-License-Identifier: Apache-2.0
/**
 * @module An issuer whose keys live in memory: the same signing, rotation, revocation and
 * trust-list logic as the stored issuer (service.ts), for tests, benchmarks and demos that must
 * not touch a data dir. Key windows: a key signs from its creation until the next rotation, and
 * its tokens verify until then + the longest token life.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock, Random } from '../../kernel/shared/index.js';
import { generateSigningKey, type AlgName } from './algorithms.js';
import {
  issueTokenFor,
  MAX_TOKEN_TTL_SECONDS,
  type IssueRequest,
  type IssuedToken,
} from './issue.js';
import { publishRevocations, type RevocationList } from './revocation.js';
import { tokenSigner, type TokenSigner } from './token.js';
import {
  buildTrustList,
  parseTrustList,
  TRUST_LIST_DAYS,
  type TrustList,
  type TrustedKey,
} from './trust-list.js';

interface KeyEntry {
  signer: TokenSigner;
  notBefore: number;
  notAfter: number | null;
}

export interface MemoryIssuerOptions {
  readonly issuer: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly alg?: AlgName;
}

export class MemoryIssuer {
  readonly issuer: string;
  readonly anchor: KeyObject = generateKeyPairSync('ed25519').privateKey;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #alg: AlgName;
  readonly #keys: KeyEntry[] = [];
  readonly #revokedTokens = new Set<string>();
  readonly #revokedKeys = new Set<string>();

  constructor(options: MemoryIssuerOptions) {
    this.issuer = options.issuer;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#alg = options.alg ?? 'EdDSA';
    this.rotate();
  }

  /** The key that signs now. */
  get signer(): TokenSigner {
    return this.#keys[this.#keys.length - 1].signer;
  }

  /** Starts a new signing key; the previous one stops signing but its tokens keep verifying. */
  rotate(alg: AlgName = this.#alg): TokenSigner {
    const now = this.#now();
    const current = this.#keys[this.#keys.length - 1];
    if (current !== undefined) {
      current.notAfter = now;
    }
    const signer = tokenSigner(generateSigningKey(alg), this.issuer);
    this.#keys.push({ signer, notBefore: now, notAfter: null });
    return signer;
  }

  issue(req: Omit<IssueRequest, 'now' | 'random'>): IssuedToken {
    return issueTokenFor(this.signer, { ...req, now: this.#clock.now(), random: this.#random });
  }

  revokeToken(tokenHash: string): void {
    this.#revokedTokens.add(tokenHash);
  }

  revokeKey(kid: string): void {
    this.#revokedKeys.add(kid);
  }

  /** The signed trust list file, as `code trust-list --out` writes it. */
  trustListText(): string {
    const now = this.#now();
    const keys: TrustedKey[] = this.#keys.map((k) => {
      const notAfter = k.notAfter ?? now + TRUST_LIST_DAYS * 86400;
      return {
        kid: k.signer.kid,
        issuer: this.issuer,
        alg: k.signer.alg,
        publicKey: createPublicKey(k.signer.privateKey),
        notBefore: k.notBefore,
        notAfter,
        verifyUntil: notAfter + MAX_TOKEN_TTL_SECONDS,
      };
    });
    const revocations: RevocationList = publishRevocations(
      this.#random.bytes(16),
      [...this.#revokedTokens],
      [...this.#revokedKeys],
    );
    return buildTrustList(
      { issuedAt: now, expiresAt: now + TRUST_LIST_DAYS * 86400, keys, revocations },
      this.anchor,
    );
  }

  /** The parsed trust list and revocations, as a verifier holds them. */
  trustBundle(): { trustList: TrustList; revocations: RevocationList } {
    return parseTrustList(this.trustListText());
  }

  #now(): number {
    return Math.floor(this.#clock.now().getTime() / 1000);
  }
}
