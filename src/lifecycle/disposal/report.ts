// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal report FILE --html OUT --notice OUT`: gathers what the report and the public
 * notice show from the run's records, and writes them.
 */
import { writeFileSync } from 'node:fs';
import type { DisposalContext } from './context.js';
import { PLAN_CERTIFICATE_KIND, type PlanCertificate } from './certificate.js';
import { renderNoticeHtml } from './notice.js';
import { readPlanFile } from './plan-file.js';
import { renderReportHtml, type ReportData } from './report-html.js';
import * as repo from './repository.js';
import { status } from './service.js';
import type { StoreCounts } from './snapshot.js';
import type { VerifyResult } from './verify.js';

export async function reportData(ctx: DisposalContext, file: string): Promise<ReportData> {
  const plan = readPlanFile(file);
  const db = ctx.store.db.kysely;
  const st = await status(ctx, file);
  const run = await repo.getRun(db, plan.id);
  const certs = await repo.certificatesOf(db, plan.id);
  const main = certs.find((c) => c.kind === PLAN_CERTIFICATE_KIND);
  const names = new Map(plan.recipients.map((r) => [r.id, r.name]));
  return {
    plan,
    status: st,
    generatedAt: ctx.store.clock.now().toISOString(),
    synthetic: ctx.store.config.synthetic || plan.instance.synthetic,
    before:
      run !== undefined && run.total >= 0
        ? (JSON.parse(run.before_json) as StoreCounts)
        : Object.fromEntries(plan.scope.flatMap((s) => s.stores.map((x) => [x.store, {}]))),
    after:
      run === undefined || run.after_json === null
        ? null
        : (JSON.parse(run.after_json) as StoreCounts),
    progress: await repo.progress(db, plan.id),
    verifications: (await repo.evidenceOf(db, plan.id)).map((e) => {
      const v = JSON.parse(e.body) as VerifyResult;
      return {
        at: v.at,
        ok: v.ok,
        subjectsChecked: v.subjectsChecked,
        keysPresent: v.keysPresent,
        rowsRemaining: v.rowsRemaining,
        canaryHits: v.canaryScan?.hits ?? null,
        files: v.canaryScan?.files ?? null,
        problems: v.problems,
      };
    }),
    certificate:
      main === undefined
        ? null
        : { ...(JSON.parse(main.body) as PlanCertificate), sha256: main.sha256 },
    acks: (await repo.listNotices(db, plan.id)).map((n) => ({
      party: n.party,
      name: names.get(n.party) ?? n.party,
      sentAt: new Date(n.sent_at).toISOString(),
      ackedAt: n.acked_at === null ? null : new Date(n.acked_at).toISOString(),
    })),
  };
}

/** Writes the HTML report and/or the public notice. */
export async function writeReport(
  ctx: DisposalContext,
  file: string,
  out: { html?: string; notice?: string },
): Promise<ReportData> {
  const data = await reportData(ctx, file);
  if (out.html !== undefined) {
    writeFileSync(out.html, renderReportHtml(data), { mode: 0o644 });
  }
  if (out.notice !== undefined) {
    const total = (await repo.getRun(ctx.store.db.kysely, data.plan.id))?.total ?? 0;
    writeFileSync(
      out.notice,
      renderNoticeHtml({
        plan: data.plan,
        executedAt: data.status.executedAt,
        subjects: Math.max(total, 0),
        synthetic: data.synthetic,
      }),
      { mode: 0o644 },
    );
  }
  return data;
}
