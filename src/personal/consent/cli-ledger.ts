// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of `healthcode consent …`: grant and withdraw (each with its signed
 * receipt), the subject's ledger, receipt verification, the guard's answer for one read, notices,
 * deletion triggers and repurposing campaigns. Subjects are named by opaque ids only.
 */
import { writeFileSync } from 'node:fs';
import type { Store } from '../../platform/runtime/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import { isDataCategory } from '../../kernel/domain/index.js';
import { UsageError } from '../../kernel/shared/errors.js';
import { currentNotices } from './catalogue-service.js';
import { iso, list, ok, type Outcome } from './cli-support.js';
import { listDeletionTriggers } from './deletion-trigger.js';
import { ReceiptInvalidError } from './errors.js';
import { ConsentGuard } from './guard-service.js';
import { grantConsent, withdrawConsent } from './ledger.js';
import { subjectConsents } from './ledger-view.js';
import { getNotice } from './notices.js';
import type { NoticeKind, NoticeLanguage } from './notice-render.js';
import { verifyReceipt } from './receipts.js';
import {
  answerCampaign,
  campaignReport,
  closeCampaign,
  inviteSubjects,
  listCampaigns,
  proposeCampaign,
} from './repurposing.js';
import { consentRuntime, type ConsentRuntime, type SubjectFactsSource } from './wiring.js';

/** Runs `fn` on a consent runtime, with the vault's age answer when `facts` is given. */
async function withRuntime<T>(
  store: Store,
  facts: SubjectFactsSource | undefined,
  fn: (rt: ConsentRuntime) => Promise<T>,
): Promise<T> {
  const rt = await consentRuntime(
    store,
    facts === undefined ? {} : { subjects: await facts(store) },
  );
  const out = await fn(rt);
  await rt.finish();
  return out;
}

async function policyHash(store: Store, notice: string | undefined, lang: string): Promise<string> {
  if (notice !== undefined) {
    return notice;
  }
  if (lang !== 'zh' && lang !== 'en') {
    throw new UsageError('--lang must be zh or en');
  }
  const rt = await consentRuntime(store);
  const n = (await currentNotices(rt.deps)).find(
    (x) => x.kind === 'privacy-policy' && x.language === lang,
  );
  if (n === undefined) {
    throw new UsageError('no current privacy policy');
  }
  return n.hash;
}

export interface GrantOptions {
  purpose: string;
  categories: string;
  separate?: boolean;
  guardian?: string;
  under14?: boolean;
  notice?: string;
  lang: string;
  method: string;
  out?: string;
  actor: string;
}

export async function consentGrant(
  store: Store,
  subject: string,
  o: GrantOptions,
  facts: SubjectFactsSource,
): Promise<Outcome> {
  const noticeHash = await policyHash(store, o.notice, o.lang);
  return withRuntime(store, facts, async (rt) => {
    const r = await grantConsent(rt.deps, {
      subjectId: subject,
      purposeId: o.purpose,
      categories: list(o.categories),
      noticeHash,
      separate: o.separate === true,
      ...(o.guardian === undefined ? {} : { guardianId: o.guardian }),
      under14: o.under14 === true,
      collectionMethod: o.method,
      actor: o.actor,
    });
    if (o.out !== undefined) {
      writeFileSync(o.out, `${r.receipt}\n`, { mode: 0o600, flag: 'wx' });
    }
    return ok(
      { ...r, noticeHash },
      `granted ${o.purpose}: ${r.categories.join(', ')}\nreceipt ${r.receiptId}${o.out === undefined ? `\n${r.receipt}` : ` written to ${o.out}`}`,
    );
  });
}

