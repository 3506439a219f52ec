// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for repurposing campaigns (PIPL art. 14: a new purpose needs fresh consent): the
 * campaign and who was asked, with their answers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface ConsentCampaignsTable {
  id: string;
  purpose_id: string;
  /** JSON array: the purposes the data was collected for. */
  from_purposes: string;
  /** JSON array: the categories asked for. */
  categories: string;
  notice_hash: string;
  proposed_by: string;
  created_at: number;
  closed_at: number | null;
}

export interface ConsentCampaignInvitationsTable {
  campaign_id: string;
  subject_id: string;
  invited_at: number;
  answered_at: number | null;
  /** `accepted` | `declined` | null (no answer yet). */
  answer: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    consent_campaigns: ConsentCampaignsTable;
    consent_campaign_invitations: ConsentCampaignInvitationsTable;
  }
}

type Db = Kysely<Database>;

export async function insertCampaign(db: Db, row: ConsentCampaignsTable): Promise<void> {
  await db.insertInto('consent_campaigns').values(row).execute();
}

export async function selectCampaign(
  db: Db,
  id: string,
): Promise<ConsentCampaignsTable | undefined> {
  return db.selectFrom('consent_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function selectCampaigns(db: Db): Promise<ConsentCampaignsTable[]> {
  return db
    .selectFrom('consent_campaigns')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function closeCampaign(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('consent_campaigns')
    .set({ closed_at: at })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Adds invitations; subjects already invited are left as they are. Returns how many are new. */
export async function insertInvitations(
  db: Db,
  campaignId: string,
  subjectIds: readonly string[],
  at: number,
): Promise<number> {
  let added = 0;
  // Batches keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < subjectIds.length; i += 500) {
    const batch = subjectIds.slice(i, i + 500);
    const r = await db
      .insertInto('consent_campaign_invitations')
      .values(
        batch.map((s) => ({
          campaign_id: campaignId,
          subject_id: s,
          invited_at: at,
          answered_at: null,
          answer: null,
        })),
      )
      .onConflict((oc) => oc.columns(['campaign_id', 'subject_id']).doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export async function selectInvitation(
  db: Db,
  campaignId: string,
  subjectId: string,
): Promise<ConsentCampaignInvitationsTable | undefined> {
  return db
    .selectFrom('consent_campaign_invitations')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

export async function answerInvitation(
  db: Db,
  campaignId: string,
  subjectId: string,
  answer: 'accepted' | 'declined',
  at: number,
): Promise<void> {
  await db
    .updateTable('consent_campaign_invitations')
    .set({ answer, answered_at: at })
    .where('campaign_id', '=', campaignId)
    .where('subject_id', '=', subjectId)
    .execute();
}

export async function countAnswers(
  db: Db,
  campaignId: string,
): Promise<Array<{ answer: string | null; n: number }>> {
  const rows = await db
    .selectFrom('consent_campaign_invitations')
    .select(['answer', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('answer')
    .execute();
  return rows.map((r) => ({ answer: r.answer, n: Number(r.n) }));
}

export async function selectAcceptedSubjects(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('consent_campaign_invitations')
    .select('subject_id')
    .where('campaign_id', '=', campaignId)
    .where('answer', '=', 'accepted')
    .execute();
  return rows.map((r) => r.subject_id);
}
