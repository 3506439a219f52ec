// SPDX-License-Identifier: Apache-2.0
/**
 * @module Repurposing campaigns (DESIGN.md §1: "repurposed only with fresh, separate consent";
 * PIPL arts. 14, 29; DOMAIN.md §2.3 — the 随申码 → transit and 健康宝 → 京通 cases). An operator
 * proposes a consent-based purpose for data already held under other purposes; the citizens
 * asked answer; the data becomes readable for the new purpose only for those who consented
 * (the guard sees their ledger rows); the report shows the numbers.
 */
import { isSensitive, type DataCategory } from '../../kernel/domain/index.js';
import * as campaignRepo from './campaign-repository.js';
import { loadCatalogue, purposeOf } from './catalogue-service.js';
import {
  CampaignInvalidError,
  CampaignUnknownError,
  CategoryNotInPurposeError,
  NotConsentBasedError,
  PurposeInactiveError,
  UnknownCategoryError,
} from './errors.js';
import {
  audit,
  inTransaction,
  isOpaqueSubjectId,
  jsonArray,
  newId,
  treatAsUnder14,
} from './internal.js';
import { grantConsent, type ConsentActResult, type LedgerDeps } from './ledger.js';
import * as ledgerRepo from './ledger-repository.js';
import { anySensitive, isActiveAt, isConsentBasis } from './model.js';
import { requireCurrentPolicy } from './notices.js';
import { requirePia } from './pia.js';

export interface Campaign {
  readonly id: string;
  readonly purposeId: string;
  readonly fromPurposes: readonly string[];
  readonly categories: readonly DataCategory[];
  readonly noticeHash: string;
  readonly proposedBy: string;
  readonly createdAt: Date;
  readonly closedAt: Date | null;
}

function rowToCampaign(r: campaignRepo.ConsentCampaignsTable): Campaign {
  return {
    id: r.id,
    purposeId: r.purpose_id,
    fromPurposes: jsonArray(r.from_purposes),
    categories: jsonArray(r.categories) as DataCategory[],
    noticeHash: r.notice_hash,
    proposedBy: r.proposed_by,
    createdAt: new Date(r.created_at),
    closedAt: r.closed_at === null ? null : new Date(r.closed_at),
  };
}

export interface ProposeInput {
  readonly purposeId: string;
  readonly fromPurposes: readonly string[];
  readonly categories: readonly string[];
  readonly noticeHash: string;
  readonly actor: string;
}

/** Proposes reusing data held under `fromPurposes` for a consent-based purpose. */
export async function proposeCampaign(deps: LedgerDeps, input: ProposeInput): Promise<Campaign> {
  const now = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    const catalogue = await loadCatalogue({ ...deps, db: trx });
    const purpose = purposeOf(catalogue, input.purposeId);
    if (!isConsentBasis(purpose.legalBasis)) {
      throw new NotConsentBasedError(
        `repurposing needs a consent-based purpose; ${purpose.id} is not`,
      );
    }
    if (!isActiveAt(purpose, now)) {
      throw new PurposeInactiveError(`purpose ${purpose.id} is not active`);
    }
    const held = new Set<string>();
    for (const id of input.fromPurposes) {
      purposeOf(catalogue, id).categories.forEach((c) => held.add(c));
    }
    if (input.fromPurposes.length === 0 || input.fromPurposes.includes(purpose.id)) {
      throw new CampaignInvalidError(
        'name the purposes the data was collected for (not the new one)',
      );
    }
    if (input.categories.length === 0) {
      throw new UnknownCategoryError('name at least one data category');
    }
    for (const c of input.categories) {
      if (!purpose.categories.includes(c as DataCategory)) {
        throw new CategoryNotInPurposeError(
          `purpose ${purpose.id} does not process ${c.slice(0, 40)}`,
        );
      }
      if (!held.has(c)) {
        throw new CampaignInvalidError(
          `${c} was not collected under ${input.fromPurposes.join(', ')}`,
        );
      }
    }
    const categories = [...new Set(input.categories)] as DataCategory[];
    if (anySensitive(categories)) {
      // Reusing sensitive data for a new purpose: PIPL art. 55(1), DOMAIN.md req. 22.
      await requirePia(trx, 'sensitive-processing', purpose.id, now);
    }
    const notice = await requireCurrentPolicy(trx, input.noticeHash);
    const row: campaignRepo.ConsentCampaignsTable = {
      id: newId(deps.random),
      purpose_id: purpose.id,
      from_purposes: JSON.stringify(input.fromPurposes),
      categories: JSON.stringify(categories),
      notice_hash: notice.hash,
      proposed_by: input.actor,
      created_at: now.getTime(),
      closed_at: null,
    };
    await campaignRepo.insertCampaign(trx, row);
    await audit(deps, trx, undefined, [
      {
        kind: 'system',
        actor: input.actor,
        purpose: purpose.id,
        action: 'campaign.propose',
        outcome: 'ok',
        at: now,
        details: {
          campaign: row.id,
          categories: categories.join(','),
          from: input.fromPurposes.join(','),
        },
      },
    ]);
    return rowToCampaign(row);
  });
}

async function openCampaign(deps: LedgerDeps, id: string): Promise<Campaign> {
  const row = await campaignRepo.selectCampaign(deps.db, id);
  if (row === undefined) {
    throw new CampaignUnknownError('no such campaign');
  }
  if (row.closed_at !== null) {
    throw new CampaignInvalidError('the campaign is closed');
  }
  return rowToCampaign(row);
}