export async function consentWithdraw(
  store: Store,
  subject: string,
  o: {
    purpose: string;
    categories?: string;
    out?: string;
    lang: string;
    method: string;
    actor: string;
  },
  facts: SubjectFactsSource,
): Promise<Outcome> {
  return withRuntime(store, facts, async (rt) => {
    const r = await withdrawConsent(rt.deps, {
      subjectId: subject,
      purposeId: o.purpose,
      ...(o.categories === undefined ? {} : { categories: list(o.categories) }),
      language: o.lang,
      collectionMethod: o.method,
      actor: o.actor,
    });
    if (o.out !== undefined) {
      writeFileSync(o.out, `${r.receipt}\n`, { mode: 0o600, flag: 'wx' });
    }
    return ok(
      { ...r, deletion: { ...r.deletion, createdAt: iso(r.deletion.createdAt), consumedAt: null } },
      `withdrew ${o.purpose}: ${r.categories.join(', ')} (effective now)\n` +
        `deletion trigger ${r.deletion.id}: delete ${r.deletion.categories.join(', ') || 'nothing'}; ` +
        `kept under other purposes: ${Object.keys(r.deletion.retained).join(', ') || 'nothing'}\nreceipt ${r.receiptId}`,
    );
  });
}

export async function consentShow(store: Store, subject: string): Promise<Outcome> {
  const s = await subjectConsents(store.db.kysely, subject);
  const text = [
    `subject ${s.subjectId}`,
    ...s.consents.map(
      (c) =>
        `${c.purposeId}\t${c.category}\t${c.status}\t${c.grantedAt}${c.withdrawnAt ? ` → ${c.withdrawnAt}` : ''}`,
    ),
    `${s.history.length} acts, ${s.receipts.length} receipts`,
  ].join('\n');
  return ok(s, text);
}

export async function consentVerify(store: Store, token: string): Promise<Outcome> {
  try {
    const r = await verifyReceipt(store.db.kysely, token);
    const x = r.receipt['x-healthcode'];
    return ok(
      { valid: true, recorded: r.recorded, receipt: r.receipt },
      `valid receipt ${r.receipt.consentReceiptID}: ${x.action} ${x.purposeId} (${r.receipt.services[0]?.purposes[0]?.piiCategory.join(', ') ?? ''}) at ${new Date(r.receipt.consentTimestamp * 1000).toISOString()}${r.recorded ? '' : ' — not in this ledger'}`,
    );
  } catch (err) {
    if (err instanceof ReceiptInvalidError) {
      return {
        json: { valid: false, error: err.code, reason: err.message },
        text: `invalid receipt: ${err.message}`,
        exitCode: 1,
      };
    }
    throw err;
  }
}

export async function consentGuardCheck(
  store: Store,
  subject: string,
  o: { purpose: string; category: string; under14?: boolean; restricted?: boolean; actor: string },
  facts: SubjectFactsSource,
): Promise<Outcome> {
  if (!isDataCategory(o.category)) {
    throw new UsageError('--category must be one of the data categories');
  }
  return withRuntime(store, facts, async (rt) => {
    const d = await new ConsentGuard(rt.deps).decide({
      subjectId: subject,
      purpose: o.purpose,
      category: o.category as DataCategory,
      under14: o.under14 === true,
      restricted: o.restricted === true,
      actor: o.actor,
    });
    return {
      json: d,
      text: `${d.allowed ? 'allowed' : 'refused'}: ${d.reason}${d.basis ? ` (PIPL art. ${d.basis})` : ''}`,
      exitCode: d.allowed ? 0 : 1,
    };
  });
}

export async function consentNotice(
  store: Store,
  hash: string | undefined,
  o: { kind: string; lang: string },
): Promise<Outcome> {
  const n =
    hash !== undefined
      ? await getNotice(store.db.kysely, hash)
      : (await currentNotices((await consentRuntime(store)).deps)).find(
          (x) => x.kind === (o.kind as NoticeKind) && x.language === (o.lang as NoticeLanguage),
        );
  if (n === undefined) {
    throw new UsageError('--kind is privacy-policy or user-agreement; --lang is zh or en');
  }
  return ok(
    {
      hash: n.hash,
      kind: n.kind,
      language: n.language,
      version: n.version,
      publishedAt: iso(n.publishedAt),
      supersededAt: iso(n.supersededAt),
      body: n.body,
    },
    n.body,
  );
}

