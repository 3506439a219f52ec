// SPDX-License-Identifier: Apache-2.0
/**
 * @module The consent ledger (DOMAIN.md §6 req. 9–10): grant and withdraw per subject × purpose ×
 * category, recording the notice shown (PIPL art. 14), separate consent for sensitive data
 * (art. 29) and a guardian's consent for under-14s (art. 31). Withdrawal is one call, as easy as
 * granting, effective at commit for every process (the guard reads the ledger, not a cache), and
 * starts deletion of what only that purpose needed (arts. 15, 47(3)). Each act yields a signed
 * Kantara v1.1 receipt.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { isDataCategory, isSensitive, type DataCategory } from '../../kernel/domain/index.js';
import type { KeyWrapper } from '../../kernel/shared/key-wrapper.js';
import { loadCatalogue, purposeOf, type Catalogue } from './catalogue-service.js';
import {
  BundledConsentError,
  CategoryNotInPurposeError,
  GuardianRequiredError,
  NotConsentBasedError,
  NothingToWithdrawError,
  PurposeInactiveError,
  SeparateConsentRequiredError,
  SubjectIdInvalidError,
  UnknownCategoryError,
} from './errors.js';
import {
  audit,
  bit,
  inTransaction,
  isOpaqueSubjectId,
  newId,
  toBool,
  treatAsUnder14,
  type ConsentDeps,
} from './internal.js';
import * as ledgerRepo from './ledger-repository.js';
import { isActiveAt, isConsentBasis, type Purpose } from './model.js';
import { requireCurrentPolicy } from './notices.js';
import { buildReceipt } from './receipt-build.js';
import { signReceipt } from './receipt-format.js';
import { receiptSigningKey } from './receipts.js';
import {
  recordDeletionTrigger,
  type DeletionTrigger,
  type DeletionTriggerEvent,
} from './deletion-trigger.js';

export interface LedgerDeps extends ConsentDeps {
  /** Wraps the receipt-signing key (the keyring's port). */
  readonly keys: KeyWrapper;
  /** Where withdrawals announce deletion; default: the `deletion_triggers` table. */
  readonly deletionTrigger?: DeletionTrigger;
}

export type { SubjectFactsPort } from './internal.js';

export interface GrantInput {
  readonly subjectId: string;
  readonly purposeId: string;
  readonly categories: readonly string[];
  /** SHA-256 of the privacy policy shown; must be a current version. */
  readonly noticeHash: string;
  /** This act is a separate consent (art. 29): sensitive categories only. */
  readonly separate?: boolean;
  /** The guardian's opaque subject id, when a guardian consents for a dependant (art. 31). */
  readonly guardianId?: string;
  /**
   * The caller's claim that the subject is under 14: it can only add protection; the vault's
   * birth date (the wired `SubjectFactsPort`) decides otherwise.
   */
  readonly under14?: boolean;
  readonly collectionMethod?: string;
  readonly actor: string;
}

export interface WithdrawInput {
  readonly subjectId: string;
  readonly purposeId: string;
  /** Default: every active category of the purpose. */
  readonly categories?: readonly string[];
  readonly language?: string;
  readonly collectionMethod?: string;
  readonly actor: string;
}

export interface ConsentActResult {
  readonly eventId: string;
  readonly receiptId: string;
  /** The signed receipt (compact JWS) for the citizen to keep. */
  readonly receipt: string;
  readonly categories: readonly DataCategory[];
}

export interface WithdrawResult extends ConsentActResult {
  readonly deletion: DeletionTriggerEvent;
}

function checkSubject(id: string, label: string): void {
  if (!isOpaqueSubjectId(id)) {
    throw new SubjectIdInvalidError(`${label} must be an opaque subject id, not personal data`);
  }
}

