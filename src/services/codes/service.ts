// SPDX-License-Identifier: Apache-2.0
/**
 * @module The stored issuer: signing keys and the trust anchor kept in `codes_keys`, private
 * halves wrapped through the KeyWrapper port (context `codes:key:<kid>`); key rotation (the old key
 * stops signing, its tokens verify until they expire); the signed trust list; revocation of a
 * token hash or a key id; and issuing — from inputs given directly, or for a stored subject
 * through the {@link ColourInputsSource} / {@link DecisionStore} ports once the vault is wired.
 * Every colour decision first needs the rule set's stored automated-decision assessment
 * (PIPL art. 55(2); assessment.ts).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { maskName } from '../../kernel/domain/index.js';
import type { Clock, KeyWrapper, Random } from '../../kernel/shared/index.js';
import { algForKey, generateSigningKey, type AlgName } from './algorithms.js';
import { requireRuleSetAssessment } from './assessment.js';
import { RevocationTargetError, SigningKeyError } from './errors.js';
import { evaluateColour } from './evaluator.js';
import { issueTokenFor, MAX_TOKEN_TTL_SECONDS, type IssuedToken } from './issue.js';
import type { ColourDecision, ColourInputs, ColourInputsSource, DecisionStore } from './model.js';
import * as repo from './repository.js';
import { publishRevocations } from './revocation.js';
import { builtInRuleSet, ruleSetLabel, type RuleSet } from './rule-set.js';
import { keyIdOf, tokenSigner, type TokenSigner } from './token.js';
import { buildTrustList, TRUST_LIST_DAYS, type TrustedKey } from './trust-list.js';
import { tokenHashOfToken } from './verify.js';

export interface CodesServiceOptions {
  readonly db: Kysely<Database>;
  readonly wrapper: KeyWrapper;
  readonly clock: Clock;
  readonly random: Random;
  /** The `iss` of our tokens (the instance's configured origin). */
  readonly issuer: string;
  /** Where "24:00 that day" is (the instance's configured zone). */
  readonly timeZone: string;
}

/** A default signing-key life before the rotation job replaces it. */
export const SIGNING_KEY_DAYS = 7;

const context = (kid: string) => `codes:key:${kid}`;
const TOKEN = 'token';
const ANCHOR = 'anchor';

/** A decision and the token signed for it. */
export interface IssueOutcome {
  readonly token: IssuedToken;
  readonly decision: ColourDecision;
  /** The masked name the token carries. */
  readonly maskedName: string;
}

export class CodesService {
  readonly #o: CodesServiceOptions;
  readonly #unwrapped = new Map<string, KeyObject>();

  constructor(options: CodesServiceOptions) {
    this.#o = options;
  }

  #now(): number {
    return Math.floor(this.#o.clock.now().getTime() / 1000);
  }

  /** The instance database (the review queue shares it). */
  get db(): Kysely<Database> {
    return this.#o.db;
  }

  /** The service's clock reading (the injected Clock). */
  now(): Date {
    return this.#o.clock.now();
  }