export async function consentTriggers(store: Store, pending: boolean): Promise<Outcome> {
  const rows = await listDeletionTriggers(store.db.kysely, { pendingOnly: pending });
  const triggers = rows.map((t) => ({
    ...t,
    createdAt: iso(t.createdAt),
    consumedAt: iso(t.consumedAt),
  }));
  return ok(
    { triggers },
    triggers
      .map(
        (t) =>
          `${t.id}\t${t.subjectId}\t${t.purposeId}\tdelete: ${t.categories.join(',') || '-'}\t${t.consumedAt ?? 'pending'}`,
      )
      .join('\n'),
  );
}

export async function campaignPropose(
  store: Store,
  o: {
    purpose: string;
    from: string;
    categories: string;
    notice?: string;
    lang: string;
    actor: string;
  },
): Promise<Outcome> {
  const noticeHash = await policyHash(store, o.notice, o.lang);
  return withRuntime(store, undefined, async (rt) => {
    const c = await proposeCampaign(rt.deps, {
      purposeId: o.purpose,
      fromPurposes: list(o.from),
      categories: list(o.categories),
      noticeHash,
      actor: o.actor,
    });
    return ok(
      { campaign: { ...c, createdAt: iso(c.createdAt), closedAt: iso(c.closedAt) } },
      `campaign ${c.id}: ${c.purposeId} ← ${c.fromPurposes.join(', ')}`,
    );
  });
}

export async function campaignInvite(
  store: Store,
  id: string,
  subjects: string[],
): Promise<Outcome> {
  const rt = await consentRuntime(store);
  const r = await inviteSubjects(rt.deps, id, subjects);
  return ok(r, `invited ${r.invited} new subject(s)`);
}

export async function campaignAnswer(
  store: Store,
  id: string,
  subject: string,
  o: { accept: boolean; guardian?: string; under14?: boolean; actor: string },
  facts: SubjectFactsSource,
): Promise<Outcome> {
  return withRuntime(store, facts, async (rt) => {
    const r = await answerCampaign(rt.deps, {
      campaignId: id,
      subjectId: subject,
      accept: o.accept,
      ...(o.guardian === undefined ? {} : { guardianId: o.guardian }),
      under14: o.under14 === true,
      actor: o.actor,
    });
    return ok(
      r,
      `${r.answer}${r.acts.length > 0 ? `; receipts ${r.acts.map((a) => a.receiptId).join(', ')}` : ''}`,
    );
  });
}

export async function campaignShow(store: Store, id: string | undefined): Promise<Outcome> {
  const rt = await consentRuntime(store);
  if (id === undefined) {
    const all = await listCampaigns(rt.deps);
    return ok(
      {
        campaigns: all.map((c) => ({
          ...c,
          createdAt: iso(c.createdAt),
          closedAt: iso(c.closedAt),
        })),
      },
      all
        .map((c) => `${c.id}\t${c.purposeId}\t${c.closedAt === null ? 'open' : 'closed'}`)
        .join('\n'),
    );
  }
  const r = await campaignReport(rt.deps, id);
  const json = {
    ...r,
    campaign: {
      ...r.campaign,
      createdAt: iso(r.campaign.createdAt),
      closedAt: iso(r.campaign.closedAt),
    },
  };
  return ok(
    json,
    `campaign ${id} (${r.campaign.purposeId}): invited ${r.invited}, accepted ${r.accepted}, declined ${r.declined}, pending ${r.pending}; readable now ${r.readableNow}; withdrawn since ${r.withdrawnSince}`,
  );
}

export async function campaignClose(store: Store, id: string): Promise<Outcome> {
  await closeCampaign((await consentRuntime(store)).deps, id);
  return ok({ closed: id }, `closed campaign ${id}`);
}
