// SPDX-License-Identifier: Apache-2.0
/**
 * @module CLI declarations for the audit log (`healthcode audit …`, DESIGN.md §7); implementations
 * load lazily from `./cli.js`. `check-proof`, and `consistency` given `--proof`, never open a
 * data dir: a citizen or auditor checks proofs offline.
 */
import type { Command } from 'commander';
import { action, commandEnv, type CommandOutcome } from '../../platform/runtime/cli-kit.js';

/** The implementations, loaded when a command runs. */
const impl = () => import('./cli.js');

interface JsonOpt {
  json?: boolean;
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit log: verify, prove, check proofs offline, checkpoints');

  audit
    .command('verify')
    .description(
      'recompute the Merkle tree from every leaf and check it against the signed checkpoints (exit 1 on any mismatch)',
    )
    .option('--checkpoint <file>', 'also check this signed checkpoint (e.g. one you kept)')
    .option(
      '--history <dir>',
      "an auditor's kept checkpoints: check each is consistent, then keep the latest",
    )
    .option(
      '--key <vkey>',
      'the log key you trust (name+keyid+base64); the stored key must equal it',
    )
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          opts: JsonOpt & { checkpoint?: string; history?: string; key?: string },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          const env = await commandEnv(cmd);
          const { auditVerify } = await impl();
          const bar = await progressBar(opts.json === true);
          try {
            const out = await auditVerify(env, {
              ...opts,
              ...(bar ? { onProgress: (n: number, total: number) => bar.update(n, total) } : {}),
            });
            bar?.stop();
            return out;
          } finally {
            bar?.stop();
          }
        },
      ),
    );

  audit
    .command('prove')
    .description('write an inclusion-proof bundle (leaf, proof, signed checkpoint, log key)')
    .argument('<leaf-index>', 'the leaf to prove')
    .option('--size <n>', 'prove against the signed checkpoint of this size (default: the latest)')
    .option('--out <file>', 'write the bundle here instead of stdout')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (leaf: string, opts: JsonOpt & { out?: string; size?: string }, cmd: Command) => {
          const env = await commandEnv(cmd);
          const { auditProve } = await impl();
          const out = await auditProve(env, leaf, opts);
          // Without --out the bundle itself is the one JSON document, --json or not.
          return opts.out === undefined ? { ...out, text: JSON.stringify(out.json, null, 2) } : out;
        },
      ),
    );

  audit
    .command('check-proof')
    .description(
      'check an inclusion-proof bundle offline (no data dir); exit 1 when it does not hold',
    )
    .argument('<file>', 'the bundle written by "audit prove"')
    .option('--key <vkey>', 'the log key you trust; without it the key in the bundle is used')
    .option('--json', 'print one JSON document')
    .action(
      action(async (file: string, opts: JsonOpt & { key?: string }) => {
        const { auditCheckProof } = await impl();
        return auditCheckProof(file, opts);
      }),
    );

  audit
    .command('consistency')
    .description(
      'check that a newer signed checkpoint extends an older one: offline with --proof, or produce the proof from the data dir',
    )
    .argument('<old-checkpoint>', 'the older signed checkpoint file')
    .argument('<new-checkpoint>', 'the newer signed checkpoint file')
    .option('--proof <file>', 'a consistency bundle (from --out); checks offline, no data dir')
    .option('--out <file>', 'write the consistency bundle here')
    .option('--key <vkey>', 'the log key you trust')
    .option('--json', 'print one JSON document')
    .action(
      action(
        async (
          oldFile: string,
          newFile: string,
          opts: JsonOpt & { proof?: string; out?: string; key?: string },
          cmd: Command,
        ): Promise<CommandOutcome> => {
          const env = await commandEnv(cmd);
          const { auditConsistency } = await impl();
          return auditConsistency(env, oldFile, newFile, opts);
        },
      ),
    );

  audit
    .command('checkpoint')
    .description(
      'sign a checkpoint if the log grew (creating the log the first time) and publish DIR/checkpoint.txt',
    )
    .option(
      '--history <dir>',
      "an auditor's kept checkpoints: check each is consistent, then keep this one",
    )
    .option('--json', 'print one JSON document')
    .action(
      action(async (opts: JsonOpt & { history?: string }, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { auditCheckpoint } = await impl();
        return auditCheckpoint(env, opts);
      }),
    );

  audit
    .command('show')
    .description(
      'one log entry as a reader sees it (sealed details only while their month key lives)',
    )
    .argument('<leaf-index>', 'the leaf to show')
    .option('--json', 'print one JSON document')
    .action(
      action(async (leaf: string, opts: JsonOpt, cmd: Command) => {
        const env = await commandEnv(cmd);
        const { auditShow } = await impl();
        return auditShow(env, leaf);
      }),
    );
}

/** A progress bar on stderr for long verifications, only on a terminal and not with --json. */
async function progressBar(
  json: boolean,
): Promise<{ update(n: number, total: number): void; stop(): void } | undefined> {
  if (json || !process.stderr.isTTY) {
    return undefined;
  }
  // Loaded only for a verification on a terminal: `--help` never pays for it.
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    { stream: process.stderr, format: 'verify [{bar}] {value}/{total} leaves' },
    Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update(n, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(n);
    },
    stop() {
      if (started && !stopped) {
        bar.stop();
        stopped = true;
      }
    },
  };
}