  /** Creates the trust anchor and a first signing key where missing. */
  async ensureKeys(alg: AlgName = 'EdDSA'): Promise<{ anchorKid: string; signingKid: string }> {
    const anchor =
      (await repo.currentKey(this.#o.db, ANCHOR)) ?? (await this.#create(ANCHOR, 'EdDSA'));
    const signing = (await repo.currentKey(this.#o.db, TOKEN)) ?? (await this.#create(TOKEN, alg));
    return { anchorKid: anchor.kid, signingKid: signing.kid };
  }

  /** Replaces the current signing key; returns the new key id. */
  async rotateSigningKey(alg?: AlgName): Promise<string> {
    const current = await repo.currentKey(this.#o.db, TOKEN);
    const row = await this.#create(
      TOKEN,
      alg ?? (current?.alg as AlgName | undefined) ?? 'EdDSA',
      true,
    );
    return row.kid;
  }

  /** Rotates when the current signing key is older than `maxAgeDays`. */
  async rotateIfDue(maxAgeDays = SIGNING_KEY_DAYS): Promise<{ rotated: boolean; kid: string }> {
    const current = await repo.currentKey(this.#o.db, TOKEN);
    if (current !== undefined && this.#now() - current.not_before < maxAgeDays * 86400) {
      return { rotated: false, kid: current.kid };
    }
    return { rotated: true, kid: await this.rotateSigningKey() };
  }

  async #create(purpose: string, alg: AlgName, retire = false): Promise<repo.CodesKeyTable> {
    const privateKey = generateSigningKey(alg);
    const publicKey = createPublicKey(privateKey);
    const kid = keyIdOf(publicKey);
    // Wrapped before the transaction: the wrapper may use its own store.
    const wrapped = await this.#o.wrapper.wrap(
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      context(kid),
    );
    const now = this.#now();
    const row: repo.CodesKeyTable = {
      kid,
      purpose,
      alg,
      public_key: publicKey.export({ type: 'spki', format: 'der' }),
      wrapped_private: wrapped,
      not_before: now,
      not_after: null,
    };
    try {
      await this.#o.db.transaction().execute(async (trx) => {
        if (retire) {
          await repo.retireCurrent(trx, purpose, now);
        }
        await repo.insertKey(trx, row);
      });
    } catch (err) {
      // Another process created the current key first (unique index codes_keys_current).
      const winner = await repo.currentKey(this.#o.db, purpose);
      if (winner === undefined) {
        throw err;
      }
      return winner;
    }
    this.#unwrapped.set(kid, privateKey);
    return row;
  }

  async #privateKey(row: repo.CodesKeyTable): Promise<KeyObject> {
    let key = this.#unwrapped.get(row.kid);
    if (key === undefined) {
      const der = await this.#o.wrapper.unwrap(row.wrapped_private, context(row.kid));
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      der.fill(0);
      if (algForKey(key) !== row.alg) {
        throw new SigningKeyError('stored signing key does not match its algorithm');
      }
      this.#unwrapped.set(row.kid, key);
    }
    return key;
  }

  /** The current token signer. */
  async signer(): Promise<TokenSigner> {
    const row = await repo.currentKey(this.#o.db, TOKEN);
    if (row === undefined) {
      throw new SigningKeyError(
        'no signing key yet: run `healthcode code trust-list` or `code keys rotate`',
      );
    }
    return tokenSigner(await this.#privateKey(row), this.#o.issuer);
  }

  /** The signed trust list with every key whose tokens can still be valid, and the revocations. */
  async trustListText(): Promise<string> {
    await this.ensureKeys();
    const now = this.#now();
    const horizon = now + TRUST_LIST_DAYS * 86400;
    const keys: TrustedKey[] = [];
    for (const row of await repo.listKeys(this.#o.db, TOKEN)) {
      const notAfter = row.not_after ?? horizon;
      const verifyUntil = notAfter + MAX_TOKEN_TTL_SECONDS;
      if (verifyUntil <= now) {
        continue;
      }
      keys.push({
        kid: row.kid,
        issuer: this.#o.issuer,
        alg: row.alg as AlgName,
        publicKey: createPublicKey({ key: row.public_key, format: 'der', type: 'spki' }),
        notBefore: row.not_before,
        notAfter,
        verifyUntil,
      });
    }
    const live = await repo.liveRevocations(this.#o.db, now);
    const revocations = publishRevocations(
      this.#o.random.bytes(16),
      live.filter((r) => r.kind === 'token').map((r) => r.value),
      live.filter((r) => r.kind === 'key').map((r) => r.value),
    );
    const anchorRow = (await repo.currentKey(this.#o.db, ANCHOR))!;
    return buildTrustList(
      { issuedAt: now, expiresAt: horizon, keys, revocations },
      await this.#privateKey(anchorRow),
    );
  }

  /**
   * Revokes a token (its 64-hex token hash, or the token text itself) or one of our signing keys
   * (16-hex key id). Token entries expire once every token they could name has expired.
   */
  async revoke(target: string): Promise<{ kind: 'token' | 'key'; value: string; added: boolean }> {
    const now = this.#now();
    let value = target.trim();
    if (value.startsWith('HCN1:')) {
      const hash = tokenHashOfToken(value);
      if (hash === undefined) {
        throw new RevocationTargetError('not a readable healthcode token');
      }
      value = hash;
    }
    value = value.toLowerCase();
    if (/^[0-9a-f]{64}$/.test(value)) {
      const added = await repo.insertRevocation(this.#o.db, {
        value,
        kind: 'token',
        created_at: now,
        expires_at: now + MAX_TOKEN_TTL_SECONDS + 3600,
      });
      return { kind: 'token', value, added };
    }
    if (/^[0-9a-f]{16}$/.test(value)) {
      const key = await repo.findKey(this.#o.db, value);
      if (key === undefined || key.purpose !== TOKEN) {
        throw new RevocationTargetError('no signing key of this instance has that key id');
      }
      const notAfter = key.not_after ?? now + TRUST_LIST_DAYS * 86400;
      const added = await repo.insertRevocation(this.#o.db, {
        value,
        kind: 'key',
        created_at: now,
        expires_at: notAfter + MAX_TOKEN_TTL_SECONDS + 3600,
      });
      if (key.not_after === null) {
        // A revoked key must not sign again.
        await this.rotateSigningKey();
      }
      return { kind: 'key', value, added };
    }
    throw new RevocationTargetError('expected a 64-hex token hash, a token, or a 16-hex key id');
  }

  /** Evaluates inputs and signs a token: the issuing path without a stored subject. */
  async issueFromInputs(req: {
    readonly name: string;
    readonly inputs: ColourInputs;
    readonly ruleSet?: RuleSet;
    readonly ttlSeconds?: number;
  }): Promise<IssueOutcome> {
    const ruleSet = req.ruleSet ?? builtInRuleSet();
    const now = this.#o.clock.now();
    await requireRuleSetAssessment(this.#o.db, ruleSet, now);
    return this.#decideAndSign(req.name, req.inputs, ruleSet, now, req.ttlSeconds);
  }

  /** Evaluates and signs; the caller has checked the rule set's assessment. */
  async #decideAndSign(
    name: string,
    inputs: ColourInputs,
    ruleSet: RuleSet,
    now: Date,
    ttlSeconds: number | undefined,
  ): Promise<IssueOutcome> {
    const decision = evaluateColour(ruleSet, inputs, now, this.#o.timeZone);
    const maskedName = maskName(name.trim() === '' ? '*' : name);
    await this.ensureKeys();
    const token = issueTokenFor(await this.signer(), {
      colour: decision.colour,
      validUntil: new Date(decision.validUntil),
      maskedName,
      ruleSet: ruleSetLabel(ruleSet),
      now,
      random: this.#o.random,
      ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
    });
    return { token, decision, maskedName };
  }

  /**
   * Issues for a stored subject through the vault ports, recording the decision (req. 8). The
   * signing key is loaded before the vault is touched (SQLite: one connection for both stores).
   */
  async issueForSubject(
    subjectId: string,
    ports: { readonly source: ColourInputsSource; readonly decisions: DecisionStore },
    options: { readonly ruleSet?: RuleSet; readonly ttlSeconds?: number } = {},
  ): Promise<IssueOutcome> {
    const ruleSet = options.ruleSet ?? builtInRuleSet();
    const now = this.#o.clock.now();
    // Before the person's data is read: a refused decision reads nothing either.
    await requireRuleSetAssessment(this.#o.db, ruleSet, now);
    await this.ensureKeys();
    await this.signer();
    const { inputs, displayName } = await ports.source.load(subjectId, now);
    const outcome = await this.#decideAndSign(
      displayName,
      inputs,
      ruleSet,
      now,
      options.ttlSeconds,
    );
    await ports.decisions.record(subjectId, outcome.decision);
    return outcome;
  }

  /** Evaluates a stored subject and records the decision, without signing (after a correction). */
  async decideForSubject(
    subjectId: string,
    ports: { readonly source: ColourInputsSource; readonly decisions: DecisionStore },
    options: { readonly ruleSet?: RuleSet } = {},
  ): Promise<ColourDecision> {
    const now = this.#o.clock.now();
    const ruleSet = options.ruleSet ?? builtInRuleSet();
    await requireRuleSetAssessment(this.#o.db, ruleSet, now);
    const { inputs } = await ports.source.load(subjectId, now);
    const decision = evaluateColour(ruleSet, inputs, now, this.#o.timeZone);
    await ports.decisions.record(subjectId, decision);
    return decision;
  }
}