/** Records that these subjects are asked (the notice goes out through the outbox elsewhere). */
export async function inviteSubjects(
  deps: LedgerDeps,
  campaignId: string,
  subjectIds: readonly string[],
): Promise<{ invited: number }> {
  if (!subjectIds.every(isOpaqueSubjectId)) {
    throw new CampaignInvalidError('invitations take opaque subject ids only');
  }
  return inTransaction(deps.db, async (trx) => {
    await openCampaign({ ...deps, db: trx }, campaignId);
    const invited = await campaignRepo.insertInvitations(
      trx,
      campaignId,
      subjectIds,
      deps.clock.now().getTime(),
    );
    return { invited };
  });
}

export interface AnswerInput {
  readonly campaignId: string;
  readonly subjectId: string;
  readonly accept: boolean;
  readonly guardianId?: string;
  readonly under14?: boolean;
  readonly actor: string;
}

/**
 * A citizen's answer. Accepting grants consent under the campaign's notice — sensitive categories
 * in their own separate act (art. 29), the rest in another — and returns the receipts.
 */
export async function answerCampaign(
  deps: LedgerDeps,
  input: AnswerInput,
): Promise<{ answer: 'accepted' | 'declined'; acts: ConsentActResult[] }> {
  return inTransaction(deps.db, async (trx) => {
    const d = { ...deps, db: trx };
    const campaign = await openCampaign(d, input.campaignId);
    const invitation = await campaignRepo.selectInvitation(trx, campaign.id, input.subjectId);
    if (invitation === undefined) {
      throw new CampaignInvalidError('this subject was not asked in the campaign');
    }
    if (invitation.answer !== null) {
      throw new CampaignInvalidError('already answered; a consent is withdrawn through the ledger');
    }
    const now = deps.clock.now();
    const acts: ConsentActResult[] = [];
    if (input.accept) {
      const under14 = await treatAsUnder14(deps, trx, input.subjectId, now, input.under14);
      const sensitive = campaign.categories.filter((c) => isSensitive(c, { under14 }));
      const plain = campaign.categories.filter((c) => !isSensitive(c, { under14 }));
      for (const [cats, separate] of [
        [sensitive, true],
        [plain, false],
      ] as const) {
        if (cats.length > 0) {
          acts.push(
            await grantConsent(d, {
              subjectId: input.subjectId,
              purposeId: campaign.purposeId,
              categories: cats,
              noticeHash: campaign.noticeHash,
              separate,
              under14,
              ...(input.guardianId === undefined ? {} : { guardianId: input.guardianId }),
              collectionMethod: `campaign:${campaign.id}`,
              actor: input.actor,
            }),
          );
        }
      }
    }
    const answer = input.accept ? 'accepted' : 'declined';
    await campaignRepo.answerInvitation(trx, campaign.id, input.subjectId, answer, now.getTime());
    return { answer, acts };
  });
}

/** The numbers of a campaign. */
export interface CampaignReport {
  readonly campaign: Campaign;
  readonly invited: number;
  readonly accepted: number;
  readonly declined: number;
  readonly pending: number;
  /** Subjects whose data the new purpose may read now: active consent for every category. */
  readonly readableNow: number;
  /** Accepted, then withdrew at least one category since. */
  readonly withdrawnSince: number;
}

export async function campaignReport(
  deps: LedgerDeps,
  campaignId: string,
): Promise<CampaignReport> {
  const row = await campaignRepo.selectCampaign(deps.db, campaignId);
  if (row === undefined) {
    throw new CampaignUnknownError('no such campaign');
  }
  const campaign = rowToCampaign(row);
  const counts = await campaignRepo.countAnswers(deps.db, campaignId);
  const n = (a: string | null) => counts.find((c) => c.answer === a)?.n ?? 0;
  const accepted = new Set(await campaignRepo.selectAcceptedSubjects(deps.db, campaignId));
  const active = await ledgerRepo.selectActiveSubjects(
    deps.db,
    campaign.purposeId,
    deps.clock.now().getTime(),
  );
  const perSubject = new Map<string, Set<string>>();
  for (const r of active) {
    const set = perSubject.get(r.subject_id) ?? new Set<string>();
    set.add(r.category);
    perSubject.set(r.subject_id, set);
  }
  const full = (s: string) => campaign.categories.every((c) => perSubject.get(s)?.has(c) === true);
  const readableNow = [...perSubject.keys()].filter(full).length;
  const withdrawnSince = [...accepted].filter((s) => !full(s)).length;
  return {
    campaign,
    invited: counts.reduce((a, c) => a + c.n, 0),
    accepted: n('accepted'),
    declined: n('declined'),
    pending: n(null),
    readableNow,
    withdrawnSince,
  };
}

export async function listCampaigns(deps: Pick<LedgerDeps, 'db'>): Promise<Campaign[]> {
  return (await campaignRepo.selectCampaigns(deps.db)).map(rowToCampaign);
}

export async function closeCampaign(deps: LedgerDeps, campaignId: string): Promise<void> {
  if (!(await campaignRepo.closeCampaign(deps.db, campaignId, deps.clock.now().getTime()))) {
    throw new CampaignInvalidError('no open campaign with that id');
  }
}