function checkCategories(purpose: Purpose, names: readonly string[]): DataCategory[] {
  if (names.length === 0) {
    throw new UnknownCategoryError('name at least one data category');
  }
  const out: DataCategory[] = [];
  for (const c of names) {
    if (!isDataCategory(c)) {
      throw new UnknownCategoryError(`unknown data category ${JSON.stringify(c.slice(0, 40))}`);
    }
    if (!purpose.categories.includes(c)) {
      throw new CategoryNotInPurposeError(`purpose ${purpose.id} does not process ${c}`);
    }
    if (!out.includes(c)) {
      out.push(c);
    }
  }
  return out;
}

async function sign(
  deps: LedgerDeps,
  trx: Kysely<Database>,
  catalogue: Catalogue,
  act: Omit<Parameters<typeof buildReceipt>[0], 'publicKey' | 'controller' | 'services'>,
): Promise<string> {
  const key = await receiptSigningKey({ ...deps, db: trx });
  const receipt = buildReceipt({
    ...act,
    controller: deps.controller,
    services: [...catalogue.services.values()],
    publicKey: key.publicKeyRaw.toString('base64url'),
  });
  const token = signReceipt(receipt, key);
  await ledgerRepo.insertReceipt(trx, {
    id: act.receiptId,
    event_id: act.extension.eventId,
    subject_id: act.subjectId,
    key_id: key.kid,
    token,
    issued_at: act.at.getTime(),
  });
  return token;
}

/** Records a consent act and returns its signed receipt; nothing changes on any error. */
export async function grantConsent(deps: LedgerDeps, input: GrantInput): Promise<ConsentActResult> {
  checkSubject(input.subjectId, 'subject');
  if (input.guardianId !== undefined) {
    checkSubject(input.guardianId, 'guardian');
  }
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    const purpose = purposeOf(catalogue, input.purposeId);
    if (!isConsentBasis(purpose.legalBasis)) {
      throw new NotConsentBasedError(
        `purpose ${purpose.id} rests on PIPL art. ${purpose.legalBasis}, not on consent`,
      );
    }
    if (!isActiveAt(purpose, now)) {
      throw new PurposeInactiveError(`purpose ${purpose.id} is not active`);
    }
    const categories = checkCategories(purpose, input.categories);
    const notice = await requireCurrentPolicy(trx, input.noticeHash);
    const under14 = await treatAsUnder14(deps, trx, input.subjectId, now, input.under14);
    const separate = input.separate === true;
    const sensitive = categories.filter((c) => isSensitive(c, { under14 }));
    if (sensitive.length > 0 && !separate) {
      throw new SeparateConsentRequiredError(
        `${sensitive.join(', ')} ${sensitive.length > 1 ? 'are' : 'is'} sensitive here: ask for a separate consent (PIPL art. 29)`,
      );
    }
    if (separate && sensitive.length < categories.length) {
      throw new BundledConsentError(
        'a separate consent covers sensitive categories only; ask for the others in their own act',
      );
    }
    if (under14 && (input.guardianId === undefined || input.guardianId === input.subjectId)) {
      throw new GuardianRequiredError(
        'the subject is under 14: a guardian must consent (PIPL art. 31)',
      );
    }
    const eventId = newId(deps.random);
    const receiptId = newId(deps.random);
    const byGuardian = input.guardianId !== undefined;
    const method = input.collectionMethod ?? 'cli';
    await ledgerRepo.insertEvent(trx, {
      id: eventId,
      subject_id: input.subjectId,
      purpose_id: purpose.id,
      categories: JSON.stringify(categories),
      action: 'grant',
      separate: bit(separate),
      by_guardian: bit(byGuardian),
      guardian_id: input.guardianId ?? null,
      notice_hash: notice.hash,
      collection_method: method,
      actor: input.actor,
      at: now.getTime(),
      receipt_id: receiptId,
    });
    for (const category of categories) {
      await ledgerRepo.upsertGrant(trx, {
        subject_id: input.subjectId,
        purpose_id: purpose.id,
        category,
        granted_at: now.getTime(),
        withdrawn_at: null,
        separate: bit(separate),
        by_guardian: bit(byGuardian),
        guardian_id: input.guardianId ?? null,
        notice_hash: notice.hash,
        grant_event_id: eventId,
      });
    }
    const receipt = await sign(deps, trx, catalogue, {
      receiptId,
      at: now,
      subjectId: input.subjectId,
      purpose,
      categories,
      under14,
      language: notice.language,
      collectionMethod: method,
      extension: {
        action: 'grant',
        eventId,
        purposeId: purpose.id,
        legalBasis: purpose.legalBasis,
        separate,
        byGuardian,
        guardianId: input.guardianId ?? null,
        noticeHash: notice.hash,
      },
    });
    await audit(deps, trx, input.subjectId, [
      {
        kind: 'consent',
        actor: input.actor,
        purpose: purpose.id,
        action: 'grant',
        outcome: 'ok',
        at: now,
        details: {
          categories: categories.join(','),
          receipt: receiptId,
          notice: notice.hash,
          separate,
          byGuardian,
        },
      },
    ]);
    return { eventId, receiptId, receipt, categories };
  });
}

