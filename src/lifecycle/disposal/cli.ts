// SPDX-License-Identifier: Apache-2.0
/**
 * @module Implementations of the disposal commands (loaded lazily by commands.ts): open the
 * store, wire the context, call the use case, print text or one JSON document, and sign an audit
 * checkpoint before exiting when the log grew.
 */
import { readFileSync, existsSync } from 'node:fs';
import {
  EXIT_NEGATIVE,
  EXIT_OK,
  printJson,
  type CommandEnv,
} from '../../platform/runtime/cli-kit.js';
import { UsageError } from '../../kernel/shared/index.js';
import { json, say, withContext } from './cli-kit.js';
import type { Opts } from './cli-types.js';

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

export async function inventoryCmd(env: CommandEnv, _args: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { inventory } = await import('./service.js');
    const inv = await inventory(ctx);
    if (json(opts)) {
      printJson(inv);
    } else {
      for (const s of inv.stores) {
        say(
          `${s.personal ? 'PI ' : '   '}${s.classified ? ' ' : '?'} ${s.id.padEnd(40)} ${String(s.records ?? '-').padStart(8)}  ${s.disposal.padEnd(17)} ${s.retention}`,
        );
      }
      if (inv.unclassified.length > 0) {
        say(`\n${inv.unclassified.length} store(s) not classified: ${inv.unclassified.join(', ')}`);
      }
    }
    return EXIT_OK;
  });
}

export async function planCmd(env: CommandEnv, _args: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { draft } = await import('./service.js');
    const plan = await draft(
      ctx,
      String(opts.retire),
      String(opts.out),
      typeof opts.approver === 'string' ? opts.approver : undefined,
    );
    if (json(opts)) {
      printJson({
        planId: plan.id,
        out: opts.out,
        retire: plan.retire,
        retiredPurposes: plan.retiredPurposes,
        retiredServices: plan.retiredServices,
      });
    } else {
      say(
        `drafted plan ${plan.id} in ${String(opts.out)}; review it with: healthcode disposal review ${String(opts.out)}`,
      );
    }
    return EXIT_OK;
  });
}

export async function reviewCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { reviewPlan } = await import('./cli-review.js');
    const r = await reviewPlan(ctx, String(file));
    if (json(opts)) {
      printJson({
        planId: r.plan.id,
        sha256: r.hash,
        problems: r.problems,
        approvals: r.approvals,
        plan: r.plan,
      });
    } else {
      process.stdout.write(r.text);
    }
    return EXIT_OK;
  });
}

export async function approveCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(
    env,
    async (ctx) => {
      const { approve } = await import('./service.js');
      const c = await approve(ctx, String(file), String(opts.by));
      if (json(opts)) {
        printJson({
          approvedBy: opts.by,
          valid: c.valid,
          required: c.required,
          sufficient: c.sufficient,
        });
      } else {
        say(
          `approved by ${String(opts.by)}: ${c.valid.length} of ${c.required} approval(s)${c.sufficient ? ' — ready to run' : ''}`,
        );
      }
      return EXIT_OK;
    },
    `operator:${String(opts.by)}`,
  );
}

export async function runCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  const batch = Number(opts.batch ?? 500);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
    throw new UsageError('--batch takes an integer between 1 and 100000');
  }
  return withContext(env, async (ctx) => {
    const { run } = await import('./service.js');
    const { progressBar } = await import('./cli-progress.js');
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
    if (json(opts)) {
      printJson(out);
    } else {
      say(
        out.kind === 'completed'
          ? `done: ${out.subjects} subject(s) disposed of; certificate ${out.certificateId}`
          : out.kind === 'waited'
            ? `another run finished this plan; certificate ${out.certificateId ?? '-'}`
            : `nothing to do: the plan has already run; certificate ${out.certificateId ?? '-'}`,
      );
    }
    return EXIT_OK;
  });
}

export async function statusCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { status } = await import('./service.js');
    const s = await status(ctx, String(file));
    if (json(opts)) {
      printJson(s);
    } else {
      say(
        `${s.state}: ${s.done}/${s.total} subjects; approvals ${s.approvals.valid.length}/${s.approvals.required}`,
      );
      if (s.pendingAcks.length > 0) {
        say(`awaiting acknowledgments from: ${s.pendingAcks.join(', ')}`);
      }
      s.openExemptions.forEach((e) =>
        say(`exemption ${e.appliesTo} until ${e.endDate} (${e.subjects} subjects restricted)`),
      );
    }
    return EXIT_OK;
  });
}

export async function ackCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { recordAck } = await import('./notices.js');
    const { readPlanFile } = await import('./plan-file.js');
    const receipt = String(opts.receipt);
    const text = existsSync(receipt) ? readFileSync(receipt, 'utf8') : receipt;
    const out = await recordAck(ctx, readPlanFile(String(file)), String(opts.party), text);
    await ctx.log.checkpoint();
    if (json(opts)) {
      printJson({ acknowledged: opts.party, pendingAcks: out.pending });
    } else {
      say(`acknowledgment of ${String(opts.party)} recorded; ${out.pending.length} pending`);
    }
    return EXIT_OK;
  });
}

export async function verifyCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  return withContext(env, async (ctx) => {
    const { verifyRun } = await import('./verify.js');
    const { inventoryOf } = await import('./finalise.js');
    const { readPlanFile } = await import('./plan-file.js');
    const { parseCanaryText } = await import('../../foundation/scan/index.js');
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
    if (json(opts)) {
      printJson(v);
    } else {
      say(
        `${v.ok ? 'verified' : 'NOT VERIFIED'}: ${v.subjectsChecked} subjects checked, ${v.keysPresent} keys present, ${v.rowsRemaining} rows remaining${v.canaryScan ? `, ${v.canaryScan.hits} canary hits in ${v.canaryScan.files} files` : ''}`,
      );
      v.problems.forEach((p) => say(`  ! ${p}`));
      if (v.pendingAcks.length > 0) {
        say(
          `  (awaiting acknowledgments from ${v.pendingAcks.join(', ')}; this does not fail verification)`,
        );
      }
    }
    return v.ok ? EXIT_OK : EXIT_NEGATIVE;
  });
}

export async function reportCmd(env: CommandEnv, [file]: unknown[], opts: Opts): Promise<number> {
  if (opts.html === undefined && opts.notice === undefined) {
    throw new UsageError('give --html OUT and/or --notice OUT');
  }
  return withContext(env, async (ctx) => {
    const { writeReport } = await import('./report.js');
    const d = await writeReport(ctx, String(file), {
      ...(typeof opts.html === 'string' ? { html: opts.html } : {}),
      ...(typeof opts.notice === 'string' ? { notice: opts.notice } : {}),
    });
    if (json(opts)) {
      printJson({
        planId: d.plan.id,
        state: d.status.state,
        html: opts.html ?? null,
        notice: opts.notice ?? null,
      });
    } else {
      say(`wrote ${[opts.html, opts.notice].filter((x) => typeof x === 'string').join(' and ')}`);
    }
    return EXIT_OK;
  });
}
