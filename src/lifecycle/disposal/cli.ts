// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the disposal commands (loaded lazily by commands.ts): open the
 * store, wire the context, call the use case, return the outcome (one JSON document or text),
 * and sign an audit checkpoint before exiting when the log grew.
 */
import { readFileSync, existsSync } from 'node:fs';
import { EXIT_NEGATIVE, EXIT_OK, ok, type CommandOutcome } from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import { parseCanaryText } from '../../foundation/scan/index.js';
import { withContext, type DisposalCommandEnv } from './cli-kit.js';
import { progressBar } from './cli-progress.js';
import { reviewPlan } from './cli-review.js';
import type { Opts } from './cli-types.js';
import { inventoryOf } from './finalise.js';
import { recordAck } from './notices.js';
import { readPlanFile } from './plan-file.js';
import { writeReport } from './report.js';
import { approve, draft, inventory, run, status } from './service.js';
import { verifyRun } from './verify.js';

export {
  operatorAdd,
  operatorList,
  recipientAdd,
  recipientList,
  certRequest,
  certGet,
  certPlan,
  certCheck,
} from './cli-admin.js';

export async function inventoryCmd(env: DisposalCommandEnv): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const inv = await inventory(ctx);
    const lines = inv.stores.map(
      (s) =>
        `${s.personal ? 'PI ' : '   '}${s.classified ? ' ' : '?'} ${s.id.padEnd(40)} ${String(s.records ?? '-').padStart(8)}  ${s.disposal.padEnd(17)} ${s.retention}`,
    );
    if (inv.unclassified.length > 0) {
      lines.push(
        '',
        `${inv.unclassified.length} store(s) not classified: ${inv.unclassified.join(', ')}`,
      );
    }
    return ok(inv, lines);
  });
}

export async function planCmd(
  env: DisposalCommandEnv,
  _args: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const plan = await draft(
      ctx,
      String(opts.retire),
      String(opts.out),
      typeof opts.approver === 'string' ? opts.approver : undefined,
    );
    return ok(
      {
        planId: plan.id,
        out: opts.out,
        retire: plan.retire,
        retiredPurposes: plan.retiredPurposes,
        retiredServices: plan.retiredServices,
      },
      `drafted plan ${plan.id} in ${String(opts.out)}; review it with: healthcode disposal review ${String(opts.out)}`,
    );
  });
}

export async function reviewCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const r = await reviewPlan(ctx, String(file));
    return ok(
      {
        planId: r.plan.id,
        sha256: r.hash,
        problems: r.problems,
        approvals: r.approvals,
        plan: r.plan,
      },
      // The rendered review ends its last line itself; the outcome's printer adds the newline.
      r.text.replace(/\n$/, ''),
    );
  });
}

export async function approveCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(
    env,
    async (ctx) => {
      const c = await approve(ctx, String(file), String(opts.by));
      return ok(
        { approvedBy: opts.by, valid: c.valid, required: c.required, sufficient: c.sufficient },
        `approved by ${String(opts.by)}: ${c.valid.length} of ${c.required} approval(s)${c.sufficient ? ' — ready to run' : ''}`,
      );
    },
    `operator:${String(opts.by)}`,
  );
}

export async function runCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  const batch = Number(opts.batch ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    throw new UsageError('--batch takes an integer between 1 and 100000');
  }
  return withContext(env, async (ctx) => {
    const bar = await progressBar('disposal');
    let out;
    try {
      out = await run(ctx, String(file), {
        batchSize: batch,
        lock: {
          onWait: () =>
            process.stderr.write('healthcode: another run holds this plan; waiting for it\n'),
        },
        onProgress: (done, total) => bar.update(done, total),
      });
    } finally {
      bar.stop();
    }
    await ctx.log.checkpoint();
    return ok(
      out,
      out.kind === 'completed'
        ? `done: ${out.subjects} subject(s) disposed of; certificate ${out.certificateId}`
        : out.kind === 'waited'
          ? `another run finished this plan; certificate ${out.certificateId ?? '-'}`
          : `nothing to do: the plan has already run; certificate ${out.certificateId ?? '-'}`,
    );
  });
}

export async function statusCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const s = await status(ctx, String(file));
    return ok(s, [
      `${s.state}: ${s.done}/${s.total} subjects; approvals ${s.approvals.valid.length}/${s.approvals.required}`,
      ...(s.pendingAcks.length > 0
        ? [`awaiting acknowledgments from: ${s.pendingAcks.join(', ')}`]
        : []),
      ...s.openExemptions.map(
        (e) => `exemption ${e.appliesTo} until ${e.endDate} (${e.subjects} subjects restricted)`,
      ),
    ]);
  });
}

export async function ackCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const receipt = String(opts.receipt);
    const text = existsSync(receipt) ? readFileSync(receipt, 'utf8') : receipt;
    const out = await recordAck(ctx, readPlanFile(String(file)), String(opts.party), text);
    await ctx.log.checkpoint();
    return ok(
      { acknowledged: opts.party, pendingAcks: out.pending },
      `acknowledgment of ${String(opts.party)} recorded; ${out.pending.length} pending`,
    );
  });
}

export async function verifyCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  return withContext(env, async (ctx) => {
    const canaries =
      typeof opts.canaries === 'string'
        ? parseCanaryText(readFileSync(opts.canaries)).map((c) => c.value)
        : undefined;
    const v = await verifyRun(
      {
        store: ctx.store,
        target: ctx.target,
        scanner: ctx.scanner,
        inventory: () => inventoryOf(ctx.store, ctx.consent),
      },
      readPlanFile(String(file)),
      { ...(canaries === undefined ? {} : { canaries }), record: true },
    );
    const lines = [
      `${v.ok ? 'verified' : 'NOT VERIFIED'}: ${v.subjectsChecked} subjects checked, ${v.keysPresent} keys present, ${v.rowsRemaining} rows remaining${v.canaryScan ? `, ${v.canaryScan.hits} canary hits in ${v.canaryScan.files} files` : ''}`,
      ...v.problems.map((p) => `  ! ${p}`),
      ...(v.pendingAcks.length > 0
        ? [
            `  (awaiting acknowledgments from ${v.pendingAcks.join(', ')}; this does not fail verification)`,
          ]
        : []),
    ];
    return { json: v, text: lines.join('\n'), exitCode: v.ok ? EXIT_OK : EXIT_NEGATIVE };
  });
}

export async function reportCmd(
  env: DisposalCommandEnv,
  [file]: unknown[],
  opts: Opts,
): Promise<CommandOutcome> {
  if (opts.html === undefined && opts.notice === undefined) {
    throw new UsageError('give --html OUT and/or --notice OUT');
  }
  return withContext(env, async (ctx) => {
    const d = await writeReport(ctx, String(file), {
      ...(typeof opts.html === 'string' ? { html: opts.html } : {}),
      ...(typeof opts.notice === 'string' ? { notice: opts.notice } : {}),
    });
    return ok(
      {
        planId: d.plan.id,
        state: d.status.state,
        html: opts.html ?? null,
        notice: opts.notice ?? null,
      },
      `wrote ${[opts.html, opts.notice].filter((x) => typeof x === 'string').join(' and ')}`,
    );
  });
}