/** Withdraws active consents (all of the purpose by default); effective at commit. */
export async function withdrawConsent(
  deps: LedgerDeps,
  input: WithdrawInput,
): Promise<WithdrawResult> {
  checkSubject(input.subjectId, 'subject');
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    const purpose = purposeOf(catalogue, input.purposeId);
    const current = await ledgerRepo.selectCurrent(trx, input.subjectId, purpose.id);
    const active = current
      .filter((r) => r.withdrawn_at === null)
      .map((r) => r.category as DataCategory);
    const requested =
      input.categories === undefined ? active : checkCategories(purpose, input.categories);
    const idle = requested.filter((c) => !active.includes(c));
    if (requested.length === 0 || idle.length > 0) {
      throw new NothingToWithdrawError(
        idle.length > 0
          ? `no active consent for ${purpose.id} / ${idle.join(', ')}`
          : `no active consent for ${purpose.id}`,
      );
    }
    const first = current.find((r) => requested.includes(r.category as DataCategory));
    // A guardian's consent marks an under-14 when the vault cannot tell (receipt's spiCat).
    const under14 =
      (await deps.subjects?.isUnder14(trx, input.subjectId, now)) ?? toBool(first?.by_guardian);
    await ledgerRepo.markWithdrawn(trx, input.subjectId, purpose.id, requested, now.getTime());
    const eventId = newId(deps.random);
    const receiptId = newId(deps.random);
    const method = input.collectionMethod ?? 'cli';
    await ledgerRepo.insertEvent(trx, {
      id: eventId,
      subject_id: input.subjectId,
      purpose_id: purpose.id,
      categories: JSON.stringify(requested),
      action: 'withdraw',
      separate: bit(false),
      by_guardian: first?.by_guardian ?? 0,
      guardian_id: first?.guardian_id ?? null,
      notice_hash: null,
      collection_method: method,
      actor: input.actor,
      at: now.getTime(),
      receipt_id: receiptId,
    });
    const receipt = await sign(deps, trx, catalogue, {
      receiptId,
      at: now,
      subjectId: input.subjectId,
      purpose,
      categories: requested,
      under14,
      language: input.language ?? 'zh',
      collectionMethod: method,
      extension: {
        action: 'withdraw',
        eventId,
        purposeId: purpose.id,
        legalBasis: purpose.legalBasis,
        separate: false,
        byGuardian: toBool(first?.by_guardian),
        guardianId: first?.guardian_id ?? null,
        noticeHash: null,
      },
    });
    const deletion = await recordDeletionTrigger(deps, trx, catalogue, {
      subjectId: input.subjectId,
      purposeId: purpose.id,
      categories: requested,
      eventId,
      at: now,
    });
    await audit(deps, trx, input.subjectId, [
      {
        kind: 'consent',
        actor: input.actor,
        purpose: purpose.id,
        action: 'withdraw',
        outcome: 'ok',
        at: now,
        details: {
          categories: requested.join(','),
          receipt: receiptId,
          deletionTrigger: deletion.id,
          toDelete: deletion.categories.join(','),
        },
      },
    ]);
    return { eventId, receiptId, receipt, categories: requested, deletion };
  });
}
