// SPDX-License-Identifier: Apache-2.0
/**
 * @module Deletion notices to processors and recipients and their acknowledgments (PIPL arts. 21,
 * 23; DOMAIN.md req. 16). A run records one notice per party (idempotently) and writes it under
 * `DIR/reports/disposal/<plan>/`; `disposal ack` checks the party's signed receipt and records it.
 * Until every party has acknowledged, the plan stays `awaiting-acks`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { sha256Hex } from './canonical.js';
import { certificateKey, recordCertificate } from './cert-store.js';
import { ADDENDUM_KIND, PLAN_CERTIFICATE_KIND, type CertificateAddendum } from './certificate.js';
import { AckInvalidError, PlanNotRunError } from './errors.js';
import type { PlanDoc } from './model.js';
import { planHash } from './plan-file.js';
import type { CertificateLog } from './ports.js';
import { checkAck, type DeletionNotice } from './recipients.js';
import * as repo from './repository.js';

/** Where a plan's artefacts (notices, certificates) are written. */
export function planReportDir(store: Store, planId: string): string {
  return join(store.paths.reports, 'disposal', planId);
}

export function noticeId(planId: string, party: string): string {
  return sha256Hex(`notice:${planId}:${party}`).slice(0, 32);
}

/** Records and writes one notice per recipient of the plan (idempotent). */
export async function sendNotices(store: Store, plan: PlanDoc): Promise<number> {
  if (plan.recipients.length === 0) {
    return 0;
  }
  const dir = planReportDir(store, plan.id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hash = planHash(plan);
  const now = store.clock.now();
  for (const r of plan.recipients) {
    const notice: DeletionNotice = {
      kind: 'healthcode/deletion-notice',
      noticeId: noticeId(plan.id, r.id),
      planId: plan.id,
      planSha256: hash,
      party: r.id,
      responsibleParty: store.config.responsibleParty,
      categories: r.categories,
      instruction:
        'Delete every copy of the listed categories received from us for the retired purposes, including backups, ' +
        'and return a signed healthcode/deletion-ack (PIPL arts. 21, 23). 请删除所列类别的全部副本（含备份）并签署回执。',
      issuedAt: now.toISOString(),
    };
    await repo.insertNotice(store.db.kysely, {
      plan_id: plan.id,
      party: r.id,
      notice_id: notice.noticeId,
      sent_at: now.getTime(),
      receipt: null,
      acked_at: null,
    });
    writeFileSync(join(dir, `notice-${r.id}.json`), JSON.stringify(notice, null, 2) + '\n', {
      mode: 0o644,
    });
  }
  return plan.recipients.length;
}

/** Records a party's signed acknowledgment; adds an addendum to the plan's certificate. */
export async function recordAck(
  deps: { store: Store; log: CertificateLog; wrapper: KeyWrapper; actor: string },
  plan: PlanDoc,
  party: string,
  receiptText: string,
): Promise<{ pending: string[] }> {
  const db = deps.store.db.kysely;
  const notices = await repo.listNotices(db, plan.id);
  if (((await repo.getRun(db, plan.id))?.executed_at ?? null) === null) {
    throw new PlanNotRunError('acknowledgments are recorded after the run has sent its notices');
  }
  const notice = notices.find((n) => n.party === party);
  if (notice === undefined) {
    throw new AckInvalidError(`no deletion notice was sent to ${party} for this plan`);
  }
  const recipient = await repo.getRecipient(db, party);
  const ack = checkAck(receiptText, {
    planId: plan.id,
    party,
    noticeId: notice.notice_id,
    publicKey: recipient?.public_key ?? null,
  });
  const now = deps.store.clock.now();
  const main = (await repo.certificatesOf(db, plan.id)).find(
    (c) => c.kind === PLAN_CERTIFICATE_KIND,
  );
  const { privateKey } = await certificateKey(db, deps.wrapper, now.getTime());
  await db.transaction().execute(async (trx) => {
    await repo.ackNotice(trx, plan.id, party, receiptText, now.getTime());
    if (main !== undefined && notice.acked_at === null) {
      const addendum: CertificateAddendum = {
        kind: ADDENDUM_KIND,
        version: 1,
        id: randomUUID(),
        issuedAt: now.toISOString(),
        planId: plan.id,
        certificateSha256: main.sha256,
        event: 'acknowledgment',
        facts: { party, deletedAt: ack.deletedAt, receiptSha256: sha256Hex(receiptText) },
      };
      await recordCertificate(trx, deps.log, privateKey, addendum, {
        planId: plan.id,
        actor: deps.actor,
        at: now,
      });
    }
  });
  const after = await repo.listNotices(db, plan.id);
  return { pending: after.filter((n) => n.acked_at === null).map((n) => n.party) };
}
